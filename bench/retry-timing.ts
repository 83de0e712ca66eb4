/**
 * npx tsx --conditions=react-server bench/retry-timing.ts [--messages 1000 --endpoints 2 --delay 3000]
 * — how close to their schedule retries start under a burst, on the existing `.next-bench` build.
 * Every endpoint's receiver answers a first attempt 500 and a second 200; each endpoint retries
 * once, `--delay` ms after the first attempt ended (custom policy, no jitter). 16 clients publish
 * the messages as fast as they are answered, so the retries fall due while first attempts are
 * still being made. Reports, per retry, how late it started against the instant its schedule set
 * (attempt 1's start + its duration + the delay, from the Attempt rows), the engine's runs per
 * retry, and CPU per delivery by process.
 */
import os from "node:os";
import pg from "pg";
import { startBenchApp } from "./lib/app";
import { publishClosedLoop } from "./lib/client";
import { cpuByRole } from "./lib/server";
import { log, parseArgs, round, sleep, summarize } from "./lib/util";

const args = parseArgs(process.argv.slice(2));
const messages = args.number("messages", 1000);
const endpoints = args.number("endpoints", 2);
const delayMs = args.number("delay", 3000);

const app = await startBenchApp("retry-timing", { apiConcurrency: 256 });
const { api, receiver } = app;
const db = new pg.Client({ connectionString: app.databaseUrl });
try {
  await db.connect();
  for (let i = 0; i < endpoints; i++) {
    const { data } = await api.hookline.POST("/endpoints", {
      body: {
        title: `retry ${i}`,
        url: receiver.url(`fail-first/${i}`),
        eventTypes: ["bench.retry"],
        retryPolicy: { preset: "custom", delaysMs: [delayMs], jitter: false },
      },
    });
    if (!data) throw new Error("could not create an endpoint");
  }
  await publishClosedLoop(api, { eventType: "bench.retry", count: 20, concurrency: 4, payloadBytes: 1024, label: "warm-up" });
  await sleep(delayMs + 3000);
  const since = new Date();
  const { rows: runsBefore } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM inngest_engine.runs`);
  const cpuBefore = cpuByRole(app.server);
  const before = receiver.total;
  const startedAt = Date.now();
  const published = await publishClosedLoop(api, { eventType: "bench.retry", count: messages, concurrency: 16, payloadBytes: 1024, label: "publish" });
  // A publish the client saw fail (e.g. a keep-alive socket the server had just closed) made no deliveries.
  const total = published.filter((publish) => publish.status < 300).length * endpoints;
  const publishedAt = Date.now();
  const waitUntil = Date.now() + 180_000;
  while (receiver.total - before < total * 2) {
    if (Date.now() > waitUntil) throw new Error(`only ${receiver.total - before} of ${total * 2} requests arrived within 180 s`);
    await sleep(20);
  }
  const doneAt = Date.now();
  const cpuAfter = cpuByRole(app.server);
  // Let the last records land before reading them.
  await sleep(500);
  const { rows } = await db.query<{ late: number; first: number }>(
    `SELECT extract(epoch FROM (a2."createdAt" - (a1."createdAt" + a1."durationMs" * interval '1 millisecond' + $2 * interval '1 millisecond'))) * 1000 AS late,
            extract(epoch FROM a1."createdAt") * 1000 AS first
       FROM "Attempt" a1 JOIN "Attempt" a2 ON a2."deliveryId" = a1."deliveryId" AND a2.number = 2
      WHERE a1.number = 1 AND a1."createdAt" >= $1 AT TIME ZONE 'UTC'`,
    [since, delayMs],
  );
  const { rows: runsAfter } = await db.query<{ n: string; name: string }>(
    `SELECT count(*) AS n, coalesce(event_name, '') AS name FROM inngest_engine.runs WHERE started_at >= $1 GROUP BY event_name ORDER BY 1 DESC`,
    [since],
  );
  const late = rows.map((row) => Number(row.late));
  const cpu = Object.entries(cpuAfter).map(([role, ms]) => `${role} ${round((ms - cpuBefore[role]!) / (total * 2), 3)}`);
  const s = summarize(late);
  log(`${total} deliveries, ${total * 2} requests: published in ${publishedAt - startedAt} ms, all answered after ${doneAt - startedAt} ms; load ${os.loadavg()[0]!.toFixed(2)}`);
  log(`${late.length} retries: late by p50 ${round(s.p50 ?? NaN, 1)} ms, p90 ${round(s.p90 ?? NaN, 1)}, p99 ${round(s.p99 ?? NaN, 1)}, max ${round(s.max ?? NaN, 1)}; early: ${late.filter((ms) => ms < -1).length}`);
  log(`engine runs since the burst began (${Number(runsBefore[0]!.n)} before): ${runsAfter.map((row) => `${row.name} ${row.n}`).join(", ")}`);
  log(`CPU ms per request: ${cpu.join(", ")}`);
  console.log(JSON.stringify({ messages, endpoints, delayMs, retries: late.length, lateMs: s, loadAverage: os.loadavg()[0], runs: runsAfter }, null, 2));
} finally {
  await db.end().catch(() => {});
  await app.stop();
}
