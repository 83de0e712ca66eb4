import { apiRoute, otherMethods } from "@/lib/api/route";
import { revealSecret } from "@/lib/features/endpoints/service";

export const GET = apiRoute<{ id: string }>(async (_request, { ctx, params }) => revealSecret(ctx, params.id));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
