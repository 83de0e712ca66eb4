import { apiRoute, searchParams } from "@/lib/api/route";
import { listEndpointAttempts } from "@/lib/features/endpoints/list-attempts";

export const GET = apiRoute<{ id: string }>(async (request, { ctx, params }) => listEndpointAttempts(ctx, params.id, searchParams(request)));
