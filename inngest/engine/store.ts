/**
 * Every state change of the engine, each in one PostgreSQL transaction, so a
 * `kill -9` at any point leaves either the old state or the new one.
 *
 * Lock order, to stay deadlock-free across instances: a run row first
 * (`FOR UPDATE`), then that run's job rows. Claims lock only job rows, with
 * SKIP LOCKED, plus one advisory lock per concurrency key, taken in sorted order.
 */
import pg from "pg";
import type { FunctionConfig } from "./config";
import { nextCronTime, parseCron } from "./cron";
import { sleepUntil } from "./duration";
import { evaluateKey } from "./expression";
import { seededEventIds, ulid } from "./ids";
import type { CallOutcome, Memo, Op, SerializedError, StepResult } from "./protocol";

export const NOTIFY_CHANNEL = "inngest_engine";
/** Engine instances name their connections this way; a lease whose owner has none left is dead. */
export const OWNER_PREFIX = "inngest-engine/";
const DISCOVERY = "step";
const SCHEDULED_EVENT = "inngest/scheduled.timer";
/** A batch run younger than this counts as busy when deciding whether to start batches early (formBatches). */
const BUSY_MS = 250;

export type IncomingEvent = {
  name: string;
  data?: Record<string, unknown>;
  id?: string;
  ts?: number;
  user?: Record<string, unknown>;
  v?: string;
};

export type Job = {
  id: string;
  runId: string;
  stepId: string;
  name: string | null;
  attempt: number;
  /** What the call needs, read by the claim itself; null: the run ended meanwhile. */
  call?: CallContext | null;
};

export type CallContext = {
  runId: string;
  parallel: boolean;
  event: Record<string, unknown>;
  /** A batch run's events, in order (`event` is the first); otherwise just `event`. */
  events: Record<string, unknown>[];
  memos: Memo[];
  fn?: FunctionConfig;
};

export type RetryPolicy = { maxAttempts: number; backoffMs: (attempt: number) => number };

type Db = pg.PoolClient;

const ALIVE = `SELECT application_name FROM pg_stat_activity WHERE application_name LIKE '${OWNER_PREFIX}%'`;

/**
 * `SET LOCAL synchronous_commit = off` for engine-internal state changes (claims, outcomes, wakes,
 * lease reclaims): their commit returns before the WAL is flushed. Only a crash of PostgreSQL
 * itself (or the OS) within the WAL writer's delay (≤ 3 × wal_writer_delay) can lose such a
 * commit, and losing one leaves the previous state: a lease that was never taken, or a step
 * whose result was never recorded and that runs again — the engine's at-least-once contract,
 * the same as a kill -9 mid-call (the attempt core's claim in the app's tables, committed
 * synchronously, keeps a delivery that already succeeded from being sent again). Event ingest is
 * never asynchronous: its 200 promises the event is stored.
 */
const ASYNC_COMMIT = "SET LOCAL synchronous_commit = off";

/**
 * The distinct (function, batch key) pairs with queued events, as a recursive CTE named
 * `batch_keys`: a skip scan of batch_items' primary key, one index probe per key. The engine's
 * passes look at keys, never at every queued event, so a pass costs the same with a backlog of
 * 100 or 1,000,000 events (a GROUP BY over batch_items would read every queued event, every
 * 20 ms).
 */
const BATCH_KEYS = `batch_keys AS (
    (SELECT function_id, batch_key FROM inngest_engine.batch_items ORDER BY function_id, batch_key LIMIT 1)
    UNION ALL
    SELECT next.function_id, next.batch_key FROM batch_keys k CROSS JOIN LATERAL (
      SELECT b.function_id, b.batch_key FROM inngest_engine.batch_items b
       WHERE (b.function_id, b.batch_key) > (k.function_id, k.batch_key)
       ORDER BY b.function_id, b.batch_key LIMIT 1) next
  )`;

/** What a pass of the worker loop has to do (Store.dueTimers). */
export const DUE_TIMERS = `WITH RECURSIVE ${BATCH_KEYS}
             SELECT EXISTS (SELECT 1 FROM inngest_engine.crons WHERE next_at <= now()) AS crons,
                    EXISTS (SELECT 1 FROM inngest_engine.jobs WHERE kind = 'wake' AND due_at <= now()) AS sleeps,
                    EXISTS (SELECT 1 FROM batch_keys k
                             WHERE NOT EXISTS (SELECT 1 FROM inngest_engine.runs r
                                                WHERE r.function_id = k.function_id AND r.batch_key = k.batch_key
                                                  AND r.status IN ('RUNNING', 'SLEEPING'))) AS batches,
                    EXISTS (SELECT 1 FROM inngest_engine.jobs WHERE kind = 'call' AND lease_owner IS NULL AND due_at <= now()) AS calls`;

/**
 * The batch keys that can start a batch (Store.formBatches): per key without an active batch,
 * whether a full batch is queued (counting at most maxSize items), and its oldest item (one probe
 * of batch_items_order_idx); `busy` counts the function's batch runs younger than $1 ms.
 * No rows when another instance holds the try-lock.
 */
