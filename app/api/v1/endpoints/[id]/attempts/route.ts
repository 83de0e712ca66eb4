import { apiRoute, otherMethods, searchParams } from "@/lib/api/route";
import { listEndpointAttempts } from "@/lib/features/endpoints/list-attempts";

export const GET = apiRoute<{ id: string }>(async (request, { ctx, params }) => listEndpointAttempts(ctx, params.id, searchParams(request)));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
