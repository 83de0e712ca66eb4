import { NextResponse, type NextRequest } from "next/server";
import { frameAncestors, resolvePortalToken } from "@/lib/features/portal/links";

/**
 * For proxy.ts: the `frame-ancestors` of a portal token's workspace (its allowed origins).
 * It answers nothing else.
 */
export async function GET(request: NextRequest) {
  const token = request.nextUrl.searchParams.get("token") ?? "";
  const session = await resolvePortalToken(token);
  // Unknown or expired: 404, and proxy.ts keeps the default (same origin only).
  if ("refused" in session) return NextResponse.json({ error: { code: "not_found", message: "Portal link not found" } }, { status: 404 });
  return NextResponse.json({ frameAncestors: frameAncestors(session.settings) });
}