export const BATCH_READY = `WITH RECURSIVE locked AS (
                 SELECT pg_try_advisory_xact_lock(hashtextextended('inngest_engine.batches', 0)) AS ok
               ), ${BATCH_KEYS}, pending AS (
                 SELECT k.function_id, k.batch_key, f.config,
                        (SELECT count(*) FROM (SELECT 1 FROM inngest_engine.batch_items b
                                                WHERE b.function_id = k.function_id AND b.batch_key = k.batch_key
                                                LIMIT (f.config->'batch'->>'maxSize')::int) full_batch)
                          >= (f.config->'batch'->>'maxSize')::int AS full,
                        (SELECT b.received_at FROM inngest_engine.batch_items b
                          WHERE b.function_id = k.function_id AND b.batch_key = k.batch_key
                          ORDER BY b.received_at, b.event_id LIMIT 1) AS oldest
                   FROM locked, batch_keys k
                   JOIN inngest_engine.functions f ON f.id = k.function_id
                  WHERE locked.ok AND NOT EXISTS (SELECT 1 FROM inngest_engine.runs r
                                     WHERE r.function_id = k.function_id AND r.batch_key = k.batch_key AND r.status IN ('RUNNING', 'SLEEPING')))
               SELECT k.function_id, k.batch_key, k.config,
                      k.full OR k.oldest <= now() - (k.config->'batch'->>'timeoutMs')::float8 * interval '1 millisecond' AS due,
                      (SELECT count(*)::int FROM inngest_engine.runs r
                        WHERE r.function_id = k.function_id AND r.batch_key IS NOT NULL AND r.status IN ('RUNNING', 'SLEEPING')
                          AND r.started_at > now() - $1 * interval '1 millisecond') AS busy
                 FROM pending k
                ORDER BY k.oldest`;

export class Store {
  /** When this instance last started a batch per function and key, for formBatches' linger. */
  private readonly batchStarts = new Map<string, number>();

  /** `owner` tags this instance's NOTIFYs so its own listener can ignore them. */
  constructor(
    readonly pool: pg.Pool,
    readonly owner = "",
  ) {}

  private async tx<T>(work: (db: Db) => Promise<T>, options: { asyncCommit?: boolean } = {}): Promise<T> {
    const db = await this.pool.connect();
    try {
      await db.query(options.asyncCommit ? `BEGIN; ${ASYNC_COMMIT}` : "BEGIN");
      const result = await work(db);
      await db.query("COMMIT");
      return result;
    } catch (error) {
      await db.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      db.release();
    }
  }

  /** Fails fast with a useful message when the migration was not applied. */
  async assertSchema() {
    try {
      await this.pool.query("SELECT 1 FROM inngest_engine.jobs LIMIT 0");
    } catch (error) {
      throw new Error(`the local engine's tables are missing (run the migrations first): ${(error as Error).message}`);
    }
  }

  /** Replaces the app's function set with what it just synced. */
  async register(app: { id: string; url: string; sdk?: string }, functions: FunctionConfig[]) {
    await this.tx(async (db) => {
      await db.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`inngest_engine.app:${app.id}`]);
      await db.query(
        `INSERT INTO inngest_engine.apps (id, url, sdk) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET url = EXCLUDED.url, sdk = EXCLUDED.sdk, synced_at = now()`,
        [app.id, app.url, app.sdk ?? null],
      );
      await db.query(`DELETE FROM inngest_engine.functions WHERE app_id = $1 AND NOT (id = ANY($2))`, [app.id, functions.map((fn) => fn.id)]);
      for (const fn of functions) {
        await db.query(
          `INSERT INTO inngest_engine.functions (id, app_id, name, url, config) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (id) DO UPDATE SET app_id = EXCLUDED.app_id, name = EXCLUDED.name, url = EXCLUDED.url,
             config = EXCLUDED.config, updated_at = now()`,
          [fn.id, app.id, fn.name, fn.url, JSON.stringify(fn)],
        );
        await db.query(`DELETE FROM inngest_engine.crons WHERE function_id = $1 AND NOT (expression = ANY($2))`, [fn.id, fn.crons]);
        for (const cron of fn.crons) {
          // An unchanged schedule keeps its next tick; a re-sync must not skip or repeat one.
          await db.query(
            `INSERT INTO inngest_engine.crons (function_id, expression, next_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
            [fn.id, cron, nextCronTime(parseCron(cron), new Date())],
          );
        }
      }
      await notify(db, this.owner);
    });
  }

  /**
   * Stores the events and starts their runs in the same transaction; returns the event ids.
   * Batched: a constant number of statements per call, not per event (the app sends one event
   * per endpoint for up to 4 deliveries, 20 at a time for a message with 20 endpoints).
   */
  async ingest(events: IncomingEvent[], seed?: string): Promise<string[]> {
    const seeded = seededEventIds(seed, events.length);
    if (!events.length) return [];
    return this.tx(async (db) => {
      // A repeated `id` within 24 h is dropped (Inngest's rule): the earlier event's id is returned.
      // Advisory locks per external id, taken in sorted order (deadlock-free across instances),
      // serialize concurrent sends of one id until this transaction commits.
      const externalIds = [...new Set(events.flatMap((event) => (event.id ? [event.id] : [])))].sort();
      const known = new Map<string, string>();
      if (externalIds.length) {
        await db.query(
          `SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM (SELECT k FROM unnest($1::text[]) AS k ORDER BY k OFFSET 0) s`,
          [externalIds.map((id) => `inngest_engine.event:${id}`)],
        );
        const { rows } = await db.query<{ external_id: string; id: string }>(
          `SELECT DISTINCT ON (external_id) external_id, id FROM inngest_engine.events
            WHERE external_id = ANY($1) AND received_at > now() - interval '24 hours' ORDER BY external_id, received_at`,
          [externalIds],
        );
        for (const row of rows) known.set(row.external_id, row.id);
      }
      const ids: string[] = [];
      const fresh: Array<{ id: string; name: string; payload: Record<string, unknown>; externalId: string | null }> = [];
      for (const [index, event] of events.entries()) {
        const earlier = event.id ? known.get(event.id) : undefined;
        if (earlier) {
          ids.push(earlier);
          continue;
        }
        const id = seeded?.[index] ?? ulid();
        const payload = eventPayload(event, id);
        ids.push(id);
        if (event.id) known.set(event.id, id); // a repeat within this batch
        fresh.push({ id, name: event.name, payload, externalId: event.id ?? null });
      }
      if (!fresh.length) return ids;
      const { rows: inserted } = await db.query<{ id: string }>(
        `INSERT INTO inngest_engine.events (id, name, payload, external_id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::json[], $4::text[])
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [fresh.map((e) => e.id), fresh.map((e) => e.name), fresh.map((e) => JSON.stringify(e.payload)), fresh.map((e) => e.externalId)],
      );
      // Not inserted: the SDK retried a send that had already committed.
      const stored = new Set(inserted.map((row) => row.id));
      const started = fresh.filter((e) => stored.has(e.id));
      if (!started.length) return ids;
      const { rows: functions } = await db.query<{ config: FunctionConfig }>(
        `SELECT config FROM inngest_engine.functions WHERE config->'events' ?| $1 ORDER BY id`,
        [[...new Set(started.map((e) => e.name))]],
      );
      const runs: NewRun[] = [];
      const batched: Array<{ functionId: string; key: string; eventId: string }> = [];
      for (const event of started) {
        for (const { config } of functions) {
          if (!config.events.includes(event.name)) continue;
          if (config.batch) {
            batched.push({ functionId: config.id, key: batchKey(config.batch, event.payload), eventId: event.id });
            continue;
          }
          const run = await prepareRun(db, config, event.id, event.payload);
          if (run) runs.push(run);
        }
      }
      await insertRuns(db, runs);
      if (batched.length) {
        await db.query({
          name: "engine.batch.add",
          text: `INSERT INTO inngest_engine.batch_items (function_id, batch_key, event_id)
                 SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING`,
          values: [batched.map((b) => b.functionId), batched.map((b) => b.key), batched.map((b) => b.eventId)],
        });
      }
      if (runs.length || batched.length) await notify(db, this.owner);
      return ids;
    });
  }

