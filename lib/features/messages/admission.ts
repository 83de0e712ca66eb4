import "server-only";
import { query } from "@/lib/db/pool";
import { env } from "@/lib/env";
import { errors } from "@/lib/errors";
import { logger } from "@/lib/log";

/**
 * Admission control for publish: while the delivery backlog (deliveries that are due and not yet
 * attempted, or due for a retry, and those waiting in an endpoint's backlog because its lane was
 * full, whatever their turn) is at HOOKLINE_MAX_BACKLOG or more, publish answers 429
 * `delivery_backlog_full` with a Retry-After, so a worker that is behind makes producers slow down
 * instead of growing the backlog without bound. Everything already accepted stays stored and is
 * delivered; nothing is dropped to make room.
 *
 * The backlog is counted at most every HOOKLINE_BACKLOG_CHECK_MS (a bounded count over the
 * (status, nextAttemptAt) index, capped at twice the limit), off the request path once a first
 * figure exists; between counts this process adds what it accepted itself. Several instances
 * each see the others' publishes at their next count, so the limit can be overshot by at most
 * instances × (rate × check interval).
 */
type State = {
  /** Backlog at the last count. */
  counted: number;
  countedAt: number;
  /** PENDING deliveries this process accepted since that count. */
  acceptedSince: number;
  /** Deliveries the workers finish per second, smoothed; null until two counts exist. */
  drainPerSecond: number | null;
  /** The same over the last interval alone: 0 while nothing drains (a stalled worker). */
  lastDrainPerSecond: number | null;
  counting?: Promise<void>;
};

const globalForAdmission = globalThis as unknown as { hooklineAdmission?: State };
function state(): State {
  return (globalForAdmission.hooklineAdmission ??= { counted: 0, countedAt: 0, acceptedSince: 0, drainPerSecond: null, lastDrainPerSecond: null });
}

// Due deliveries (the (status, nextAttemptAt) index), plus those waiting in endpoints' backlogs
// (the partial Delivery_backlog_idx): a deferred delivery's turn may be minutes ahead, but it waits
// because a lane could not keep up, so it counts. Left out, each deferral looked like a drained
// delivery, and a slow endpoint's burst reopened admission again and again (no bound at all).
const BACKLOG = `
  SELECT (SELECT count(*) FROM (
            SELECT 1 FROM "Delivery"
             WHERE status = 'PENDING' AND "deferredUntil" IS NULL
               AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= now() AT TIME ZONE 'UTC')
             LIMIT $1) due)::int
       + (SELECT count(*) FROM (
            SELECT 1 FROM "Delivery" WHERE status = 'PENDING' AND "deferredUntil" IS NOT NULL LIMIT $1) deferred)::int AS n`;

async function count(current: State) {
  const limit = env().HOOKLINE_MAX_BACKLOG;
  const before = current.counted + current.acceptedSince;
  const startedAt = Date.now();
  const acceptedBefore = current.acceptedSince;
  const { rows } = await query<{ n: number }>("admission.backlog", BACKLOG, [limit * 2]);
  const counted = rows[0]!.n;
  if (current.countedAt && before < limit * 2) {
    const seconds = (startedAt - current.countedAt) / 1000;
    const drained = Math.max(0, before - counted);
    const rate = seconds > 0 ? drained / seconds : 0;
    current.drainPerSecond = current.drainPerSecond === null ? rate : 0.7 * current.drainPerSecond + 0.3 * rate;
    current.lastDrainPerSecond = rate;
  }
  current.counted = counted;
  current.countedAt = startedAt;
  // What was accepted while the count ran may or may not be in it; keeping it errs on the safe side.
  current.acceptedSince -= acceptedBefore;
}

