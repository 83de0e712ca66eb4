import "server-only";
import { db } from "@/lib/db/client";

export type Limit = { limit: number; windowMs: number };
export type Verdict = { allowed: boolean; limit: number; remaining: number; resetMs: number };

/**
 * Fixed-window counters in PostgreSQL, so a limit holds across app instances: one UPSERT
 * per check, the window computed from the database's clock (instances may disagree on theirs).
 * `cost: 0` only reads the counter.
 */
export async function hit(key: string, { limit, windowMs }: Limit, cost = 1): Promise<Verdict> {
  const [row] = await db().$queryRaw<Array<{ count: number; resetMs: number }>>`
    WITH w AS (
      SELECT to_timestamp(floor(extract(epoch FROM clock_timestamp()) * 1000 / ${windowMs}::int) * ${windowMs}::int / 1000.0)
               AT TIME ZONE 'UTC' AS start,
             extract(epoch FROM clock_timestamp()) * 1000 AS now_ms)
    INSERT INTO "RateLimit" (key, "windowStart", count)
    SELECT ${key}, w.start, ${cost}::int FROM w
    ON CONFLICT (key) DO UPDATE
      SET count = CASE WHEN "RateLimit"."windowStart" = EXCLUDED."windowStart" THEN "RateLimit".count + ${cost}::int ELSE ${cost}::int END,
          "windowStart" = EXCLUDED."windowStart"
    RETURNING count, (${windowMs}::int - ((SELECT now_ms FROM w)::bigint % ${windowMs}::int))::int AS "resetMs"`;
  const count = row!.count;
  return { allowed: count <= limit, limit, remaining: Math.max(0, limit - count), resetMs: row!.resetMs };
}

/** Forgets a counter (a successful sign-in clears its account's failures). */
export async function reset(key: string) {
  await db().rateLimit.deleteMany({ where: { key } });
}

/** The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers) plus Retry-After when refused. */
export function rateLimitHeaders(verdict: Verdict): Record<string, string> {
  const reset = Math.max(1, Math.ceil(verdict.resetMs / 1000));
  const headers: Record<string, string> = {
    "RateLimit-Limit": String(verdict.limit),
    "RateLimit-Remaining": String(verdict.remaining),
    "RateLimit-Reset": String(reset),
  };
  if (!verdict.allowed) headers["Retry-After"] = String(reset);
  return headers;
}

/** Old windows, removed by the sweep. */
export async function pruneRateLimits(olderThanMs = 24 * 3600_000) {
  return (await db().rateLimit.deleteMany({ where: { windowStart: { lt: new Date(Date.now() - olderThanMs) } } })).count;
}
