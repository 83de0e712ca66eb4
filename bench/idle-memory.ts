/**
 * npx tsx --conditions=react-server bench/idle-memory.ts — memory of the embedded default at rest
 * (`npm start`'s shape, on the existing `.next-bench` build), process by process (RSS and PSS;
 * PSS counts PostgreSQL's shared buffers once): 10 s after start, after 20 publishes, and 15, 45 and
 * 90 s after a burst of 1,000 messages × 20 endpoints, with the database connections left open; then
 * 60 s into retrying an endpoint that hangs (light work).
 * BENCH_NODE_OPTIONS=<flags> is passed to the server's node processes as NODE_OPTIONS (for
 * example `--require <file>` to log their heap spaces).
 */
import { readFileSync } from "node:fs";
import pg from "pg";
import { startBenchApp } from "./lib/app";
import { publishClosedLoop } from "./lib/client";
import { memoryKb, readProcs, snapshotTree } from "./lib/server";
import { log, sleep } from "./lib/util";

const app = await startBenchApp("idle-memory", { apiConcurrency: 64, extraEnv: process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : undefined });
async function report(label: string) {
  const rows: Array<{ what: string; rss: number; pss: number }> = [];
  for (const proc of snapshotTree(app.server, readProcs())) {
    let cmd = proc.comm;
    try {
      cmd = readFileSync(`/proc/${proc.pid}/cmdline`, "utf8").replaceAll("\0", " ").slice(0, 90);
    } catch {}
    const { rss, pss } = await memoryKb(proc.pid);
    rows.push({ what: cmd, rss, pss });
  }
  const total = rows.reduce((sum, row) => ({ rss: sum.rss + row.rss, pss: sum.pss + row.pss }), { rss: 0, pss: 0 });
  log(`${label}: PSS ${Math.round(total.pss / 1024)} MB, summed RSS ${Math.round(total.rss / 1024)} MB, ${rows.length} processes`);
  for (const row of rows.sort((a, b) => b.pss - a.pss)) log(`  ${String(Math.round(row.pss / 1024)).padStart(5)} MB PSS ${String(Math.round(row.rss / 1024)).padStart(5)} MB RSS  ${row.what}`);
}
try {
  await sleep(10_000);
  await report("after start (10 s)");
  const { data } = await app.api.hookline.POST("/endpoints", { body: { title: "idle", url: app.receiver.url("idle/0"), eventTypes: ["bench.idle"] } });
  if (!data) throw new Error("could not create an endpoint");
  await publishClosedLoop(app.api, { eventType: "bench.idle", count: 20, concurrency: 1, payloadBytes: 1024, label: "warm-up" });
  await sleep(15_000);
  await report("after 20 publishes (15 s later)");
  for (let i = 1; i < 20; i++) await app.api.hookline.POST("/endpoints", { body: { title: `fan ${i}`, url: app.receiver.url(`fan/${i}`), eventTypes: ["bench.idle"] } });
  await publishClosedLoop(app.api, { eventType: "bench.idle", count: 1000, concurrency: 16, payloadBytes: 1024, label: "burst" });
  let waited = 0;
  for (const seconds of [15, 45, 90]) {
    await sleep((seconds - waited) * 1000);
    waited = seconds;
    await report(`${seconds} s after a burst of 1,000 × 20`);
    const db = new pg.Client({ connectionString: app.databaseUrl });
    await db.connect();
    const { rows } = await db.query(`SELECT application_name, state, count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend' GROUP BY 1, 2 ORDER BY 3 DESC`);
    await db.end();
    log(`  backends: ${rows.map((r) => `${r.application_name || "(none)"} ${r.state} ×${r.n}`).join(", ")}`);
  }
  // Light work, not rest: an endpoint that never answers, its 5 s timeouts retried (a few requests a
  // second). V8 keeps a young generation at its largest while a process allocates even this much.
  await app.api.hookline.POST("/endpoints", { body: { title: "hangs", url: app.receiver.url("hang/0"), eventTypes: ["bench.hang"], timeoutMs: 5000 } });
  await publishClosedLoop(app.api, { eventType: "bench.hang", count: 200, concurrency: 4, payloadBytes: 1024, label: "to a hanging endpoint" });
  await sleep(60_000);
  await report("60 s into retrying an endpoint that hangs");
} finally {
  await app.stop();
}