/** The backlog as this process estimates it now. */
export async function backlog(): Promise<number> {
  const current = state();
  const stale = Date.now() - current.countedAt >= env().HOOKLINE_BACKLOG_CHECK_MS;
  if (stale && !current.counting) {
    current.counting = count(current)
      .catch((error) => logger().warn({ err: error }, "could not count the delivery backlog"))
      .finally(() => (current.counting = undefined));
  }
  // The first figure is awaited; later ones refresh in the background while the last one serves.
  if (!current.countedAt && current.counting) await current.counting;
  return current.counted + current.acceptedSince;
}

/** Throws 429 `delivery_backlog_full` (with a Retry-After) when the backlog is at its limit. */
export async function admit() {
  const limit = env().HOOKLINE_MAX_BACKLOG;
  const current = await backlog();
  if (current < limit) return;
  const { drainPerSecond, lastDrainPerSecond } = state();
  // Long enough for the workers to bring the backlog a tenth below the limit at the rate they drain
  // it: the smoothed rate, or the last interval's where that is lower (a worker that stalled drains
  // nothing now, whatever it drained before: 30 s, as before a rate is known).
  const rate = Math.min(drainPerSecond ?? 0, lastDrainPerSecond ?? 0);
  const excess = current - limit * 0.9;
  const seconds = rate > 0 ? Math.ceil(excess / rate) : 30;
  const retryAfter = Math.min(60, Math.max(1, seconds));
  throw errors.backlogFull(
    `Hookline is behind on deliveries (${current >= limit * 2 ? `over ${limit * 2}` : current} waiting, limit ${limit}); nothing was published. Retry after ${retryAfter} s`,
    retryAfter,
    { backlog: current, limit },
  );
}

/**
 * Load shedding: when this process's event loop runs late by HOOKLINE_MAX_EVENT_LOOP_LAG_MS or
 * more (its CPU is saturated: requests are waiting to be read), publish answers 503 `server_busy`
 * with a Retry-After at once, before reading the body or touching the database, instead of
 * leaving callers waiting until they time out not knowing whether their message was stored.
 * 0 turns it off. The lag is sampled every 100 ms and decays by a fifth per sample, so one long
 * pause (a garbage collection) sheds for well under a second.
 */
const SAMPLE_MS = 100;
const globalForLag = globalThis as unknown as { hooklineLag?: { lagMs: number; timer: NodeJS.Timeout } };
function loopLag(): number {
  if (!globalForLag.hooklineLag) {
    const lag = { lagMs: 0, timer: undefined as unknown as NodeJS.Timeout };
    let expected = performance.now() + SAMPLE_MS;
    lag.timer = setInterval(() => {
      const now = performance.now();
      lag.lagMs = Math.max(now - expected, lag.lagMs * 0.8);
      expected = now + SAMPLE_MS;
    }, SAMPLE_MS);
    lag.timer.unref();
    globalForLag.hooklineLag = lag;
  }
  return globalForLag.hooklineLag.lagMs;
}

/** Throws 503 `server_busy` (with a Retry-After) while this process is overloaded; see loopLag. */
export function shedIfOverloaded() {
  const limit = env().HOOKLINE_MAX_EVENT_LOOP_LAG_MS;
  if (limit === 0) return;
  const lagMs = loopLag();
  if (lagMs < limit) return;
  const retryAfter = Math.min(30, Math.max(1, Math.ceil(lagMs / 1000)));
  throw errors.unavailable(
    "server_busy",
    `Hookline is overloaded (requests wait ${Math.round(lagMs)} ms before they run); nothing was published. Retry after ${retryAfter} s`,
    retryAfter,
  );
}

/** Publish tells admission what it just accepted, so bursts count before the next count. */
export function noteAccepted(pendingDeliveries: number) {
  state().acceptedSince += pendingDeliveries;
}

/** Tests: forget the figures (a new database, a new limit). */
export function resetAdmission() {
  globalForAdmission.hooklineAdmission = undefined;
  if (globalForLag.hooklineLag) globalForLag.hooklineLag.lagMs = 0;
}
