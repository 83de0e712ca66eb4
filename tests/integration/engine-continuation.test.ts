import { Inngest } from "inngest";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngine, type Engine } from "@/inngest/engine";
import { createTestDatabase } from "@/tests/helpers/db";
import { quietLogger, serveFunctions } from "@/tests/fixtures/engine/app";
import { finishedRun, stepsOf, waitFor } from "@/tests/fixtures/engine/helpers";

// A run whose reply ran one step goes on at once in the same slot (Executor.runJob): one claim
// for the whole sequence, not one per call. Claims are counted through the engine's afterClaim seam.
let engine: Engine;
let pool: pg.Pool;
let app: Awaited<ReturnType<typeof serveFunctions>>;
let inngest: Inngest.Any;
const claims = new Map<string, number>();
const bodies = new Map<string, number>();
/** Each step execution of the "lane" function: which batch, which step, when it ran. */
const laneSteps: Array<{ batch: string; step: string; from: number; to: number }> = [];
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  const { url } = await createTestDatabase();
  pool = new pg.Pool({ connectionString: url });
  engine = await startEngine({
    databaseUrl: url,
    retryBaseMs: 20,
    retryMaxMs: 100,
    pollMs: 60_000,
    afterClaim: (job) => claims.set(job.runId, (claims.get(job.runId) ?? 0) + 1),
  });
  inngest = new Inngest({ id: "engine-continuation", isDev: true, baseUrl: engine.url, logger: quietLogger });
  const seen = (key: string) => bodies.set(key, (bodies.get(key) ?? 0) + 1);
  app = await serveFunctions(inngest, [
    inngest.createFunction({ id: "sequence", triggers: [{ event: "test/sequence" }] }, async ({ event, step }) => {
      const a = await step.run("a", () => (seen(`a:${event.data.n}`), event.data.n + 1));
      const b = await step.run("b", () => (seen(`b:${event.data.n}`), a * 10));
      const c = await step.run("c", () => (seen(`c:${event.data.n}`), `${a}/${b}`));
      return { a, b, c };
    }),
    inngest.createFunction({ id: "long", triggers: [{ event: "test/long" }] }, async ({ step }) => {
      let total = 0;
      for (let i = 0; i < 25; i++) total += await step.run(`s${i}`, () => i);
      return total;
    }),
    inngest.createFunction({ id: "nap", triggers: [{ event: "test/nap" }] }, async ({ step }) => {
      const before = await step.run("before", () => "awake");
      await step.sleep("nap", "1s");
      return step.run("after", () => `${before} again`);
    }),
    inngest.createFunction(
      {
        id: "lane",
        triggers: [{ event: "test/lane" }],
        batchEvents: { maxSize: 2, timeout: "1s", key: "event.data.k" },
        concurrency: [{ key: "event.data.k", limit: 1 }],
      },
      async ({ events, step }) => {
        const batch = events.map((one: { data: { n: number } }) => one.data.n).join(",");
        const timed = (name: string, ms: number) => async () => {
          const from = Date.now();
          await pause(ms);
          laneSteps.push({ batch, step: name, from, to: Date.now() });
        };
        await step.run("work", timed("work", 150));
        await pause(400); // code outside any step, on every call after "work"
        await step.run("after", timed("after", 50));
        return batch;
      },
    ),
    inngest.createFunction({ id: "fails-then-goes-on", retries: 3, triggers: [{ event: "test/flaky" }] }, async ({ event, step }) => {
      const first = await step.run("flaky", () => {
        seen(`flaky:${event.data.n}`);
        if ((bodies.get(`flaky:${event.data.n}`) ?? 0) < 2) throw new Error("not yet");
        return "ok";
      });
      return step.run("then", () => `${first} then`);
    }),
  ]);
  await engine.syncApp(app.url);
});

afterAll(async () => {
  await app?.close();
  await engine?.stop();
  await pool?.end();
});

async function send(name: string, data: Record<string, unknown>) {
  const { ids } = await inngest.send({ name, data });
  return ids[0]!;
}

