/**
 * npx tsx --conditions=react-server bench/publish-cost.ts [-- flags] — what one publish costs, per
 * process: the CPU time of Next (publish route), the delivery worker and PostgreSQL per message
 * published (fan-out 1), with the receiver's POSTs included. A quick companion to `npm run bench`
 * (about a minute on the existing `.next-bench` build): CPU per publish hardly depends on what else
 * the machine runs, so it can compare two builds on a shared machine.
 *
 * Flags: --count 1500 --concurrency 16 --warmup 200 --build (run `next build` first)
 *        --endpoints 1   fan-out: every message goes to this many endpoints (figures stay per publish)
 *        --pg "name=value[,name=value]"   PostgreSQL settings (ALTER SYSTEM + reload) for an A/B run
 *        --sql "statement[;statement]"   statements run after the warm-up, for an A/B run of a schema
 *              change (e.g. an index dropped) before it becomes a migration
 *        --cpu-prof <dir>   profiles of the server's node processes (see bench/profile-summary.ts)
 *        --pgss   restart postgres with pg_stat_statements and print the statements per publish
 */
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startBenchApp } from "./lib/app";
import { publishClosedLoop } from "./lib/client";
import { batchRuns } from "./lib/history";
import { pgssTop, printPerUnit, resetPgss } from "./lib/pgss";
import { buildApp, cpuByRole, snapshotTree, type Server } from "./lib/server";
import { log, parseArgs, round, sleep, summarize } from "./lib/util";

const args = parseArgs(process.argv.slice(2));
const count = args.number("count", 1500);
const concurrency = args.number("concurrency", 16);
const warmup = args.number("warmup", 200);
const fanout = args.number("endpoints", 1);
const pgss = args.bool("pgss");

/**
 * PostgreSQL's CPU by whom its backends serve (application_name): Next's pool, the delivery
 * worker's pool, the local engine's connections, and everything else (WAL writer, checkpointer,
 * autovacuum, the postmaster).
 */
async function postgresByClient(server: Server, db: pg.Client) {
  const { rows } = await db.query<{ pid: number; name: string }>(`SELECT pid, application_name AS name FROM pg_stat_activity`);
  const names = new Map(rows.map((row) => [row.pid, row.name]));
  const out: Record<string, number> = { next: 0, worker: 0, engine: 0, other: 0 };
  for (const proc of snapshotTree(server)) {
    if (!proc.comm.startsWith("postgres")) continue;
    const name = names.get(proc.pid) ?? "";
    // Hot-path pools: hookline#<mark> (Next), hookline-worker-<index>#<mark> (lib/db/pool.ts).
    const role = name.startsWith("hookline#") ? "next" : name.startsWith("hookline-worker") ? "worker" : name.startsWith("inngest-engine/") ? "engine" : "other";
    out[role]! += proc.cpuTicks * 10;
  }
  return out;
}

/**
 * The server's WAL so far: bytes from the insert position (exact), records and full-page images
 * from pg_stat_wal (backends report theirs within about a second, hence the pause before the
 * second reading).
 */
async function walTotals(db: pg.Client) {
  const { rows } = await db.query<{ records: string; bytes: string; fpi: string }>(
    `SELECT wal_records AS records, pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0') AS bytes, wal_fpi AS fpi FROM pg_stat_wal`,
  );
  return { records: Number(rows[0]!.records), bytes: Number(rows[0]!.bytes), fpi: Number(rows[0]!.fpi) };
}

/** Updates per table, and how many of them were HOT (no index entries written). */
async function tableUpdates(db: pg.Client) {
  const { rows } = await db.query<{ name: string; updates: string; hot: string }>(
    `SELECT relname AS name, n_tup_upd AS updates, n_tup_hot_upd AS hot FROM pg_stat_user_tables WHERE schemaname = 'public'`,
  );
  return new Map(rows.map((row) => [row.name, { updates: Number(row.updates), hot: Number(row.hot) }]));
}

type TableUpdates = Awaited<ReturnType<typeof tableUpdates>>;

/** The share of a table's updates in the measured phase that were HOT. */
function hotShare(before: TableUpdates, after: TableUpdates, table: string) {
  const updates = (after.get(table)?.updates ?? 0) - (before.get(table)?.updates ?? 0);
  const hot = (after.get(table)?.hot ?? 0) - (before.get(table)?.hot ?? 0);
  return { updates, hot: updates ? round(hot / updates, 2) : 0 };
}

