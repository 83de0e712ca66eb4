/**
 * Prometheus metrics (prom-client). Two kinds:
 * - events counted in the process where they happen: publishes (the Next.js server), attempts
 *   (whichever process runs the attempt core: the Next.js server for tests and resends, the
 *   delivery worker for scheduled deliveries). Each process exposes its own registry; sum()
 *   across instances in PromQL, as with any multi-instance service.
 * - state read from PostgreSQL at scrape time (backlog, deliveries and endpoints by state, engine
 *   runs): the same numbers from every process, whatever runs where.
 * Names and example queries: README, "Metrics".
 */
import client from "prom-client";
import { db } from "@/lib/db/client";

/** A count over fewer rows than this is made afresh at every scrape. */
const FRESH_COUNT_ROWS = 200_000;
/** Beyond that, it is made again once this many times its last duration has passed (its share of the time: 1 %). */
const COUNT_SPACING = 100;

/**
 * A count over rows that pile up as they are kept (finished and paused deliveries, finished runs):
 * exact, and made afresh at every scrape while it covers fewer than FRESH_COUNT_ROWS rows (by the
 * rows counted, not its duration, so a busy machine or a cold connection does not turn a small
 * install's counts stale). Above that (1,000,000 finished deliveries took 113 ms to count, 0.38 s of
 * CPU across PostgreSQL's parallel workers), it is made in the background at most once per
 * COUNT_SPACING times its last duration, and scrapes meanwhile answer with the last one. So a
 * process's scrapes wait for a scan of a long history only for its first count, and the scans take
 * one connection at most about 1 % of the time however large the history grows. A background count
 * that fails leaves the last one standing (`onError`) and is tried again no sooner than a
 * successful one would be; a fresh count that fails fails the scrape, as any other database read
 * does. Exported for tests.
 */
export function bulkCount<T>(
  read: () => Promise<T>,
  options: { rows: (value: T) => number; onError?: (error: unknown) => void; clock?: () => number },
) {
  const { rows, onError = () => {}, clock = () => performance.now() } = options;
  let last: { value: T; tookMs: number; rows: number } | undefined;
  /** When the last count, or try, ended and how long it took. */
  let tried = { at: -Infinity, tookMs: 0 };
  let running: Promise<T> | undefined;
  const refresh = (): Promise<T> => {
    if (running) return running;
    const started = clock();
    const count: Promise<T> = Promise.resolve()
      .then(read)
      .then((value) => {
        last = { value, tookMs: clock() - started, rows: rows(value) };
        return value;
      })
      .finally(() => {
        tried = { at: clock(), tookMs: clock() - started };
        if (running === count) running = undefined;
      });
    running = count;
    return count;
  };
  return {
    async get(): Promise<T> {
      if (!last || last.rows < FRESH_COUNT_ROWS) return refresh();
      if (clock() - tried.at >= Math.max(last.tookMs, tried.tookMs) * COUNT_SPACING) refresh().catch(onError);
      return last.value;
    },
  };
}

/** Rows a GROUP BY's counts add up to. */
const summed = (groups: Array<{ count: bigint }>) => groups.reduce((sum, group) => sum + Number(group.count), 0);

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