describe("a run goes on in the same slot while each reply ran one step", () => {
  it("runs three sequential steps and completes with one claim, each step once, memos in order", async () => {
    const run = await finishedRun(pool, await send("test/sequence", { n: 4 }));
    expect(run.status).toBe("COMPLETED");
    expect(run.output).toEqual({ a: 5, b: 50, c: "5/50" });
    expect((await stepsOf(pool, run.id)).map(({ name, op, result }) => ({ name, op, result }))).toEqual([
      { name: "a", op: "StepRun", result: { type: "data", data: 5 } },
      { name: "b", op: "StepRun", result: { type: "data", data: 50 } },
      { name: "c", op: "StepRun", result: { type: "data", data: "5/50" } },
    ]);
    expect(["a:4", "b:4", "c:4"].map((key) => bodies.get(key))).toEqual([1, 1, 1]);
    expect(claims.get(run.id)).toBe(1);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM inngest_engine.jobs WHERE run_id = $1`, [run.id]);
    expect(rows[0].n).toBe(0);
  });

  it("makes at most 25 calls in a row, then goes back in the queue", async () => {
    const run = await finishedRun(pool, await send("test/long", {}));
    expect(run.status).toBe("COMPLETED");
    expect(run.output).toBe(300);
    expect(await stepsOf(pool, run.id)).toHaveLength(25);
    // 26 calls (25 steps, then the one that completes): 25 on the first claim, 1 on a second
    expect(claims.get(run.id)).toBe(2);
  });

  it("stops at a sleep and is claimed again when it wakes", async () => {
    const run = await finishedRun(pool, await send("test/nap", {}));
    expect(run.status).toBe("COMPLETED");
    expect(run.output).toBe("awake again");
    expect((await stepsOf(pool, run.id)).map((step) => step.op)).toEqual(["StepRun", "Sleep", "StepRun"]);
    // the first call (then on through the sleep's op), and the call after the wake-up
    expect(claims.get(run.id)).toBe(2);
  });

  it("leaves a failed step to its retry, then goes on after it succeeds", async () => {
    const run = await finishedRun(pool, await send("test/flaky", { n: 1 }));
    expect(run.status).toBe("COMPLETED");
    expect(run.output).toBe("ok then");
    expect(bodies.get("flaky:1")).toBe(2);
    // the first call (its step failed: a retry, not a continuation), then the retry's call, which goes on to the end
    expect(claims.get(run.id)).toBe(2);
  });
});

describe("a batch run hands its concurrency slot and batch key on once its step has replied", () => {
  it("starts the key's next batch while the first run is still completing, and never runs two of the key's steps at once", async () => {
    await inngest.send([1, 2, 3, 4].map((n) => ({ name: "test/lane", data: { k: "x", n } })));
    const runs = await waitFor(
      async () => {
        const { rows } = await pool.query<{ status: string; output: unknown; ended_at: Date; parallel: boolean }>(
          `SELECT status, output, ended_at, parallel FROM inngest_engine.runs WHERE function_id LIKE '%lane' ORDER BY started_at`,
        );
        return rows.length === 2 && rows.every((row) => row.status === "COMPLETED") ? rows : undefined;
      },
      20_000,
      "both batch runs to complete",
    );
    expect(runs.map((run) => run.output)).toEqual(["1,2", "3,4"]);
    // The second batch's step ran while the first run was still in its completing calls (400 ms
    // of code outside steps on each), not after the first run ended.
    const secondWork = laneSteps.find((one) => one.batch === "3,4" && one.step === "work")!;
    expect(secondWork.from).toBeLessThan(runs[0]!.ended_at.getTime());
    // Each step once, and the limit of 1 per key held for every step of both runs.
    expect(laneSteps.map((one) => `${one.batch}:${one.step}`).sort()).toEqual(["1,2:after", "1,2:work", "3,4:after", "3,4:work"]);
    const ordered = [...laneSteps].sort((a, b) => a.from - b.from);
    for (let i = 1; i < ordered.length; i++) expect(ordered[i]!.from).toBeGreaterThanOrEqual(ordered[i - 1]!.to);
    // Later calls of a run that handed its slot on plan their steps instead of running them at once.
    expect(runs.every((run) => run.parallel)).toBe(true);
  });
});
