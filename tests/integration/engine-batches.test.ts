import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FunctionConfig } from "@/inngest/engine/config";
import { Store } from "@/inngest/engine/store";
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
});
