/**
 * What one pass of the local engine's loop costs PostgreSQL with a backlog: `events` queued for
 * `keys` batch keys (endpoints) whose batches are all running, the state under load or behind
 * slow endpoints. Times the pass check (Store.dueTimers) and the batch-start statement
 * (Store.formBatches), median of 7, each in a rolled-back transaction.
 *   npx tsx --conditions=react-server bench/engine-backlog.ts [--events 200000] [--keys 20]
 * Both read per key, so their time should not grow with `events` (see inngest/engine/store.ts).
 */
import { rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import type { FunctionConfig } from "@/inngest/engine/config";
import { BATCH_READY, DUE_TIMERS, Store } from "@/inngest/engine/store";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { parseArgs } from "./lib/util";

const args = parseArgs(process.argv.slice(2));
const events = args.number("events", 200_000);
const keys = args.number("keys", 20);
const dataDir = path.resolve(`data/bench-engine-backlog-${process.pid}`);
const postgres = await startEmbeddedPostgres({ dataDir, password: "bench", database: "hookline_bench" });
const pool = new pg.Pool({ connectionString: postgres.url, max: 2 });
try {
  await migrate(postgres.url);
  const store = new Store(pool, "inngest-engine/bench");
  const fn: FunctionConfig = {
    id: "bench-batched",
    name: "batched",
    url: "http://127.0.0.1:1/api/inngest",
    events: ["bench/item"],
    crons: [],
    maxAttempts: 1,
    concurrency: [{ limit: 1, key: "event.data.key" }],
    batch: { maxSize: 100, timeoutMs: 1_000, key: "event.data.key" },
  };
  await store.register({ id: "bench", url: fn.url }, [fn]);
  // One running batch per key, then the backlog behind them.
  await store.ingest(Array.from({ length: keys }, (_, key) => ({ name: "bench/item", data: { key: `k${key}` } })));
  await store.formBatches(keys, { eager: keys, lingerMs: 0 });
  await pool.query(
    `WITH e AS (
       INSERT INTO inngest_engine.events (id, name, payload)
       SELECT 'backlog' || lpad(g::text, 9, '0'), 'bench/item', json_build_object('name', 'bench/item', 'data', json_build_object('key', 'k' || (g % $2)))
         FROM generate_series(1, $1) g RETURNING id, payload)
     INSERT INTO inngest_engine.batch_items (function_id, batch_key, event_id) SELECT $3, payload->'data'->>'key', id FROM e`,
    [events, keys, fn.id],
  );
  await pool.query("VACUUM ANALYZE inngest_engine.batch_items");

  const client = await pool.connect();
  const median = async (statement: string, values: unknown[]) => {
    const times: number[] = [];
    for (let round = 0; round < 7; round++) {
      await client.query("BEGIN");
      const started = performance.now();
      await client.query(statement, values);
      times.push(performance.now() - started);
      await client.query("ROLLBACK");
    }
    return Math.round(times.sort((a, b) => a - b)[3]! * 100) / 100;
  };
  const result = { events, keys, passCheckMs: await median(DUE_TIMERS, []), batchStartMs: await median(BATCH_READY, [250]) };
  client.release();
  console.log(JSON.stringify(result));
} finally {
  await pool.end();
  await postgres.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
