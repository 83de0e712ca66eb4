import { apiRoute, otherMethods, parseBody } from "@/lib/api/route";
import { rotateSecret } from "@/lib/features/endpoints/service";

export const POST = apiRoute<{ id: string }>(async (request, { ctx, params }) => rotateSecret(ctx, params.id, await parseBody(request)));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
