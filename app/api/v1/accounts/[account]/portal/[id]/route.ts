import { apiRoute, otherMethods } from "@/lib/api/route";
import { revokePortalLinks } from "@/lib/features/portal/links";

/** 200 {revoked: 1 | 0}: ends one portal link of the account now (0: it had already ended). */
export const DELETE = apiRoute<{ account: string; id: string }>(async (_request, { ctx, params }) => revokePortalLinks(ctx, params.account, params.id));

export const { GET, POST, PUT, PATCH, OPTIONS } = otherMethods("DELETE");