  /**
   * What a pass of the worker loop has to do: due cron ticks, sleeps, batch keys with pending
   * events and no active run (only those can start: see formBatches), due calls. One statement
   * that reads per batch key, never per queued event, so a pass that finds nothing to do costs
   * little whatever the backlog.
   */
  async dueTimers(): Promise<{ crons: boolean; sleeps: boolean; batches: boolean; calls: boolean }> {
    const { rows } = await this.pool.query({
      name: "engine.due",
      text: DUE_TIMERS,
    });
    return rows[0];
  }

  /** Starts a run for every due cron tick. Ticks missed while nothing ran fire once, like Inngest. */
  async fireDueCrons() {
    await this.tx(async (db) => {
      const { rows } = await db.query<{ function_id: string; expression: string; next_at: Date; config: FunctionConfig }>(
        `SELECT c.function_id, c.expression, c.next_at, f.config
           FROM inngest_engine.crons c JOIN inngest_engine.functions f ON f.id = c.function_id
          WHERE c.next_at <= now() ORDER BY c.next_at LIMIT 50 FOR UPDATE OF c SKIP LOCKED`,
      );
      for (const row of rows) {
        const id = ulid();
        const payload = eventPayload({ name: SCHEDULED_EVENT, data: { cron: row.expression } }, id);
        await db.query(`INSERT INTO inngest_engine.events (id, name, payload) VALUES ($1, $2, $3)`, [id, SCHEDULED_EVENT, JSON.stringify(payload)]);
        const run = await prepareRun(db, row.config, id, payload);
        if (run) await insertRuns(db, [run]);
        const next = nextCronTime(parseCron(row.expression), new Date(Math.max(Date.now(), row.next_at.getTime())));
        await db.query(`UPDATE inngest_engine.crons SET next_at = $3 WHERE function_id = $1 AND expression = $2`, [row.function_id, row.expression, next]);
      }
      if (rows.length) await notify(db, this.owner);
    });
  }

  /** Ends due sleeps: the sleep step is memoized as null and the run is called again. */
  async wakeDueSleeps() {
    const { rows } = await this.pool.query<{ id: string; run_id: string }>(
      `SELECT id, run_id FROM inngest_engine.jobs WHERE kind = 'wake' AND due_at <= now() ORDER BY due_at LIMIT 100`,
    );
    for (const row of rows) {
      await this.tx(async (db) => {
        if (!(await lockRun(db, row.run_id))) return;
        const { rows: woken } = await db.query<{ step_id: string; name: string | null }>(
          `DELETE FROM inngest_engine.jobs WHERE id = $1 AND due_at <= now() RETURNING step_id, name`,
          [row.id],
        );
        if (!woken.length) return; // another instance got there first
        await memoize(db, row.run_id, woken[0].step_id, woken[0].name, "Sleep", { type: "data", data: null }, 0);
        await enqueueDiscovery(db, row.run_id);
        await refreshRun(db, row.run_id, { currentStep: woken[0].name, attempt: 0 });
        await notify(db, this.owner);
      }, { asyncCommit: true });
    }
  }

