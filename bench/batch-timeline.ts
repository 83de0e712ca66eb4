/**
 * npx tsx --conditions=react-server bench/batch-timeline.ts [-- flags] — how one hot endpoint's
 * batch runs follow each other at a paced publish rate (fan-out 1), on the existing `.next-bench`
 * build: per run, its size, how long its oldest event waited for it, how long the run took and
 * the gap since the previous run ended. The figures `npm run bench`'s paced phase only sums up as
 * "publish → first attempt".
 *
 * Also prints the CPU per publish (its delivery included) of Next, the worker, PostgreSQL and the
 * bench's own process (client and receiver), which all share the machine's cores.
 *
 * Flags: --rate 300 --seconds 5 --rows 60
 *        --pgss   restart postgres with pg_stat_statements and print the paced phase's statements per publish
 */
import os from "node:os";
import pg from "pg";
import { startBenchApp } from "./lib/app";
import { publishPaced } from "./lib/client";
import { pgssTop, printPerUnit, resetPgss } from "./lib/pgss";
import { cpuByRole } from "./lib/server";
import { log, parseArgs, round, sleep, summarize } from "./lib/util";

const args = parseArgs(process.argv.slice(2));
const rate = args.number("rate", 300);
const seconds = args.number("seconds", 5);
const shown = args.number("rows", 60);
const pgss = args.bool("pgss");

type RunRow = { events: number; startedMs: number; endedMs: number; oldestEventMs: number };

const app = await startBenchApp("batch-timeline", { apiConcurrency: 256, pgss });
const { api, receiver } = app;
const db = new pg.Client({ connectionString: app.databaseUrl });
try {
  await db.connect();
  const { data } = await api.hookline.POST("/endpoints", { body: { title: "timeline", url: receiver.url("timeline/0"), eventTypes: ["bench.timeline"] } });
  if (!data) throw new Error("could not create the endpoint");
  await publishPaced(api, { eventType: "bench.timeline", rate: Math.min(rate, 100), seconds: 2, payloadBytes: 1024, label: "warm-up" });
  await sleep(1500);
  if (pgss) await resetPgss(db);
  const since = new Date();
  const transactions = async () => Number((await db.query("SELECT sum(xact_commit + xact_rollback) AS n FROM pg_stat_database")).rows[0].n);
  const transactionsBefore = await transactions();
  const cpuBefore = cpuByRole(app.server);
  const benchBefore = process.cpuUsage();
  const paced = await publishPaced(api, { eventType: "bench.timeline", rate, seconds, payloadBytes: 1024, label: "paced" });
  await sleep(3000);
  // CPU per publish, its delivery included, by process; "bench" is this one (client and receiver).
  const cpuAfter = cpuByRole(app.server);
  const transactionsUsed = (await transactions()) - transactionsBefore;
  const benchCpu = process.cpuUsage(benchBefore);
  const used = { ...Object.fromEntries(Object.entries(cpuAfter).map(([role, ms]) => [role, ms - cpuBefore[role]!])), bench: (benchCpu.user + benchCpu.system) / 1000 };
  const cpu = Object.entries(used).map(([role, ms]) => `${role} ${round(ms / paced.results.length, 2)}`);
  if (pgss) printPerUnit(await pgssTop(db, 25, "total_exec_time"), paced.results.length, "publish");
  // now() is each transaction's start: a run's formation, the run's end.
  const { rows } = await db.query<RunRow>(
    `SELECT cardinality(r.batch_event_ids) AS events,
            extract(epoch FROM r.started_at) * 1000 AS "startedMs", extract(epoch FROM r.ended_at) * 1000 AS "endedMs",
            (SELECT extract(epoch FROM min(e.received_at)) * 1000 FROM inngest_engine.events e WHERE e.id = ANY(r.batch_event_ids)) AS "oldestEventMs"
       FROM inngest_engine.runs r
      WHERE r.batch_event_ids IS NOT NULL AND r.started_at >= $1 AND r.ended_at IS NOT NULL
      ORDER BY r.started_at`,
    [since],
  );
  const runs = rows.map((row) => ({
    events: Number(row.events),
    waited: Number(row.startedMs) - Number(row.oldestEventMs),
    took: Number(row.endedMs) - Number(row.startedMs),
    started: Number(row.startedMs),
    ended: Number(row.endedMs),
  }));
  console.log("events  oldest waited  run took  gap since previous end (ms)");
  runs.slice(0, shown).forEach((run, index) => {
    const gap = index ? run.started - runs[index - 1]!.ended : NaN;
    console.log(
      [run.events, run.waited, run.took, gap].map((value, column) => (Number.isNaN(value) ? "–" : Math.round(value)).toString().padStart(column ? 14 : 6)).join(""),
    );
  });
  const fmt = (values: number[]) => {
    const summary = summarize(values.filter((value) => !Number.isNaN(value)));
    return `p50 ${summary.p50} / p99 ${summary.p99}`;
  };
  const latency = summarize(paced.results.map((result) => result.latencyMs));
  log(
    `${rate}/s × ${seconds} s: ${runs.length} batch runs, ${round(runs.reduce((sum, run) => sum + run.events, 0) / Math.max(1, runs.length), 1)} events each; ` +
      `oldest event waited ${fmt(runs.map((run) => run.waited))} ms; run took ${fmt(runs.map((run) => run.took))} ms; ` +
      `publish p50 ${latency.p50} / p99 ${latency.p99} ms; load ${os.loadavg()[0]!.toFixed(2)}`,
  );
  log(`CPU ms per publish, its delivery included: ${cpu.join(", ")}; PostgreSQL transactions per publish ${round(transactionsUsed / paced.results.length, 2)}`);
} finally {
  await db.end().catch(() => {});
  await app.stop();
}
