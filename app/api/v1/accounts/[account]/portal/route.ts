import { NextResponse } from "next/server";
import { apiRoute, parseBody } from "@/lib/api/route";
import { env } from "@/lib/env";
import { createPortalLink } from "@/lib/features/portal/links";

/** 201 {url, expiresAt, …}: a short-lived customer-portal link for one account (admin key). */
export const POST = apiRoute<{ account: string }>(async (request, { ctx, params }) => {
  const baseUrl = env().NEXTAUTH_URL ?? request.nextUrl.origin;
  const link = await createPortalLink(ctx, params.account, await parseBody(request), baseUrl);
  return NextResponse.json(link, { status: 201 });
});
