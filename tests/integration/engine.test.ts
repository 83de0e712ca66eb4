import { Inngest, NonRetriableError, type InngestFunction } from "inngest";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listRuns, startEngine, type Engine } from "@/inngest/engine";
import { createTestDatabase } from "@/tests/helpers/db";
import { quietLogger, serveFunctions } from "@/tests/fixtures/engine/app";
import { finishedRun, runsOfEvent, stepsOf, waitFor } from "@/tests/fixtures/engine/helpers";

let engine: Engine;
let pool: pg.Pool;
let app: Awaited<ReturnType<typeof serveFunctions>>;
let inngest: Inngest.Any;
const invocations = new Map<string, number>();
const count = (key: string) => {
  const n = (invocations.get(key) ?? 0) + 1;
  invocations.set(key, n);
  return n;
};

function fixtureFunctions(client: Inngest.Any): InngestFunction.Any[] {
  return [
    client.createFunction({ id: "steps", triggers: [{ event: "test/steps" }] }, async ({ event, step }) => {
      const one = await step.run("one", () => ({ n: event.data.n }));
      await step.sleep("nap", "1s");
      const flaky = await step.run("flaky", () => {
        const n = count(`flaky:${event.data.n}`);
        if (n <= 2) throw new Error(`flaky failure ${n}`);
        return `ok after ${n}`;
      });
      return { one, flaky };
    }),
    client.createFunction({ id: "refuses", triggers: [{ event: "test/refuses" }] }, async ({ step }) => {
      await step.run("refuse", () => {
        count("refuse");
        throw new NonRetriableError("not today");
      });
      return "unreachable";
    }),
    client.createFunction({ id: "exhausts", retries: 2, triggers: [{ event: "test/exhausts" }] }, async ({ step }) => {
      try {
        await step.run("always-fails", () => {
          count("always-fails");
          throw new Error("still broken");
        });
      } catch (error) {
        return { caught: (error as Error).message };
      }
    }),
    client.createFunction({ id: "throws", retries: 1, triggers: [{ event: "test/throws" }] }, async () => {
      count("throws");
      throw new Error("infrastructure down");
    }),
    client.createFunction({ id: "parallel", triggers: [{ event: "test/parallel" }] }, async ({ step }) => {
      const parts = await Promise.all(["a", "b", "c"].map((part) => step.run(`p-${part}`, () => (count(`p-${part}`), part))));
      return step.run("after", () => parts.join("+"));
    }),
    client.createFunction({ id: "ticker", triggers: [{ cron: "*/5 * * * *" }] }, async ({ event }) => ({ tick: event.name })),
    client.createFunction({ id: "once", idempotency: "event.data.key", triggers: [{ event: "test/once" }] }, async ({ event }) => event.data.key),
  ];
}

beforeAll(async () => {
  const { url } = await createTestDatabase();
  pool = new pg.Pool({ connectionString: url });
  // The safety-net poll is out of reach: every wake-up here must be event-driven or timed exactly.
  engine = await startEngine({ databaseUrl: url, retryBaseMs: 20, retryMaxMs: 100, pollMs: 60_000 });
  inngest = new Inngest({ id: "engine-test", isDev: true, baseUrl: engine.url, logger: quietLogger });
  app = await serveFunctions(inngest, fixtureFunctions(inngest));
  await engine.syncApp(app.url);
});

afterAll(async () => {
  await app?.close();
  await engine?.stop();
  await pool?.end();
});

async function send(name: string, data: Record<string, unknown> = {}, id?: string) {
  const { ids } = await inngest.send({ name, data, ...(id && { id }) });
  return ids[0];
}

