/**
 * Retention of the engine's own tables, so they stay bounded however much is delivered:
 * finished runs (with their step memos and leftover jobs, by cascade) once they ended more than
 * `runsOlderThanMs` ago; events older than that which no remaining run points at (never sooner
 * than Inngest's 24 h window for dropping a repeated event id); idempotency keys once expired.
 * Unfinished runs, and everything they need, always stay.
 *
 * Deletes go in batches of `batchSize` rows, each its own short statement, so a pass never holds
 * locks long. Each table gets up to `budgetMs` of deleting per call (and `maxBatches`, when given),
 * always at least one batch; what one pass leaves the next one takes (the sweep calls this every
 * minute). The budget, not a batch count, bounds a pass: a fixed count would cap what a minute can
 * delete (20 batches of 1,000 is 333 rows/s) below what a box inserts at a sustained 2,000
 * deliveries/s (an event per delivery, as it was then), and the tables would grow without bound. One
 * pass deleted about 56,000 aged events a second (bench/retention-rate.ts), so the default 5 s per
 * table keeps up with about 4,700 events/s: with up to 4 deliveries an event, more than one box sustains, while a pass that is catching up (after
 * an upgrade, a long outage of the sweep) takes at most 15 s of every minute from delivery.
 */
import type pg from "pg";

export type RetentionOptions = { runsOlderThanMs: number; batchSize?: number; maxBatches?: number; budgetMs?: number };
export type RetentionResult = { runs: number; events: number; idempotencyKeys: number };

const EVENT_DEDUPE_MS = 24 * 3600_000;

const DELETE_RUNS = `
  DELETE FROM inngest_engine.runs WHERE id IN (
    SELECT id FROM inngest_engine.runs
     WHERE ended_at IS NOT NULL AND ended_at < now() - make_interval(secs => $1 / 1000.0)
       AND status IN ('COMPLETED', 'FAILED', 'CANCELLED')
     ORDER BY ended_at LIMIT $2)`;

const DELETE_EVENTS = `
  DELETE FROM inngest_engine.events WHERE id IN (
    SELECT e.id FROM inngest_engine.events e
     WHERE e.received_at < now() - make_interval(secs => $1 / 1000.0)
       AND NOT EXISTS (SELECT 1 FROM inngest_engine.runs r WHERE r.event_id = e.id)
       -- still waiting for a batch, or in an active batch run (batchEvents: only the first is event_id)
       AND NOT EXISTS (SELECT 1 FROM inngest_engine.batch_items b WHERE b.event_id = e.id)
       AND NOT EXISTS (SELECT 1 FROM inngest_engine.runs r
                        WHERE r.status IN ('RUNNING', 'SLEEPING') AND r.batch_event_ids IS NOT NULL AND e.id = ANY(r.batch_event_ids))
     ORDER BY e.received_at LIMIT $2)`;

const DELETE_IDEMPOTENCY = `
  DELETE FROM inngest_engine.idempotency WHERE (function_id, key) IN (
    SELECT function_id, key FROM inngest_engine.idempotency WHERE expires_at < now() ORDER BY expires_at LIMIT $1)`;

export async function pruneEngineTables(db: pg.Pool, options: RetentionOptions): Promise<RetentionResult> {
  const batchSize = options.batchSize ?? 1000;
  const maxBatches = options.maxBatches ?? Infinity;
  const budgetMs = options.budgetMs ?? 5_000;
  const inBatches = async (name: string, text: string, values: unknown[]) => {
    const deadline = performance.now() + budgetMs;
    let deleted = 0;
    for (let batch = 0; batch < maxBatches; batch++) {
      const { rowCount } = await db.query({ name, text, values });
      deleted += rowCount ?? 0;
      if ((rowCount ?? 0) < batchSize || performance.now() >= deadline) break;
    }
    return deleted;
  };
  const runs = await inBatches("engine.retention.runs", DELETE_RUNS, [options.runsOlderThanMs, batchSize]);
  const eventsOlderThanMs = Math.max(options.runsOlderThanMs, EVENT_DEDUPE_MS);
  const events = await inBatches("engine.retention.events", DELETE_EVENTS, [eventsOlderThanMs, batchSize]);
  const idempotencyKeys = await inBatches("engine.retention.idempotency", DELETE_IDEMPOTENCY, [batchSize]);
  return { runs, events, idempotencyKeys };
}