function create() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: "hookline_process_" });
  const published = new client.Counter({
    name: "hookline_messages_published_total",
    help: "Messages published (result: created, or duplicate for a repeated idempotency key)",
    labelNames: ["result"] as const,
    registers: [registry],
  });
  const publishSeconds = new client.Histogram({
    name: "hookline_publish_duration_seconds",
    help: "Time to answer one publish request, a message or a batch (validate, store, match, create deliveries, hand them to the executor)",
    buckets: SECONDS_BUCKETS,
    registers: [registry],
  });
  const attempts = new client.Counter({
    name: "hookline_attempts_total",
    help: "HTTP attempts made by this process (outcome: success|failure; trigger: SCHEDULED|MANUAL|TEST)",
    labelNames: ["outcome", "trigger"] as const,
    registers: [registry],
  });
  const attemptSeconds = new client.Histogram({
    name: "hookline_attempt_duration_seconds",
    help: "Duration of one HTTP attempt, connect to last byte, by outcome",
    labelNames: ["outcome"] as const,
    buckets: SECONDS_BUCKETS,
    registers: [registry],
  });
  const deliveriesFinished = new client.Counter({
    name: "hookline_deliveries_finished_total",
    help: "Deliveries that reached an outcome in this process (outcome: succeeded|failed|retry_scheduled)",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  const deliveriesDeferred = new client.Counter({
    name: "hookline_deliveries_deferred_total",
    help: "Scheduled attempts handed back to wait in their endpoint's backlog, not sent, because the endpoint's lane was full",
    registers: [registry],
  });

  // State from the database, read once per scrape (a few indexed aggregates).
  const deliveries = new client.Gauge({
    name: "hookline_deliveries",
    help: "Deliveries by status (all workspaces, within retention)",
    labelNames: ["status"] as const,
    registers: [registry],
  });
  const backlog = new client.Gauge({
    name: "hookline_delivery_backlog",
    help: "Deliveries waiting: due (PENDING with nextAttemptAt in the past), scheduled (a retry later), deferred (in their endpoint's backlog: its lane was full), in_flight (SENDING)",
    labelNames: ["state"] as const,
    registers: [registry],
  });
  const oldestDue = new client.Gauge({
    name: "hookline_delivery_oldest_due_seconds",
    help: "How long the oldest due delivery has been waiting (0 when none is due): the delivery lag",
    registers: [registry],
  });
  const oldestDeferred = new client.Gauge({
    name: "hookline_delivery_backlog_oldest_seconds",
    help: "How long ago the oldest delivery waiting in an endpoint's backlog was published (0 when none waits): how far a slow endpoint is behind",
    registers: [registry],
  });
  const endpoints = new client.Gauge({
    name: "hookline_endpoints",
    help: "Endpoints by state (enabled|disabled)",
    labelNames: ["state"] as const,
    registers: [registry],
  });
  const runs = new client.Gauge({
    name: "hookline_engine_runs",
    help: "Function runs of the local engine by function and status (RUNNING|SLEEPING|COMPLETED|FAILED|CANCELLED)",
    labelNames: ["function", "status"] as const,
    registers: [registry],
  });
  const scrapeErrors = new client.Counter({
    name: "hookline_metrics_database_errors_total",
    help: "Scrapes, or background counts of finished rows, whose database-derived gauges could not be read",
    registers: [registry],
  });

  // Finished rows pile up for as long as they are kept (HOOKLINE_RETENTION_DAYS, and
  // HOOKLINE_ENGINE_RETENTION_DAYS for runs), and so do a disabled endpoint's PAUSED deliveries:
  // they are counted apart from what is on its way (bulkCount).
  const finishedDeliveries = bulkCount(
    () =>
      db().$queryRaw<Array<{ status: string; count: bigint }>>`
        SELECT status::text AS status, count(*) AS count FROM "Delivery"
         WHERE status IN ('SUCCEEDED', 'FAILED', 'CANCELLED', 'PAUSED') GROUP BY 1`,
    { rows: summed, onError: () => scrapeErrors.inc() },
  );
  const finishedRuns = bulkCount(
    () =>
      db().$queryRaw<Array<{ function_id: string; status: string; count: bigint }>>`
        SELECT function_id, status, count(*) AS count FROM inngest_engine.runs
         WHERE status NOT IN ('RUNNING', 'SLEEPING') GROUP BY 1, 2`,
    { rows: summed, onError: () => scrapeErrors.inc() },
  );

  async function readDatabase() {
    // What is on its way is read through Delivery_active_idx, a partial index of PENDING and SENDING
    // deliveries (its predicate must appear as literals for PostgreSQL to use it), and the engine's
    // unfinished runs through runs_status_idx (status, id): both cost what the backlog holds, not the history.
    const [[active], endpointRows, activeRuns, finished, finishedRunRows] = await Promise.all([
      db().$queryRaw<
        Array<{ pending: bigint; sending: bigint; due: bigint; scheduled: bigint; deferred: bigint; oldest: number | null; oldestDeferred: number | null }>
      >`
        SELECT count(*) FILTER (WHERE status = 'PENDING') AS pending,
               count(*) FILTER (WHERE status = 'SENDING') AS sending,
               count(*) FILTER (WHERE status = 'PENDING' AND "deferredUntil" IS NULL AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= now())) AS due,
               count(*) FILTER (WHERE status = 'PENDING' AND "deferredUntil" IS NULL AND "nextAttemptAt" > now()) AS scheduled,
               count(*) FILTER (WHERE status = 'PENDING' AND "deferredUntil" IS NOT NULL) AS deferred,
               extract(epoch FROM now() - min(coalesce("nextAttemptAt", "createdAt"))
                 FILTER (WHERE status = 'PENDING' AND "deferredUntil" IS NULL AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= now())))::float8 AS oldest,
               extract(epoch FROM now() - min("createdAt") FILTER (WHERE status = 'PENDING' AND "deferredUntil" IS NOT NULL))::float8 AS "oldestDeferred"
          FROM "Delivery" WHERE status IN ('PENDING', 'SENDING')`,
      db().$queryRaw<Array<{ enabled: boolean; count: bigint }>>`SELECT enabled, count(*) AS count FROM "Endpoint" GROUP BY 1`,
      db().$queryRaw<Array<{ function_id: string; status: string; count: bigint }>>`
        SELECT function_id, status, count(*) AS count FROM inngest_engine.runs WHERE status IN ('RUNNING', 'SLEEPING') GROUP BY 1, 2`,
      finishedDeliveries.get(),
      finishedRuns.get(),
    ]);
    deliveries.reset();
    const byStatus: Record<string, unknown> = { PENDING: active?.pending, SENDING: active?.sending };
    for (const row of finished) byStatus[row.status] = row.count;
    for (const status of ["PENDING", "SENDING", "SUCCEEDED", "FAILED", "PAUSED", "CANCELLED"]) deliveries.set({ status }, Number(byStatus[status] ?? 0));
    backlog.set({ state: "due" }, Number(active?.due ?? 0));
    backlog.set({ state: "scheduled" }, Number(active?.scheduled ?? 0));
    backlog.set({ state: "deferred" }, Number(active?.deferred ?? 0));
    backlog.set({ state: "in_flight" }, Number(active?.sending ?? 0));
    oldestDue.set(Math.max(0, active?.oldest ?? 0));
    oldestDeferred.set(Math.max(0, active?.oldestDeferred ?? 0));
    endpoints.set({ state: "enabled" }, Number(endpointRows.find((row) => row.enabled)?.count ?? 0));
    endpoints.set({ state: "disabled" }, Number(endpointRows.find((row) => !row.enabled)?.count ?? 0));
    runs.reset();
    for (const row of [...activeRuns, ...finishedRunRows]) runs.set({ function: row.function_id, status: row.status }, Number(row.count));
  }

  return {
    registry,
    published,
    publishSeconds,
    attempts,
    attemptSeconds,
    deliveriesFinished,
    deliveriesDeferred,
    /** The text exposition, database gauges refreshed first (a database fault leaves them stale and counts it). */
    async scrape(): Promise<string> {
      try {
        await readDatabase();
      } catch {
        scrapeErrors.inc();
      }
      return registry.metrics();
    },
  };
}

// One registry per process, even when a bundler loads this module twice (Next dev, route chunks).
const globalForMetrics = globalThis as unknown as { hooklineMetrics?: ReturnType<typeof create> };
export function metrics() {
  globalForMetrics.hooklineMetrics ??= create();
  return globalForMetrics.hooklineMetrics;
}

export const METRICS_CONTENT_TYPE = client.Registry.PROMETHEUS_CONTENT_TYPE;

/** Called by the attempt core after each HTTP attempt. */
export function recordAttempt(attempt: { ok: boolean; durationMs: number; trigger: string; next: string }) {
  const m = metrics();
  const outcome = attempt.ok ? "success" : "failure";
  m.attempts.inc({ outcome, trigger: attempt.trigger });
  m.attemptSeconds.observe({ outcome }, attempt.durationMs / 1000);
  if (attempt.trigger === "SCHEDULED") {
    const finished = attempt.next === "succeeded" ? "succeeded" : attempt.next === "failed" ? "failed" : attempt.next === "retry" ? "retry_scheduled" : null;
    if (finished) m.deliveriesFinished.inc({ outcome: finished });
  }
}

/** Called by the attempt core when it hands deliveries back to their endpoint's backlog (its lane was full). */
export function recordDeferred(count: number) {
  metrics().deliveriesDeferred.inc(count);
}

/**
 * Called by publish once per request: each message it published (one, or up to 100 from
 * `POST /messages/batch`) counts, and the request's duration is observed once.
 */
export function recordPublish(messages: Array<{ created: boolean }>, seconds: number) {
  const m = metrics();
  const created = messages.filter((message) => message.created).length;
  if (created) m.published.inc({ result: "created" }, created);
  if (messages.length > created) m.published.inc({ result: "duplicate" }, messages.length - created);
  m.publishSeconds.observe(seconds);
}
