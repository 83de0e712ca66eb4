/**
 * npx tsx --conditions=react-server bench/fanout-timeline.ts [--messages 1000 --endpoints 20] —
 * the end-to-end shape of `npm run bench` (messages published by 16 clients, each to every endpoint)
 * on the existing `.next-bench` build, with each endpoint's lane laid out: per batch run, its size,
 * how long the run took (its one call: claim, requests, records) and the gap before its endpoint's
 * next run.
 */
import os from "node:os";
import pg from "pg";
import { startBenchApp } from "./lib/app";
import { publishClosedLoop } from "./lib/client";
import { cpuByRole } from "./lib/server";
import { log, parseArgs, round, sleep, summarize } from "./lib/util";

const args = parseArgs(process.argv.slice(2));
const messages = args.number("messages", 1000);
const endpoints = args.number("endpoints", 20);

const app = await startBenchApp("fanout-timeline", { apiConcurrency: 256 });
const { api, receiver } = app;
const db = new pg.Client({ connectionString: app.databaseUrl });
try {
  await db.connect();
  for (let i = 0; i < endpoints; i++) {
    const { data } = await api.hookline.POST("/endpoints", { body: { title: `fan ${i}`, url: receiver.url(`fan/${i}`), eventTypes: ["bench.fan"] } });
    if (!data) throw new Error("could not create an endpoint");
  }
  await publishClosedLoop(api, { eventType: "bench.fan", count: 50, concurrency: 4, payloadBytes: 1024, label: "warm-up" });
  await sleep(2000);
  const since = new Date();
  const cpuBefore = cpuByRole(app.server);
  const startedAt = Date.now();
  const before = receiver.total;
  await publishClosedLoop(api, { eventType: "bench.fan", count: messages, concurrency: 16, payloadBytes: 1024, label: "publish" });
  const publishedAt = Date.now();
  const waitUntil = Date.now() + 120_000;
  while (receiver.total - before < messages * endpoints) {
    if (Date.now() > waitUntil) throw new Error(`only ${receiver.total - before} of ${messages * endpoints} deliveries arrived within 120 s`);
    await sleep(20);
  }
  const doneAt = Date.now();
  const cpuAfter = cpuByRole(app.server);
  const total = messages * endpoints;
  const cpu = Object.entries(cpuAfter).map(([role, ms]) => `${role} ${round((ms - cpuBefore[role]!) / total, 3)}`);
  const { rows } = await db.query<{ key: string; events: number; startedMs: number; endedMs: number }>(
    `SELECT (SELECT e.payload->'data'->>'endpointId' FROM inngest_engine.events e WHERE e.id = r.event_id) AS key, cardinality(r.batch_event_ids) AS events,
            extract(epoch FROM r.started_at) * 1000 AS "startedMs", extract(epoch FROM r.ended_at) * 1000 AS "endedMs"
       FROM inngest_engine.runs r
      WHERE r.batch_event_ids IS NOT NULL AND r.started_at >= $1 AND r.ended_at IS NOT NULL
      ORDER BY key, r.started_at`,
    [since],
  );
  const byKey = new Map<string, typeof rows>();
  for (const row of rows) byKey.set(row.key, [...(byKey.get(row.key) ?? []), row]);
  const took: number[] = [], gaps: number[] = [];
  for (const [key, runs] of byKey) {
    runs.forEach((run, i) => {
      took.push(Number(run.endedMs) - Number(run.startedMs));
      if (i) gaps.push(Number(run.startedMs) - Number(runs[i - 1]!.endedMs));
    });
    if (key === [...byKey.keys()][0]) {
      console.log("first endpoint: events, started (ms from publish start), run took, gap since previous end");
      runs.forEach((run, i) => console.log([run.events, Number(run.startedMs) - startedAt, Number(run.endedMs) - Number(run.startedMs), i ? Number(run.startedMs) - Number(runs[i - 1]!.endedMs) : NaN].map((v) => (Number.isNaN(v) ? "–" : Math.round(v)).toString().padStart(10)).join("")));
    }
  }
  const { rows: durations } = await db.query<{ d: number }>(`SELECT "durationMs" AS d FROM "Attempt" WHERE "createdAt" >= $1 AT TIME ZONE 'UTC'`, [since]);
  const f = (v: number[]) => { const s = summarize(v); return `p50 ${s.p50} / p99 ${s.p99}`; };
  log(`${total} deliveries: published in ${publishedAt - startedAt} ms, delivered in ${doneAt - startedAt} ms → ${round(total / ((doneAt - startedAt) / 1000), 0)}/s; ${rows.length} batch runs, ${round(total / rows.length, 1)} deliveries each`);
  log(`a batch run took ${f(took)} ms; gap to the endpoint's next run ${f(gaps)} ms; load ${os.loadavg()[0]!.toFixed(2)}`);
  log(`request duration (as recorded) ${f(durations.map((row) => Number(row.d)))} ms`);
  log(`CPU ms per delivery: ${cpu.join(", ")}`);
} finally {
  await db.end().catch(() => {});
  await app.stop();
}