  /**
   * Starts batch runs (Inngest `batchEvents`): one run per batch key at a time, with up to
   * `maxSize` of its pending events, oldest first. A key with no active run starts
   * - at once when it is full, or when its oldest event waited the function's `timeout` (Inngest's
   *   own rule);
   * - otherwise at once while fewer than `eager` batch runs of the function are busy (started
   *   within the last BUSY_MS): an idle engine starts a batch as soon as an event arrives (low
   *   latency), a busy one lets events gather so each run carries more of them (a run's fixed
   *   cost is spread over its batch). Runs older than BUSY_MS (a slow endpoint's) do not count,
   *   so they never hold other keys back;
   * - and a key whose last batch this instance started less than `lingerMs` ago waits out the rest
   *   of that time unless it is full or timed out: a hot key (an endpoint receiving hundreds of
   *   events a second) gets one batch per `lingerMs` with everything that arrived meanwhile,
   *   instead of a run per handful of events.
   * Called on every pass of the worker loop. One instance forms batches at a time (a try-lock; the
   * others skip). Returns how many runs it started and how many keys it left waiting.
   */
  async formBatches(maxRuns: number, { eager = 4, lingerMs = 50 }: { eager?: number; lingerMs?: number } = {}): Promise<{ started: number; waiting: number }> {
    if (maxRuns <= 0) return { started: 0, waiting: 0 };
    return this.tx(async (db) => {
      const { rows: keys } = await db.query<{ function_id: string; batch_key: string; config: FunctionConfig; due: boolean; busy: number }>({
        name: "engine.batch.ready",
        text: BATCH_READY,
        values: [BUSY_MS],
      });
      const now = Date.now();
      for (const [key, at] of this.batchStarts) if (now - at >= lingerMs) this.batchStarts.delete(key);
      const budget = new Map<string, number>();
      const ready = keys
        .filter((key) => {
          if (key.due) return true;
          if (this.batchStarts.has(lane(key.function_id, key.batch_key))) return false; // lingering
          const left = budget.get(key.function_id) ?? eager - key.busy;
          budget.set(key.function_id, left - 1);
          return left > 0;
        })
        .slice(0, maxRuns);
      const runs: NewRun[] = [];
      for (const row of ready) {
        const { rows: taken } = await db.query<{ event_id: string; payload: Record<string, unknown> | null }>({
          name: "engine.batch.take",
          text: `WITH taken AS (
                   DELETE FROM inngest_engine.batch_items
                    WHERE (function_id, batch_key, event_id) IN (
                      SELECT function_id, batch_key, event_id FROM inngest_engine.batch_items
                       WHERE function_id = $1 AND batch_key = $2
                         -- Checked again here: this statement's snapshot is the first taken after
                         -- the try-lock, so it sees a batch another instance started just before.
                         AND NOT EXISTS (SELECT 1 FROM inngest_engine.runs r
                                          WHERE r.function_id = $1 AND r.batch_key = $2 AND r.status IN ('RUNNING', 'SLEEPING'))
                       ORDER BY received_at, event_id LIMIT $3)
                   RETURNING event_id, received_at
                 ), ordered AS (
                   SELECT event_id, row_number() OVER (ORDER BY received_at, event_id) AS n FROM taken)
                 -- The run is started from its first event (prepareRun); the call reads them all.
                 SELECT o.event_id,
                        CASE WHEN o.n = 1 THEN (SELECT e.payload FROM inngest_engine.events e WHERE e.id = o.event_id) END AS payload
                   FROM ordered o ORDER BY o.n`,
          values: [row.function_id, row.batch_key, row.config.batch?.maxSize ?? 1],
        });
        if (!taken.length) continue;
        const run = await prepareRun(db, row.config, taken[0].event_id, taken[0].payload!);
        if (run) runs.push({ ...run, batchEventIds: taken.map((t) => t.event_id), batchKey: row.batch_key });
      }
      await insertRuns(db, runs);
      if (runs.length) await notify(db, this.owner);
      for (const run of runs) this.batchStarts.set(lane(run.functionId, run.batchKey!), now);
      return { started: runs.length, waiting: keys.length - ready.length };
    }, { asyncCommit: true });
  }

  /**
   * Leases up to `max` due calls. A call is skipped, not waited for, while one
   * of its concurrency keys is full, so a key whose runs hang never holds up
   * others. The pre-filter is an unlocked estimate; the exact count is taken
   * again under an advisory lock per key, which serializes claims of that key
   * across instances until this transaction commits.
   *
   * Only unleased calls are candidates (partial index jobs_claim_idx): expired
   * leases and those of dead instances are handed back by `reclaimLeases`, a
   * slow periodic pass, not by every claim. A lease counts as held until then,
   * so the per-key count can only err on the safe side (fewer calls, never more).
   * The claim also reads what each call needs (event, function, memo).
   */
  async claim(owner: string, max: number, leaseMs: number): Promise<Job[]> {
    return this.tx(async (db) => {
      const { rows: candidates } = await db.query<{ id: string; concurrency_keys: string[]; concurrency_limits: number[] }>(
        `WITH held AS (
           SELECT key, count(*)::int AS n FROM inngest_engine.jobs, unnest(concurrency_keys) AS key
            WHERE lease_owner IS NOT NULL AND lease_expires_at > now()
            GROUP BY key)
         SELECT j.id, j.concurrency_keys, j.concurrency_limits FROM inngest_engine.jobs j
          WHERE j.kind = 'call' AND j.lease_owner IS NULL AND j.due_at <= now()
            AND NOT EXISTS (
              SELECT 1 FROM unnest(j.concurrency_keys, j.concurrency_limits) AS c(key, lim)
                JOIN held h ON h.key = c.key WHERE h.n >= c.lim)
          ORDER BY j.due_at, j.id
          LIMIT $1
          FOR UPDATE OF j SKIP LOCKED`,
        [max],
      );
      if (!candidates.length) return [];
      const keys = [...new Set(candidates.flatMap((row) => row.concurrency_keys))].sort();
      const held = new Map<string, number>();
      if (keys.length) {
        await db.query(
          `SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM (SELECT k FROM unnest($1::text[]) AS k ORDER BY k OFFSET 0) s`,
          [keys],
        );
        const { rows } = await db.query<{ key: string; n: number }>(
          `SELECT key, count(*)::int AS n FROM inngest_engine.jobs, unnest(concurrency_keys) AS key
            WHERE key = ANY($1) AND NOT (id = ANY($2)) AND lease_owner IS NOT NULL AND lease_expires_at > now()
            GROUP BY key`,
          [keys, candidates.map((row) => row.id)],
        );
        for (const row of rows) held.set(row.key, row.n);
      }
      const admitted = candidates.filter((row) => {
        const fits = row.concurrency_keys.every((key, index) => (held.get(key) ?? 0) < row.concurrency_limits[index]);
        if (fits) for (const key of row.concurrency_keys) held.set(key, (held.get(key) ?? 0) + 1);
        return fits;
      });
      if (!admitted.length) return [];
      await db.query(ASYNC_COMMIT);
      const { rows } = await db.query(
        `UPDATE inngest_engine.jobs SET lease_owner = $1, lease_expires_at = now() + $2 * interval '1 millisecond'
          WHERE id = ANY($3) RETURNING id, run_id, step_id, name, attempt`,
        [owner, leaseMs, admitted.map((row) => row.id)],
      );
      const calls = await loadCalls(db, [...new Set(rows.map((row) => row.run_id as string))]);
      return rows.map((row) => ({
        id: row.id,
        runId: row.run_id,
        stepId: row.step_id,
        name: row.name,
        attempt: row.attempt,
        call: calls.get(row.run_id) ?? null,
      }));
    });
  }

