import "server-only";
import { db } from "@/lib/db/client";
import { query } from "@/lib/db/pool";

export type Limit = { limit: number; windowMs: number };
export type Verdict = { allowed: boolean; limit: number; remaining: number; resetMs: number };

// The window is computed from the database's clock (instances may disagree on theirs).
const UPSERT = `
  WITH w AS (
    SELECT to_timestamp(floor(extract(epoch FROM clock_timestamp()) * 1000 / $2::int) * $2::int / 1000.0) AT TIME ZONE 'UTC' AS start,
           extract(epoch FROM clock_timestamp()) * 1000 AS now_ms)
  INSERT INTO "RateLimit" (key, "windowStart", count)
  SELECT $1, w.start, $3::int FROM w
  ON CONFLICT (key) DO UPDATE
    SET count = CASE WHEN "RateLimit"."windowStart" = EXCLUDED."windowStart" THEN "RateLimit".count + $3::int ELSE $3::int END,
        "windowStart" = EXCLUDED."windowStart"
  RETURNING count, ($2::int - ((SELECT now_ms FROM w)::bigint % $2::int))::int AS "resetMs"`;

async function upsert(key: string, windowMs: number, cost: number): Promise<{ count: number; resetMs: number }> {
  const { rows } = await query<{ count: number; resetMs: number }>("rateLimit.hit", UPSERT, [key, windowMs, cost]);
  return rows[0]!;
}

/**
 * Fixed-window counters in PostgreSQL, so a limit holds across app instances: one UPSERT
 * per check. `cost: 0` only reads the counter.
 */
export async function hit(key: string, { limit, windowMs }: Limit, cost = 1): Promise<Verdict> {
  const { count, resetMs } = await upsert(key, windowMs, cost);
  return { allowed: count <= limit, limit, remaining: Math.max(0, limit - count), resetMs };
}

/**
 * One key's share of the counter held by this process between syncs with PostgreSQL.
 * `base` is the shared count at the last sync (every instance's hits), `pending` what this
 * process counted since; `until` is the end of the window the database reported (local clock).
 */
type Buffered = { base: number; pending: number; until: number; synced: number; syncing?: Promise<void>; timer?: NodeJS.Timeout };

// On globalThis: Next bundles this module more than once (route handlers, the direct publish path
// in instrumentation), and one process must count each key once.
const globalForLimits = globalThis as unknown as { hooklineRateBuffers?: Map<string, Buffered> };
const buffered = (globalForLimits.hooklineRateBuffers ??= new Map<string, Buffered>());
/** How long this process counts a key on its own before it adds its count to the shared row. */
export const BUFFER_SYNC_MS = 250;

async function sync(key: string, entry: Buffered, limit: Limit) {
  const cost = entry.pending;
  const { count, resetMs } = await upsert(key, limit.windowMs, cost);
  entry.base = count;
  entry.pending -= cost;
  entry.until = Date.now() + resetMs;
  entry.synced = Date.now();
}

/**
 * `hit` for hot paths (every API request): the first hit of a key in a window goes to
 * PostgreSQL as `hit` does; later ones are counted in memory and added to the shared row in one
 * UPSERT at most every BUFFER_SYNC_MS, which also brings back what other instances counted. One
 * process alone sees its own count exactly; with several instances a key can exceed its limit by
 * what the others counted in the last BUFFER_SYNC_MS. Refused hits count, as with `hit`.
 */
export async function hitBuffered(key: string, limit: Limit): Promise<Verdict> {
  let entry = buffered.get(key);
  const now = Date.now();
  if (entry && now >= entry.until && !entry.syncing) {
    clearTimeout(entry.timer);
    buffered.delete(key);
    entry = undefined;
  }
  if (!entry) {
    if (buffered.size >= 10_000) buffered.clear(); // unbounded key sets cannot grow memory; the rows keep the counts
    entry = { base: 0, pending: 1, until: now + limit.windowMs, synced: 0 };
    buffered.set(key, entry);
    const created = entry;
    created.syncing = sync(key, created, limit).finally(() => (created.syncing = undefined));
    try {
      await created.syncing;
    } catch (error) {
      buffered.delete(key);
      throw error;
    }
    return verdictOf(created, limit, now);
  }
  if (entry.syncing && !entry.synced) await entry.syncing.catch(() => undefined); // the window's first count is still on its way
  entry.pending += 1;
  if (!entry.timer) {
    const current = entry;
    const arm = () => {
      current.timer = setTimeout(() => {
        current.timer = undefined;
        if (!current.pending || buffered.get(key) !== current) return;
        // One sync at a time: a second one would send the first one's count again.
        if (current.syncing) return arm();
        current.syncing = sync(key, current, limit)
          .finally(() => (current.syncing = undefined))
          .catch(() => {
            if (!current.timer) arm(); // still pending: counted at the next sync
          });
      }, BUFFER_SYNC_MS);
      current.timer.unref?.();
    };
    arm();
  }
  return verdictOf(entry, limit, Date.now());
}

function verdictOf(entry: Buffered, { limit }: Limit, now: number): Verdict {
  const count = entry.base + entry.pending;
  return { allowed: count <= limit, limit, remaining: Math.max(0, limit - count), resetMs: Math.max(0, entry.until - now) };
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
