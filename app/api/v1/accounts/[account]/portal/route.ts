import { NextResponse } from "next/server";
import { apiRoute, otherMethods, parseBody } from "@/lib/api/route";
import { env } from "@/lib/env";
import { createPortalLink, listOpenPortalLinks, revokePortalLinks } from "@/lib/features/portal/links";

/** 201 {url, expiresAt, …}: a short-lived customer-portal link for one account (admin key). */
export const POST = apiRoute<{ account: string }>(async (request, { ctx, params }) => {
  const baseUrl = env().NEXTAUTH_URL ?? request.nextUrl.origin;
  const link = await createPortalLink(ctx, params.account, await parseBody(request), baseUrl);
  return NextResponse.json(link, { status: 201 });
});

/** 200 {data: [...]}: the account's portal links that still open a session. */
export const GET = apiRoute<{ account: string }>(async (_request, { ctx, params }) => listOpenPortalLinks(ctx, params.account));

/** 200 {revoked}: ends every open portal link of the account now (support: cut a customer's sessions off). */
export const DELETE = apiRoute<{ account: string }>(async (_request, { ctx, params }) => revokePortalLinks(ctx, params.account));

export const { PUT, PATCH, OPTIONS } = otherMethods("GET", "POST", "DELETE");