if (args.bool("build")) await buildApp();
const profDir = args.string("cpu-prof", "");
const extraEnv: Record<string, string> = {
  // What a publish costs, not admission control: the whole run fits in the backlog (at fan-out 20
  // the default 20,000 would answer 429 from about 1,000 publishes on).
  HOOKLINE_MAX_BACKLOG: String(Math.max(20_000, 2 * (warmup + count) * fanout)),
  ...(profDir
    ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${path.resolve("bench/lib/cpu-profile-preload.cjs")}`.trim(), HOOKLINE_BENCH_PROF_DIR: path.resolve(profDir) }
    : {}),
};
const app = await startBenchApp("publish-cost", { apiConcurrency: 128, extraEnv, pgss });
const { api, receiver, server } = app;
try {
  for (let index = 0; index < fanout; index++) {
    const { data } = await api.hookline.POST("/endpoints", { body: { title: `cost ${index}`, url: receiver.url(`cost/${index}`), eventTypes: ["bench.cost"] } });
    if (!data) throw new Error("could not create the endpoint");
  }
  await publishClosedLoop(api, { eventType: "bench.cost", count: warmup, concurrency, payloadBytes: 1024, label: "warm-up" });
  while (receiver.distinct("cost/") < warmup * fanout) await sleep(100);
  const db = new pg.Client({ connectionString: app.databaseUrl });
  // The server stopping (a failed run's cleanup) ends this connection: not a crash of its own.
  db.on("error", (error) => log(`database connection: ${error.message}`));
  await db.connect();
  for (const setting of args.string("pg", "").split(",").filter(Boolean)) {
    const [name, value] = setting.split("=");
    if (!/^[a-z_.]+$/.test(name ?? "") || value === undefined) throw new Error(`--pg: not name=value: ${setting}`);
    await db.query(`ALTER SYSTEM SET ${name} = ${pg.escapeLiteral(value)}`);
    await db.query("SELECT pg_reload_conf()");
    log(`postgres: ${name} = ${value}`);
  }
  for (const statement of args.string("sql", "").split(";").filter((text) => text.trim())) {
    await db.query(statement);
    log(`postgres: ${statement.trim()}`);
  }
  await sleep(1000);
  const walBefore = await walTotals(db);
  const tablesBefore = await tableUpdates(db);
  if (pgss) await resetPgss(db);
  const before = cpuByRole(server);
  const pgBefore = await postgresByClient(server, db);
  const load = os.loadavg()[0]!;
  const since = new Date();
  const started = performance.now();
  const publishes = await publishClosedLoop(api, { eventType: "bench.cost", count, concurrency, payloadBytes: 1024, label: "publish" });
  const published = performance.now();
  while (receiver.distinct("cost/") < (warmup + publishes.length) * fanout) await sleep(20);
  const delivered = performance.now();
  await sleep(500);
  const after = cpuByRole(server);
  const pgAfter = await postgresByClient(server, db);
  // How many events each batch run carried: its fixed cost is spread over them.
  const batches = await batchRuns(db, since);
  await sleep(1500);
  const walAfter = await walTotals(db);
  const tablesAfter = await tableUpdates(db);
  if (pgss) printPerUnit(await pgssTop(db, 25, "total_exec_time"), publishes.length, "publish");
  await db.end();
  const perPublish = Object.fromEntries(Object.keys(after).map((role) => [role, round((after[role]! - before[role]!) / publishes.length, 2)]));
  const postgresPerPublish = Object.fromEntries(Object.keys(pgAfter).map((role) => [role, round((pgAfter[role]! - pgBefore[role]!) / publishes.length, 2)]));
  const latency = summarize(publishes.map((p) => p.latencyMs));
  console.log(
    JSON.stringify(
      {
        count: publishes.length,
        concurrency,
        endpoints: fanout,
        publishesPerSecond: round(publishes.length / ((published - started) / 1000), 1),
        deliveredAfterMs: round(delivered - started, 0),
        publishLatencyMs: { p50: latency.p50, p99: latency.p99 },
        cpuMsPerPublish: perPublish,
        postgresCpuMsPerPublishByClient: postgresPerPublish,
        // WAL hardly depends on the machine's neighbours: the firm side of an A/B run.
        walPerPublish: {
          records: round((walAfter.records - walBefore.records) / publishes.length, 1),
          kib: round((walAfter.bytes - walBefore.bytes) / 1024 / publishes.length, 2),
          fullPageImages: round((walAfter.fpi - walBefore.fpi) / publishes.length, 2),
        },
        hotUpdates: { delivery: hotShare(tablesBefore, tablesAfter, "Delivery"), endpoint: hotShare(tablesBefore, tablesAfter, "Endpoint") },
        batches,
        loadAverage: { before: round(load, 2), after: round(os.loadavg()[0]!, 2) },
      },
      null,
      2,
    ),
  );
} finally {
  await app.stop();
  log("stopped");
}
