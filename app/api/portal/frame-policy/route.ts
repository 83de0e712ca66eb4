import { NextResponse, type NextRequest } from "next/server";
import { frameAncestors, resolvePortalToken } from "@/lib/features/portal/links";

/**
 * For proxy.ts: the `frame-ancestors` of a portal token's workspace (its allowed origins).
 * It answers nothing else: an unknown token gets the default, which embeds nowhere.
 */
export async function GET(request: NextRequest) {
  const token = request.nextUrl.searchParams.get("token") ?? "";
  const session = await resolvePortalToken(token);
  return NextResponse.json({ frameAncestors: frameAncestors("refused" in session ? null : session.settings) });
}
