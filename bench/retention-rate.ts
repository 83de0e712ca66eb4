/**
 * npx tsx --conditions=react-server bench/retention-rate.ts [--deliveries 300000] — how fast the
 * engine's retention (inngest/engine/retention.ts) deletes: fills the engine's tables with the
 * history of `deliveries` first attempts (bench/lib/history.ts), ages all of it past the 7-day
 * window, and times one retention pass. A box must delete faster than it delivers, or the tables
 * grow without bound.
 */
import pg from "pg";
import { pruneEngineTables } from "@/inngest/engine/retention";
import { startBenchApp } from "./lib/app";
import { fillEngineHistory } from "./lib/history";
import { log, parseArgs, round } from "./lib/util";

const args = parseArgs(process.argv.slice(2));
const deliveries = args.number("deliveries", 300_000);

const app = await startBenchApp("retention-rate", { apiConcurrency: 4 });
const client = new pg.Client({ connectionString: app.databaseUrl });
const pool = new pg.Pool({ connectionString: app.databaseUrl, max: 2 });
try {
  await client.connect();
  await fillEngineHistory(client, deliveries);
  await client.query(`UPDATE inngest_engine.runs SET ended_at = ended_at - interval '8 days', started_at = started_at - interval '8 days' WHERE id LIKE 'histrun%'`);
  await client.query(`UPDATE inngest_engine.events SET received_at = received_at - interval '8 days' WHERE id LIKE 'hist%'`);
  await client.query(`VACUUM (ANALYZE) inngest_engine.runs, inngest_engine.events`);
  const started = performance.now();
  const deleted = await pruneEngineTables(pool, { runsOlderThanMs: 7 * 24 * 3600_000, budgetMs: 60_000 });
  const seconds = (performance.now() - started) / 1000;
  log(`one pass deleted ${deleted.runs} runs (with their step memos) and ${deleted.events} events in ${round(seconds, 1)} s: ${round(deleted.events / seconds, 0)} events/s`);
} finally {
  await client.end().catch(() => {});
  await pool.end().catch(() => {});
  await app.stop();
}
