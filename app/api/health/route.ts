import { NextResponse } from "next/server";
import { db } from "@/lib/db/client";
import { env, usesLocalEngine } from "@/lib/env";

export const dynamic = "force-dynamic";

/** Public: load balancers and the launcher poll it. Says nothing secret. */
export async function GET() {
  const started = performance.now();
  let database: "ok" | "down" = "ok";
  try {
    await db().$queryRaw`SELECT 1`;
  } catch {
    database = "down";
  }
  const body = {
    status: database === "ok" ? "ok" : "degraded",
    database,
    databaseLatencyMs: Math.round(performance.now() - started),
    executor: env().HOOKLINE_EXECUTOR ?? (usesLocalEngine() ? "local-engine" : "inngest"),
    version: process.env.npm_package_version ?? "0.1.0",
  };
  return NextResponse.json(body, { status: database === "ok" ? 200 : 503 });
}
