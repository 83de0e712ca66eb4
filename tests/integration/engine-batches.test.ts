import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FunctionConfig } from "@/inngest/engine/config";
import { BATCH_READY, DUE_TIMERS, Store } from "@/inngest/engine/store";
import { createTestDatabase } from "@/tests/helpers/db";

// When the local engine starts a `batchEvents` batch (Store.formBatches): full or timed out
// always; earlier only while few batch runs of the function are busy.
let db: pg.Pool;
let store: Store;

const fn: FunctionConfig = {
  id: "app-batched",
  name: "batched",
  url: "http://127.0.0.1:1/api/inngest",
  events: ["test/item"],
  crons: [],
  maxAttempts: 1,
  concurrency: [{ limit: 1, key: "event.data.key" }],
  batch: { maxSize: 3, timeoutMs: 1_000, key: "event.data.key" },
};

beforeAll(async () => {
  const { url } = await createTestDatabase();
  db = new pg.Pool({ connectionString: url, max: 4 });
  store = new Store(db, "inngest-engine/test");
  await store.register({ id: "app", url: fn.url }, [fn]);
});
afterAll(() => db.end());

const items = (key: string, count: number) => Array.from({ length: count }, (_, i) => ({ name: "test/item", data: { key, i } }));

async function startedKeys(): Promise<string[]> {
  const { rows } = await db.query(`SELECT batch_key FROM inngest_engine.runs WHERE status = 'RUNNING' ORDER BY batch_key`);
  return rows.map((row) => row.batch_key as string);
}