  /**
   * Hands back leases that expired (a missed heartbeat) or whose owner has no connection left
   * (its process died): the slow pass that keeps `claim` cheap. Returns how many it freed.
   */
  async reclaimLeases(): Promise<number> {
    return this.tx(async (db) => {
      await db.query(ASYNC_COMMIT);
      const { rowCount } = await db.query(
        `UPDATE inngest_engine.jobs SET lease_owner = NULL, lease_expires_at = NULL
          WHERE lease_owner IS NOT NULL
            AND (lease_expires_at IS NULL OR lease_expires_at <= now() OR lease_owner NOT IN (${ALIVE}))`,
      );
      return rowCount ?? 0;
    });
  }

  async heartbeat(owner: string, jobIds: string[], leaseMs: number) {
    if (!jobIds.length) return;
    await this.pool.query(
      `UPDATE inngest_engine.jobs SET lease_expires_at = now() + $3 * interval '1 millisecond' WHERE lease_owner = $1 AND id = ANY($2)`,
      [owner, jobIds, leaseMs],
    );
  }

  /** Hands this instance's leases back, so a restart or another instance continues at once. */
  async releaseLeases(owner: string) {
    await this.pool.query(`UPDATE inngest_engine.jobs SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner = $1`, [owner]);
    // Payload '' (no owner): every listener, this instance's included, takes it as new work.
    await this.pool.query("SELECT pg_notify($1, '')", [NOTIFY_CHANNEL]);
  }

  /** What a call of the run needs: its event, its function and the memo in stack order. */
  async loadCall(runId: string): Promise<CallContext | undefined> {
    return (await loadCalls(this.pool, [runId])).get(runId);
  }

  /**
   * Records what a call's reply means for the run. Does nothing when this
   * instance no longer holds the job's lease (it expired and someone else
   * took over): the result is dropped and the step runs again, at least once.
   */
  async applyOutcome(job: Job, owner: string, outcome: CallOutcome, policy: RetryPolicy, options: { continueLeaseMs?: number } = {}): Promise<ApplyResult> {
    return this.tx(async (db) => {
      if (!(await lockRun(db, job.runId))) return { applied: false };
      const { rows } = await db.query<{ attempt: number; again: boolean }>(
        `SELECT attempt, again FROM inngest_engine.jobs WHERE id = $1 AND lease_owner = $2 FOR UPDATE`,
        [job.id, owner],
      );
      if (!rows.length) return { applied: false };
      const current = { ...job, ...rows[0] };
      const exhausted = current.attempt + 1 >= policy.maxAttempts;
      if (outcome.kind === "complete") {
        await finishRun(db, job.runId, "COMPLETED", { output: outcome.output });
      } else if (outcome.kind === "error") {
        if (!outcome.retriable || exhausted) {
          await finishRun(db, job.runId, "FAILED", { error: outcome.error });
        } else {
          await retryJob(db, current, outcome.retryAfterMs ?? policy.backoffMs(current.attempt));
          await refreshRun(db, job.runId, { attempt: current.attempt + 1, error: outcome.error });
        }
      } else {
        const continued = await applyOps(db, current, outcome.ops, {
          exhausted,
          retryInMs: outcome.retryAfterMs ?? policy.backoffMs(current.attempt),
          continueLeaseMs: options.continueLeaseMs,
        });
        // The run goes on at once in this call's slot: nothing for another instance to pick up.
        if (continued) return { applied: true, continued };
      }
      await notify(db, this.owner);
      return { applied: true };
    }, { asyncCommit: true });
  }

  /**
   * Milliseconds until the next timed work (sleep, retry, cron tick), if any. Each term reads one
   * index (jobs_claim_idx, jobs_due_idx, crons_next_at_idx); lease expiries are the periodic
   * reclaim pass's business, which kicks the loop when it frees a call.
   */
  async msUntilNextWork(): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ ms: number | null }>(
      `SELECT extract(epoch FROM LEAST(
         (SELECT min(due_at) FROM inngest_engine.jobs WHERE kind = 'call' AND lease_owner IS NULL AND due_at > now()),
         (SELECT min(due_at) FROM inngest_engine.jobs WHERE kind = 'wake' AND due_at > now()),
         (SELECT min(next_at) FROM inngest_engine.crons WHERE next_at > now())) - now()) * 1000 AS ms`,
    );
    return rows[0].ms === null ? undefined : Number(rows[0].ms);
  }
}

