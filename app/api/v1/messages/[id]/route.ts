import { apiRoute, otherMethods } from "@/lib/api/route";
import { getMessage } from "@/lib/features/messages/queries";

export const GET = apiRoute<{ id: string }>(async (_request, { ctx, params }) => getMessage(ctx, params.id));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