describe("batch start on the local engine", () => {
  it("starts full and timed-out batches at once, and lets the rest gather while the function's batch runs are busy", async () => {
    // Busy: one batch run of the function started a moment ago (key "busy").
    await store.ingest(items("busy", 1));
    expect(await store.formBatches(10, { eager: 1, lingerMs: 0 })).toEqual({ started: 1, waiting: 0 }); // idle: at once
    await store.ingest([...items("full", 3), ...items("young", 1), ...items("old", 1)]);
    await db.query(
      `UPDATE inngest_engine.batch_items SET received_at = now() - interval '2 seconds'
        WHERE event_id IN (SELECT id FROM inngest_engine.events WHERE payload->'data'->>'key' = 'old')`,
    );

    expect(await store.formBatches(10, { eager: 1, lingerMs: 0 })).toEqual({ started: 2, waiting: 1 });
    expect(await startedKeys()).toEqual(["busy", "full", "old"]);

    // One more eager run allowed: the young key starts, with what gathered meanwhile.
    await store.ingest(items("young", 1));
    expect(await store.formBatches(10, { eager: 4, lingerMs: 0 })).toEqual({ started: 1, waiting: 0 });
    const { rows } = await db.query(`SELECT cardinality(batch_event_ids) AS n FROM inngest_engine.runs WHERE batch_key = 'young'`);
    expect(rows).toEqual([{ n: 2 }]);
  });

  it("does not count a batch run that has been busy for a while (a slow endpoint's) against the others", async () => {
    await db.query(`UPDATE inngest_engine.runs SET started_at = now() - interval '5 seconds'`);
    await store.ingest(items("next", 1));
    expect(await store.formBatches(10, { eager: 1, lingerMs: 0 })).toEqual({ started: 1, waiting: 0 });
  });

  it("starts a hot key's next batch only once its linger is over, with everything that arrived meanwhile", async () => {
    await store.ingest(items("hot", 1));
    expect(await store.formBatches(10, { lingerMs: 60_000 })).toEqual({ started: 1, waiting: 0 });
    await db.query(`UPDATE inngest_engine.runs SET status = 'COMPLETED' WHERE batch_key = 'hot'`);
    await store.ingest(items("hot", 2));
    expect(await store.formBatches(10, { lingerMs: 60_000 })).toEqual({ started: 0, waiting: 1 });
    await store.ingest(items("hot", 1)); // now full (maxSize 3): a full batch never lingers
    expect(await store.formBatches(10, { lingerMs: 60_000 })).toEqual({ started: 1, waiting: 0 });
    const { rows } = await db.query(`SELECT cardinality(batch_event_ids) AS n FROM inngest_engine.runs WHERE batch_key = 'hot' ORDER BY started_at, id`);
    expect(rows).toEqual([{ n: 1 }, { n: 3 }]);
  });

  it("looks at batch keys, not at every queued event: a pass reads the same few rows whatever the backlog", async () => {
    // Five keys, each with a batch run in progress (its endpoint is slow), and 20,000 events queued behind them.
    await db.query(`UPDATE inngest_engine.runs SET status = 'COMPLETED'`);
    await db.query(`DELETE FROM inngest_engine.batch_items`);
    const keys = ["k1", "k2", "k3", "k4", "k5"];
    for (const key of keys) await store.ingest(items(key, 1));
    expect(await store.formBatches(10, { eager: 10, lingerMs: 0 })).toEqual({ started: 5, waiting: 0 });
    await db.query(
      `WITH e AS (
         INSERT INTO inngest_engine.events (id, name, payload)
         SELECT 'backlog' || lpad(g::text, 6, '0'), 'test/item', json_build_object('name', 'test/item', 'data', json_build_object('key', 'k' || (g % 5 + 1)))
           FROM generate_series(1, 20000) g RETURNING id, payload)
       INSERT INTO inngest_engine.batch_items (function_id, batch_key, event_id, received_at)
       SELECT $1, payload->'data'->>'key', id, now() - interval '10 seconds' FROM e`,
      [fn.id],
    );
    await db.query("ANALYZE inngest_engine.batch_items");

    // Nothing can start: every key's batch is busy. Both statements read a handful of index entries.
    expect(await store.dueTimers()).toMatchObject({ batches: false });
    expect(await store.formBatches(10, { eager: 10, lingerMs: 0 })).toEqual({ started: 0, waiting: 0 });
    expect(await rowsRead(DUE_TIMERS, [])).toBeLessThan(50);
    expect(await rowsRead(BATCH_READY, [250])).toBeLessThan(50);

    // One key's run ends: it is due (full, and its oldest event waited past the timeout) and starts
    // a full batch of its oldest events; reading a key that can start costs at most maxSize more rows.
    await db.query(`UPDATE inngest_engine.runs SET status = 'COMPLETED' WHERE batch_key = 'k3'`);
    expect(await store.dueTimers()).toMatchObject({ batches: true });
    expect(await rowsRead(BATCH_READY, [250])).toBeLessThan(50 + fn.batch!.maxSize);
    expect(await store.formBatches(10, { eager: 10, lingerMs: 0 })).toEqual({ started: 1, waiting: 0 });
    const { rows } = await db.query(
      `SELECT batch_event_ids FROM inngest_engine.runs WHERE batch_key = 'k3' AND status = 'RUNNING'`,
    );
    expect(rows).toEqual([{ batch_event_ids: ["backlog000002", "backlog000007", "backlog000012"] }]);
    const { rows: left } = await db.query(`SELECT count(*)::int AS n FROM inngest_engine.batch_items`);
    expect(left).toEqual([{ n: 20_000 - 3 }]);
  });
});

/** Rows the statement read from batch_items (EXPLAIN ANALYZE: actual rows × loops of its scans). */
async function rowsRead(statement: string, values: unknown[]): Promise<number> {
  const client = await db.connect();
  try {
    await client.query("BEGIN"); // the try-lock is transaction-scoped: released by the rollback
    const { rows } = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${statement}`, values);
    await client.query("ROLLBACK");
    type PlanNode = { "Relation Name"?: string; "Actual Rows": number; "Actual Loops": number; Plans?: PlanNode[] };
    const sum = (node: PlanNode): number =>
      (node["Relation Name"] === "batch_items" ? node["Actual Rows"] * node["Actual Loops"] : 0) +
      (node.Plans ?? []).reduce((total, child) => total + sum(child), 0);
    return sum(rows[0]["QUERY PLAN"][0].Plan);
  } finally {
    client.release();
  }
}