/** An event as the engine stores it and hands it to functions; `id` is the engine's, used when the sender gave none. */
export function eventPayload(event: IncomingEvent, id: string, ts = Date.now()): Record<string, unknown> {
  return {
    name: event.name,
    data: event.data ?? {},
    id: event.id ?? id,
    ts: event.ts ?? ts,
    ...(event.user && { user: event.user }),
    ...(event.v && { v: event.v }),
  };
}

/** The batch an event joins (`batchEvents.key` evaluated on it; one batch when there is no key). */
export function batchKey(batch: NonNullable<FunctionConfig["batch"]>, payload: Record<string, unknown>): string {
  return batch.key ? String(evaluateKey(batch.key, payload) ?? "") : "";
}

/** One batch key of one function, as a map key. */
const lane = (functionId: string, key: string) => `${functionId}\0${key}`;

/** The payload names the instance that committed the work: its own listener ignores it (it kicks in-process). */
async function notify(db: Db, owner: string) {
  await db.query("SELECT pg_notify($1, $2)", [NOTIFY_CHANNEL, owner]);
}

/** Event, function and memo (in stack order) of each run still running or sleeping. */
async function loadCalls(db: Db | pg.Pool, runIds: string[]): Promise<Map<string, CallContext>> {
  const calls = new Map<string, CallContext>();
  if (!runIds.length) return calls;
  // json (not jsonb) keeps each memo byte for byte, as the SDK expects on replay.
  const { rows } = await db.query(
    `SELECT r.id, r.parallel, e.payload AS event, f.config,
            CASE WHEN r.batch_event_ids IS NOT NULL THEN
              (SELECT json_agg(b.payload ORDER BY x.n) FROM unnest(r.batch_event_ids) WITH ORDINALITY AS x(id, n)
                 JOIN inngest_engine.events b ON b.id = x.id) END AS events,
            coalesce((SELECT json_agg(json_build_object('hashedId', s.hashed_id, 'result', s.result) ORDER BY s.seq)
                        FROM inngest_engine.steps s WHERE s.run_id = r.id), '[]'::json) AS memos
       FROM inngest_engine.runs r
       JOIN inngest_engine.events e ON e.id = r.event_id
       LEFT JOIN inngest_engine.functions f ON f.id = r.function_id
      WHERE r.id = ANY($1) AND r.status IN ('RUNNING', 'SLEEPING')`,
    [runIds],
  );
  for (const row of rows) {
    calls.set(row.id, { runId: row.id, parallel: row.parallel, event: row.event, events: row.events ?? [row.event], memos: row.memos, fn: row.config ?? undefined });
  }
  return calls;
}

type NewRun = {
  id: string;
  functionId: string;
  eventId: string;
  eventName: string;
  keys: string[];
  limits: number[];
  batchEventIds?: string[];
  batchKey?: string;
};

/** A run to start for this event, unless idempotency says this key already ran within 24 h. */
async function prepareRun(db: Db, fn: FunctionConfig, eventId: string, event: Record<string, unknown>): Promise<NewRun | null> {
  const runId = ulid();
  if (fn.idempotency) {
    const { rowCount } = await db.query(
      `INSERT INTO inngest_engine.idempotency (function_id, key, run_id, expires_at) VALUES ($1, $2, $3, now() + interval '24 hours')
       ON CONFLICT (function_id, key) DO UPDATE SET run_id = EXCLUDED.run_id, expires_at = EXCLUDED.expires_at
         WHERE inngest_engine.idempotency.expires_at <= now()`,
      [fn.id, evaluateKey(fn.idempotency, event), runId],
    );
    if (!rowCount) return null;
  }
  // One slot key per constraint; without a key expression the limit is function-wide.
  const keys = fn.concurrency.map((c) => JSON.stringify([fn.id, c.key ?? null, c.key ? evaluateKey(c.key, event) : null]));
  const limits = fn.concurrency.map((c) => c.limit);
  return { id: runId, functionId: fn.id, eventId, eventName: String(event.name), keys, limits };
}

/** Inserts runs and their first (discovery) calls: one statement for any number of runs. */
async function insertRuns(db: Db, runs: NewRun[]) {
  if (!runs.length) return;
  await db.query(
    `WITH input AS (
       SELECT * FROM json_to_recordset($1::json)
         AS x(id text, "functionId" text, "eventId" text, "eventName" text, keys text[], limits int[], "batchEventIds" text[], "batchKey" text)
     ), created AS (
       INSERT INTO inngest_engine.runs (id, function_id, event_id, event_name, status, concurrency_keys, concurrency_limits, batch_event_ids, batch_key)
       SELECT id, "functionId", "eventId", "eventName", 'RUNNING', keys, limits, "batchEventIds", "batchKey" FROM input
     )
     INSERT INTO inngest_engine.jobs (run_id, step_id, kind, concurrency_keys, concurrency_limits)
     SELECT id, $2, 'call', keys, limits FROM input`,
    [JSON.stringify(runs), DISCOVERY],
  );
}

