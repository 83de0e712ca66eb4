import { timingSafeEqual } from "node:crypto";
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { METRICS_CONTENT_TYPE, metrics } from "@/lib/metrics";

export const dynamic = "force-dynamic";

function sameToken(given: string, expected: string) {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Prometheus scrape endpoint, behind HOOKLINE_METRICS_TOKEN. There is no "loopback only" mode
 * here on purpose: Next.js passes a client's own X-Forwarded-For through, so a route cannot
 * tell where a request came from; HOOKLINE_METRICS_PORT opens a listener bound to 127.0.0.1 instead.
 */
export async function GET(request: NextRequest) {
  const token = env().HOOKLINE_METRICS_TOKEN;
  if (!token) {
    const message = "Metrics are off: set HOOKLINE_METRICS_TOKEN to scrape /api/metrics, or HOOKLINE_METRICS_PORT for a loopback-only listener";
    return NextResponse.json({ error: { code: "not_found", message } }, { status: 404 });
  }
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "");
  if (!match || !sameToken(match[1]!, token)) {
    return NextResponse.json({ error: { code: "unauthorized", message: "Send the metrics token as `Authorization: Bearer …`" } }, { status: 401 });
  }
  return new Response(await metrics().scrape(), { headers: { "content-type": METRICS_CONTENT_TYPE, "cache-control": "no-store" } });
}
