import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pruneEngineTables } from "@/inngest/engine/retention";
import { applyEngineRetention } from "@/lib/delivery/maintenance";
import { createTestDatabase } from "@/tests/helpers/db";
import { useTestDb } from "@/tests/helpers/services";

let db: pg.Pool;
const DAY = 24 * 3600_000;

beforeAll(async () => {
  const { url } = await createTestDatabase();
  db = new pg.Pool({ connectionString: url, max: 2 });
});
afterAll(() => db.end());

/** A run as the engine leaves it, `endedDaysAgo` null for one still running, with a step memo and a job. */
async function run(id: string, status: string, startedDaysAgo: number, endedDaysAgo: number | null, eventId = `evt_${id}`) {
  await db.query(
    `INSERT INTO inngest_engine.events (id, name, payload, received_at) VALUES ($1, 'hookline/delivery.requested', '{}', now() - make_interval(days => $2))
     ON CONFLICT DO NOTHING`,
    [eventId, startedDaysAgo],
  );
  await db.query(
    `INSERT INTO inngest_engine.runs (id, function_id, event_id, event_name, status, started_at, ended_at)
     VALUES ($1, 'hookline-deliver', $2, 'hookline/delivery.requested', $3, now() - make_interval(days => $4),
             CASE WHEN $5::int IS NULL THEN NULL ELSE now() - make_interval(days => $5::int) END)`,
    [id, eventId, status, startedDaysAgo, endedDaysAgo],
  );
  await db.query(`INSERT INTO inngest_engine.steps (run_id, hashed_id, seq, op, result) VALUES ($1, 'h1', 0, 'StepRun', '{"data":1}')`, [id]);
  await db.query(`INSERT INTO inngest_engine.jobs (run_id, step_id, kind) VALUES ($1, 'step', 'wake')`, [id]);
}

async function ids(table: string, column = "id") {
  const { rows } = await db.query(`SELECT ${column} AS id FROM inngest_engine.${table} ORDER BY 1`);
  return rows.map((row) => row.id as string);
}

describe("retention of the engine's tables", () => {
  it("deletes finished runs (with memos and jobs), unreferenced events and expired keys past the window, in bounded batches", async () => {
    for (let i = 0; i < 5; i++) await run(`old_done_${i}`, i % 2 ? "FAILED" : "COMPLETED", 10, 9);
    await run("recent_done", "COMPLETED", 2, 1);
    await run("old_sleeping", "SLEEPING", 30, null); // a retry schedule can outlast the window
    await run("old_running", "RUNNING", 12, null);
    await db.query(`INSERT INTO inngest_engine.events (id, name, payload, received_at) VALUES
      ('evt_orphan_old', 'x', '{}', now() - interval '8 days'), ('evt_orphan_recent', 'x', '{}', now() - interval '2 hours')`);
    await db.query(`INSERT INTO inngest_engine.idempotency (function_id, key, run_id, expires_at) VALUES
      ('f', 'expired', 'old_done_0', now() - interval '1 minute'), ('f', 'live', 'recent_done', now() + interval '1 hour')`);

    // Two batches of two per table: four of the five old runs go in this pass, the fifth in the next.
    const first = await pruneEngineTables(db, { runsOlderThanMs: 7 * DAY, batchSize: 2, maxBatches: 2 });
    expect(first.runs).toBe(4);
    expect(first.idempotencyKeys).toBe(1);
    const second = await pruneEngineTables(db, { runsOlderThanMs: 7 * DAY, batchSize: 2, maxBatches: 2 });
    expect(second.runs).toBe(1);
    expect(first.events + second.events).toBe(6); // the five runs' events and the old orphan

    expect(await ids("runs")).toEqual(["old_running", "old_sleeping", "recent_done"]);
    expect(await ids("steps", "run_id")).toEqual(["old_running", "old_sleeping", "recent_done"]);
    expect(await ids("jobs", "run_id")).toEqual(["old_running", "old_sleeping", "recent_done"]);
    expect(await ids("events")).toEqual(["evt_old_running", "evt_old_sleeping", "evt_orphan_recent", "evt_recent_done"]);
    expect(await ids("idempotency", "key")).toEqual(["live"]);

    // Nothing left to do: a pass over a pruned engine deletes nothing.
    expect(await pruneEngineTables(db, { runsOlderThanMs: 7 * DAY })).toEqual({ runs: 0, events: 0, idempotencyKeys: 0 });
  });

  it("keeps deleting full batches until the table is done, not a fixed number of them, within its time budget", async () => {
    // A fixed cap of batches per pass bounds what a minute deletes below a busy box's insert rate.
    // 25 batches of 2: more than the 20 batches a pass used to be capped at.
    for (let i = 0; i < 50; i++) await run(`many_${i}`, "COMPLETED", 10, 9);
    const all = await pruneEngineTables(db, { runsOlderThanMs: 7 * DAY, batchSize: 2 });
    expect(all).toEqual({ runs: 50, events: 50, idempotencyKeys: 0 });

    // Out of time after the first batch: one batch per table, the rest left to the next pass.
    for (let i = 0; i < 5; i++) await run(`budget_${i}`, "COMPLETED", 10, 9);
    expect(await pruneEngineTables(db, { runsOlderThanMs: 7 * DAY, batchSize: 2, budgetMs: 0 })).toEqual({ runs: 2, events: 2, idempotencyKeys: 0 });
    expect(await pruneEngineTables(db, { runsOlderThanMs: 7 * DAY, batchSize: 2 })).toEqual({ runs: 3, events: 3, idempotencyKeys: 0 });
    expect(await ids("runs")).toEqual(["old_running", "old_sleeping", "recent_done"]);
  });

  it("keeps events for 24 h even with a shorter run retention (Inngest drops a repeated event id within a day)", async () => {
    await run("short_done", "COMPLETED", 0, 0);
    await db.query(`UPDATE inngest_engine.runs SET ended_at = now() - interval '6 hours' WHERE id = 'short_done'`);
    await db.query(`UPDATE inngest_engine.events SET received_at = now() - interval '7 hours' WHERE id = 'evt_short_done'`);
    await pruneEngineTables(db, { runsOlderThanMs: 3600_000 });
    expect(await ids("runs")).not.toContain("short_done");
    expect(await ids("events")).toContain("evt_short_done");
  });
});

describe("the sweep's engine retention", () => {
  it("applies HOOKLINE_ENGINE_RETENTION_DAYS (default 7) to the app's database", async () => {
    const { url } = await useTestDb();
    const app = new pg.Pool({ connectionString: url, max: 1 });
    try {
      for (const [id, endedDaysAgo] of [["eight", 8], ["six", 6]] as const) {
        await app.query(`INSERT INTO inngest_engine.events (id, name, payload) VALUES ($1, 'e', '{}')`, [`evt_${id}`]);
        await app.query(
          `INSERT INTO inngest_engine.runs (id, function_id, event_id, event_name, status, ended_at)
           VALUES ($1, 'f', $2, 'e', 'COMPLETED', now() - make_interval(days => $3))`,
          [id, `evt_${id}`, endedDaysAgo],
        );
      }
      expect((await applyEngineRetention()).runs).toBe(1);
      const { rows } = await app.query(`SELECT id FROM inngest_engine.runs`);
      expect(rows.map((row) => row.id)).toEqual(["six"]);
    } finally {
      await app.end();
    }
  });
});