async function lockRun(db: Db, runId: string): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM inngest_engine.runs WHERE id = $1 AND status IN ('RUNNING', 'SLEEPING') FOR UPDATE`,
    [runId],
  );
  if (!rows.length) await db.query(`DELETE FROM inngest_engine.jobs WHERE run_id = $1`, [runId]);
  return rows.length > 0;
}

type CurrentJob = Job & { again: boolean };

/**
 * What applyOutcome did: `applied` false when the lease was lost (nothing recorded); `continued`
 * when the reply memoized one step of a discovery call and the job stays leased to the caller,
 * due now, to call the run again at once with these memos appended and the function as it is
 * registered now (undefined: removed by a sync) (see Executor.runJob).
 */
export type ApplyResult = { applied: boolean; continued?: { memos: Memo[]; fn?: FunctionConfig; released: boolean } };

/** The 206 ops of one reply, as Inngest's executor treats them. */
async function applyOps(
  db: Db,
  job: CurrentJob,
  ops: Op[],
  retry: { exhausted: boolean; retryInMs: number; continueLeaseMs?: number },
): Promise<ApplyResult["continued"]> {
  const runId = job.runId;
  let memoized = false;
  const memos: Memo[] = [];
  const remember = async (hashedId: string, name: string | null, op: string, result: StepResult) => {
    if (await memoize(db, runId, hashedId, name, op, result, job.attempt)) memos.push({ hashedId, result });
    memoized = true;
  };
  let failedStep: SerializedError | undefined;
  let currentStep: string | null = job.name;
  for (const op of ops) {
    currentStep = op.displayName ?? op.name ?? currentStep;
    switch (op.op) {
      case "StepRun":
      case "Step":
        await remember(op.id, currentStep, op.op, { type: "data", data: op.data ?? null });
        break;
      case "StepFailed":
        await remember(op.id, currentStep, op.op, { type: "error", error: op.error ?? null });
        break;
      case "StepError":
        // The SDK sends StepFailed on the last attempt; this covers a reply that did not.
        if (retry.exhausted) {
          await remember(op.id, currentStep, "StepFailed", { type: "error", error: op.error ?? null });
        } else {
          failedStep = (op.error as SerializedError) ?? { name: "Error", message: "step failed" };
        }
        break;
      case "StepPlanned":
        await addJob(db, runId, op.id, "call", currentStep, "now()");
        break;
      case "Sleep": {
        const until = sleepUntil(String(op.opts?.duration ?? op.name ?? ""));
        if (!until) {
          await finishRun(db, runId, "FAILED", { error: { name: "UnsupportedSleep", message: `cannot read the duration of sleep "${currentStep}": ${op.name}` } });
          return;
        }
        await addJob(db, runId, op.id, "wake", currentStep, until);
        break;
      }
      case "RunComplete":
        await finishRun(db, runId, "COMPLETED", { output: op.data ?? null });
        return;
      default:
        await finishRun(db, runId, "FAILED", {
          error: { name: "UnsupportedStep", message: `step "${currentStep}" uses ${op.op}, which the local engine does not support` },
        });
        return;
    }
  }

  // A discovery call that ran one new step (the SDK's immediate execution): the run goes on with
  // the new memo, attempt counting restarts. With continueLeaseMs the caller calls again at once,
  // keeping the lease (and so the concurrency slot), instead of a later pass claiming the job
  // anew: no claim, no reload of the run's events and memos, no wait for the next pass.
  // Not when something else asked for a discovery meanwhile (`again`: a parallel step or a sleep
  // memoized since this call began): the memos in the caller's hands would miss theirs.
  const continues =
    !failedStep && job.stepId === DISCOVERY && retry.continueLeaseMs !== undefined && ops.length === 1 && memos.length === 1 && !job.again;
  // The function is read again with it, as a claim would: a sync may have changed or removed it.
  // A batch run's step has finished with the batch (its requests answered or cut loose), so its
  // concurrency slot and batch key go to the key's next batch now, not when this run completes:
  // Inngest's concurrency counts code executing, and frees the slot between a step's reply and the
  // next call. The call that goes on here then runs with immediate execution off (executor.ts), so
  // no step runs outside a slot: a further step comes back as StepPlanned and queues for one.
  let continued: ApplyResult["continued"];
  if (failedStep) {
    await retryJob(db, job, retry.retryInMs);
  } else if (continues) {
    const { rows } = await db.query<{ config: FunctionConfig | null; released: boolean }>({
      name: "engine.job.continue",
      text: `WITH released AS (
               UPDATE inngest_engine.runs SET batch_key = NULL WHERE id = $3 AND batch_key IS NOT NULL RETURNING id
             ), release AS (SELECT EXISTS (SELECT 1 FROM released) AS yes)
             UPDATE inngest_engine.jobs j SET attempt = 0, again = false, due_at = now(), lease_expires_at = now() + $2 * interval '1 millisecond',
                    concurrency_keys = CASE WHEN release.yes THEN '{}' ELSE j.concurrency_keys END,
                    concurrency_limits = CASE WHEN release.yes THEN '{}' ELSE j.concurrency_limits END
               FROM release
              WHERE j.id = $1
          RETURNING (SELECT f.config FROM inngest_engine.runs r JOIN inngest_engine.functions f ON f.id = r.function_id WHERE r.id = j.run_id) AS config,
                    release.yes AS released`,
      values: [job.id, retry.continueLeaseMs, runId],
    });
    continued = { memos, fn: rows[0]?.config ?? undefined, released: rows[0]?.released ?? false };
  } else if (memoized && job.stepId === DISCOVERY) {
    await requeue(db, job.id); // the run continues with the new memo, attempt counting restarts
  } else {
    if (job.again) await requeue(db, job.id);
    else await db.query(`DELETE FROM inngest_engine.jobs WHERE id = $1`, [job.id]);
    if (memoized) await enqueueDiscovery(db, runId);
  }

  const { rows } = await db.query(`SELECT 1 FROM inngest_engine.jobs WHERE run_id = $1 LIMIT 1`, [runId]);
  if (!rows.length) {
    // Only a reply that contradicts the memo gets here; stopping loudly beats spinning.
    await finishRun(db, runId, "FAILED", { error: { name: "ProtocolError", message: "the reply left the run with nothing to do" } });
    return;
  }
  await refreshRun(db, runId, {
    currentStep,
    attempt: failedStep ? job.attempt + 1 : 0,
    error: failedStep ?? (memoized ? null : undefined),
    // Sticky: every later call of a released batch run goes without immediate execution, also
    // after a restart hands it to another claim.
    parallel: ops.length > 1 || Boolean(continued?.released),
  });
  return continued;
}

/** Stores a step's result; false when the run already had one for that step (the first one stays). */
async function memoize(db: Db, runId: string, hashedId: string, name: string | null, op: string, result: StepResult, attempt: number) {
  const { rowCount } = await db.query(
    `INSERT INTO inngest_engine.steps (run_id, hashed_id, seq, name, op, result, attempt)
     VALUES ($1, $2, (SELECT coalesce(max(seq) + 1, 0) FROM inngest_engine.steps WHERE run_id = $1), $3, $4, $5, $6)
     ON CONFLICT (run_id, hashed_id) DO NOTHING`,
    [runId, hashedId, name, op, JSON.stringify(result), attempt],
  );
  return rowCount === 1;
}

/** A planned step or a sleep; a parallel re-discovery reports pending ones again, so repeats are ignored. */
async function addJob(db: Db, runId: string, stepId: string, kind: "call" | "wake", name: string | null, dueAt: Date | "now()") {
  await db.query(
    `INSERT INTO inngest_engine.jobs (run_id, step_id, kind, name, due_at, concurrency_keys, concurrency_limits)
     SELECT r.id, $2, $3, $4, coalesce($5::timestamptz, now()),
            CASE WHEN $3 = 'call' THEN r.concurrency_keys ELSE '{}' END,
            CASE WHEN $3 = 'call' THEN r.concurrency_limits ELSE '{}' END
       FROM inngest_engine.runs r
      WHERE r.id = $1 AND NOT EXISTS (SELECT 1 FROM inngest_engine.steps WHERE run_id = $1 AND hashed_id = $2)
     ON CONFLICT (run_id, step_id) DO NOTHING`,
    [runId, stepId, kind, name, dueAt === "now()" ? null : dueAt],
  );
}

/** Asks for a discovery call; if one is in flight, it runs once more when it ends. */
async function enqueueDiscovery(db: Db, runId: string) {
  await db.query(
    `INSERT INTO inngest_engine.jobs (run_id, step_id, kind, concurrency_keys, concurrency_limits)
     SELECT id, $2, 'call', concurrency_keys, concurrency_limits FROM inngest_engine.runs WHERE id = $1
     ON CONFLICT (run_id, step_id) DO UPDATE SET
       again = inngest_engine.jobs.again OR inngest_engine.jobs.lease_owner IS NOT NULL,
       due_at = CASE WHEN inngest_engine.jobs.lease_owner IS NULL THEN LEAST(inngest_engine.jobs.due_at, now()) ELSE inngest_engine.jobs.due_at END`,
    [runId, DISCOVERY],
  );
}

async function requeue(db: Db, jobId: string) {
  await db.query(
    `UPDATE inngest_engine.jobs SET attempt = 0, again = false, due_at = now(), lease_owner = NULL, lease_expires_at = NULL WHERE id = $1`,
    [jobId],
  );
}

async function retryJob(db: Db, job: Job, delayMs: number) {
  await db.query(
    `UPDATE inngest_engine.jobs SET attempt = attempt + 1, due_at = now() + $2 * interval '1 millisecond',
            lease_owner = NULL, lease_expires_at = NULL WHERE id = $1`,
    [job.id, Math.max(0, Math.round(delayMs))],
  );
}

async function finishRun(db: Db, runId: string, status: "COMPLETED" | "FAILED", result: { output?: unknown; error?: unknown }) {
  await db.query(
    `UPDATE inngest_engine.runs SET status = $2, output = $3, error = $4, ended_at = now(), updated_at = now(), next_wake_at = NULL
      WHERE id = $1`,
    [runId, status, result.output === undefined ? null : JSON.stringify(result.output), result.error === undefined ? null : JSON.stringify(result.error)],
  );
  await db.query(`DELETE FROM inngest_engine.jobs WHERE run_id = $1`, [runId]);
}

/** Status and visibility fields, derived from the run's remaining jobs. */
/** `error: null` clears the last error (the step it belonged to has since succeeded); undefined keeps it. */
async function refreshRun(db: Db, runId: string, patch: { currentStep?: string | null; attempt?: number; error?: unknown; parallel?: boolean }) {
  await db.query(
    `UPDATE inngest_engine.runs SET
       status = CASE WHEN EXISTS (SELECT 1 FROM inngest_engine.jobs WHERE run_id = $1 AND kind = 'call') THEN 'RUNNING' ELSE 'SLEEPING' END,
       next_wake_at = (SELECT min(due_at) FROM inngest_engine.jobs WHERE run_id = $1 AND lease_owner IS NULL AND due_at > now()),
       current_step = coalesce($2, current_step),
       attempt = coalesce($3, attempt),
       error = CASE WHEN $4 THEN $5::json ELSE error END,
       parallel = parallel OR $6,
       updated_at = now()
     WHERE id = $1`,
    [
      runId,
      patch.currentStep ?? null,
      patch.attempt ?? null,
      patch.error !== undefined,
      patch.error == null ? null : JSON.stringify(patch.error),
      patch.parallel ?? false,
    ],
  );
}