describe("the local engine runs SDK functions like Inngest", () => {
  it("memoizes step.run, wakes from step.sleep and retries a failing step", async () => {
    const started = Date.now();
    const run = await finishedRun(pool, await send("test/steps", { n: 7 }));
    expect(run.status).toBe("COMPLETED");
    expect(run.output).toEqual({ one: { n: 7 }, flaky: "ok after 3" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const steps = await stepsOf(pool, run.id);
    expect(steps.map(({ name, op, attempt }) => ({ name, op, attempt }))).toEqual([
      { name: "one", op: "StepRun", attempt: 0 },
      { name: "nap", op: "Sleep", attempt: 0 },
      // two StepErrors, then success on the third attempt (attempts count from 0)
      { name: "flaky", op: "StepRun", attempt: 2 },
    ]);
    expect(steps[1].result).toEqual({ type: "data", data: null });
    expect(invocations.get("flaky:7")).toBe(3);
  });

  it("fails the run on a NonRetriableError without retrying", async () => {
    const run = await finishedRun(pool, await send("test/refuses"));
    expect(run.status).toBe("FAILED");
    expect(run.error?.message).toContain("not today");
    const steps = await stepsOf(pool, run.id);
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ name: "refuse", op: "StepFailed", attempt: 0, result: { type: "error" } });
    expect(invocations.get("refuse")).toBe(1);
  });

  it("memoizes a step's final error after retries + 1 attempts and lets the function handle it", async () => {
    const run = await finishedRun(pool, await send("test/exhausts"));
    expect(invocations.get("always-fails")).toBe(3);
    const steps = await stepsOf(pool, run.id);
    expect(steps).toMatchObject([{ name: "always-fails", op: "StepFailed", attempt: 2, result: { type: "error", error: { message: "still broken" } } }]);
    expect(run.status).toBe("COMPLETED");
    expect(run.output).toEqual({ caught: "still broken" });
  });

  it("retries a function-level error up to retries + 1 attempts, then fails", async () => {
    const run = await finishedRun(pool, await send("test/throws"));
    expect(run.status).toBe("FAILED");
    expect(run.error?.message).toBe("infrastructure down");
    expect(run.attempt).toBe(1);
    expect(invocations.get("throws")).toBe(2);
  });

  it("runs parallel steps once each, then continues", async () => {
    const run = await finishedRun(pool, await send("test/parallel"));
    expect(run.status).toBe("COMPLETED");
    expect(run.output).toBe("a+b+c");
    expect(run.parallel).toBe(true);
    const steps = await stepsOf(pool, run.id);
    expect(steps.slice(0, 3).map((step) => step.name).sort()).toEqual(["p-a", "p-b", "p-c"]);
    expect(steps[3].name).toBe("after");
    for (const part of ["a", "b", "c"]) expect(invocations.get(`p-${part}`)).toBe(1);
  });

  it("fires cron triggers with an inngest/scheduled.timer event and schedules the next tick", async () => {
    const { rows } = await pool.query(`SELECT next_at FROM inngest_engine.crons WHERE function_id = 'engine-test-ticker'`);
    expect(rows).toHaveLength(1);
    // Scheduled ahead of the sync (a few ms ago; on a 5-minute boundary it may be due already).
    expect(rows[0].next_at.getTime()).toBeGreaterThan(Date.now() - 5_000);
    expect(rows[0].next_at.getTime() % (5 * 60_000)).toBe(0);
    // Make the tick due now instead of waiting for the clock; NOTIFY wakes the engine.
    const forcedAt = Date.now();
    await pool.query(`UPDATE inngest_engine.crons SET next_at = now() WHERE function_id = 'engine-test-ticker'; NOTIFY inngest_engine`);
    const run = await waitFor(async () => {
      const { rows: runs } = await pool.query(`SELECT * FROM inngest_engine.runs WHERE function_id = 'engine-test-ticker' AND status = 'COMPLETED'`);
      return runs[0];
    });
    expect(run.event_name).toBe("inngest/scheduled.timer");
    expect(run.output).toEqual({ tick: "inngest/scheduled.timer" });
    // The next tick is the schedule's next instant after the one that fired (a run on a 5-minute
    // boundary may already have fired that one too: it is then the one after).
    const { rows: after } = await pool.query(`SELECT next_at FROM inngest_engine.crons WHERE function_id = 'engine-test-ticker'`);
    expect(after[0].next_at.getTime()).toBeGreaterThan(forcedAt);
    expect(after[0].next_at.getTime() % (5 * 60_000)).toBe(0);
  });

  it("starts one run per idempotency key within 24 h", async () => {
    const first = await send("test/once", { key: "k1" });
    const again = await send("test/once", { key: "k1" });
    const other = await send("test/once", { key: "k2" });
    expect((await finishedRun(pool, first)).output).toBe("k1");
    expect((await finishedRun(pool, other)).output).toBe("k2");
    expect(await runsOfEvent(pool, again)).toHaveLength(0);
  });

  it("drops a repeated event id within 24 h, as Inngest deduplicates sends", async () => {
    const first = await send("test/once", { key: "k3" }, "same-event");
    const repeat = await send("test/once", { key: "k4" }, "same-event");
    expect(repeat).toBe(first);
    await finishedRun(pool, first);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM inngest_engine.events WHERE external_id = 'same-event'`);
    expect(rows[0].n).toBe(1);
  });

  it("lists runs newest first with steps, filters and a cursor", async () => {
    const eventId = await send("test/steps", { n: 8 });
    const sleeping = await waitFor(async () => {
      const page = await listRuns(pool, { functionId: "engine-test-steps", status: "SLEEPING" });
      return page.data[0];
    });
    expect(sleeping.event).toMatchObject({ id: eventId, name: "test/steps", data: { n: 8 } });
    expect(sleeping.currentStep).toBe("nap");
    expect(new Date(sleeping.nextWakeAt!).getTime()).toBeGreaterThan(Date.now() - 1000);
    expect(sleeping.steps.map((step) => step.name)).toEqual(["one"]);
    await finishedRun(pool, eventId);

    const first = await listRuns(pool, { functionId: "engine-test-steps", limit: 1 });
    expect(first.data[0]).toMatchObject({ status: "COMPLETED", currentStep: "flaky", nextWakeAt: null, error: null });
    expect(first.data[0].steps.map((step) => step.status)).toEqual(["completed", "completed", "completed"]);
    expect(first.nextCursor).toBe(first.data[0].id);
    const second = await listRuns(pool, { functionId: "engine-test-steps", limit: 1, cursor: first.nextCursor });
    expect(second.data[0].id < first.data[0].id).toBe(true);
    const failed = await listRuns(pool, { status: "FAILED", eventName: "test/throws" });
    expect(failed.data).toHaveLength(1);
    expect(failed.data[0].error).toMatchObject({ message: "infrastructure down" });
  });
});

describe("registration", () => {
  it("refuses loudly a function option the engine does not implement, keeping the previous sync", async () => {
    const lines: string[] = [];
    const { url } = await createTestDatabase();
    const strict = await startEngine({ databaseUrl: url, log: (line) => lines.push(line) });
    const client = new Inngest({ id: "engine-test", isDev: true, baseUrl: strict.url, logger: quietLogger });
    const good = await serveFunctions(client, fixtureFunctions(client));
    const bad = await serveFunctions(client, [
      client.createFunction(
        { id: "throttled", throttle: { limit: 1, period: "1m" }, triggers: [{ event: "test/throttled" }] },
        async () => "never",
      ),
      client.createFunction({ id: "keyed", concurrency: { limit: 1, key: "event.data.a + event.data.b" }, triggers: [{ event: "test/keyed" }] }, async () => "never"),
    ]);
    try {
      await strict.syncApp(good.url);
      await expect(strict.syncApp(bad.url)).rejects.toThrow(/throttle is not supported by the local engine/);
      expect(lines.join("\n")).toMatch(/function "engine-test-throttled": throttle is not supported/);
      expect(lines.join("\n")).toMatch(/key expression "event\.data\.a \+ event\.data\.b" is not supported/);
      const check = new pg.Pool({ connectionString: url });
      const { rows } = await check.query(`SELECT id FROM inngest_engine.functions ORDER BY id`);
      await check.end();
      expect(rows.map((row) => row.id)).toContain("engine-test-steps");
      expect(rows.map((row) => row.id)).not.toContain("engine-test-throttled");
    } finally {
      await good.close();
      await bad.close();
      await strict.stop();
    }
  });
});
