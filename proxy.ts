import { NextResponse, type NextRequest } from "next/server";

// Per-workspace frame policy, looked up once per token for a short while (a portal page and
// its client navigations ask again and again; a settings change shows within this time).
const CACHE_MS = 15_000;
const cache = new Map<string, { value: string; until: number }>();

async function portalFrameAncestors(request: NextRequest, token: string): Promise<string> {
  const hit = cache.get(token);
  if (hit && hit.until > Date.now()) return hit.value;
  let value = "frame-ancestors 'self'";
  try {
    const url = new URL("/api/portal/frame-policy", request.nextUrl.origin);
    url.searchParams.set("token", token);
    const response = await fetch(url, { cache: "no-store" });
    if (response.ok) value = ((await response.json()) as { frameAncestors: string }).frameAncestors;
  } catch {
    // Fall back to same-origin only: refusing to be framed is the safe failure.
  }
  if (cache.size > 5_000) cache.clear();
  cache.set(token, { value, until: Date.now() + CACHE_MS });
  return value;
}

/**
 * Frame and referrer policy. The operator console is never framed (`frame-ancestors 'none'`);
 * the customer portal may be framed by the origins its workspace allows, and never sends a
 * Referer (its URL carries the session token).
 */
export async function proxy(request: NextRequest) {
  const response = NextResponse.next();
  const portal = /^\/portal\/([^/]+)/.exec(request.nextUrl.pathname);
  if (portal) {
    let token = portal[1]!;
    try {
      token = decodeURIComponent(token);
    } catch {
      // A malformed token is unknown: the default policy applies and the page says the link is not valid.
    }
    response.headers.set("content-security-policy", await portalFrameAncestors(request, token));
    response.headers.set("referrer-policy", "no-referrer");
    response.headers.set("cache-control", "private, no-store");
  } else {
    response.headers.set("content-security-policy", "frame-ancestors 'none'");
    response.headers.set("x-frame-options", "DENY");
  }
  return response;
}

export const config = {
  // Pages only: API routes, Next's assets and files in public/ need no frame policy.
  matcher: ["/((?!api/|_next/|favicon.svg).*)"],
};
