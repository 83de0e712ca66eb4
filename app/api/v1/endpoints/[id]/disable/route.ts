import { apiRoute, otherMethods } from "@/lib/api/route";
import { setEndpointEnabled } from "@/lib/features/endpoints/service";

export const POST = apiRoute<{ id: string }>(async (_request, { ctx, params }) => setEndpointEnabled(ctx, params.id, false));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
