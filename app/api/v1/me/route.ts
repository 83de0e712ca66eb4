import { apiRoute, otherMethods } from "@/lib/api/route";

/** Who the caller is: handy to check an API key (`curl -H "Authorization: Bearer hk_…" /api/v1/me`). */
export const GET = apiRoute(async (_request, { ctx }) => ({
  workspaceId: ctx.workspaceId,
  role: ctx.role,
  actor: ctx.actor,
}));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
