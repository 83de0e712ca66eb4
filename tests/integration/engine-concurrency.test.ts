import { Inngest } from "inngest";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngine, type Engine } from "@/inngest/engine";
import { createTestDatabase } from "@/tests/helpers/db";
import { quietLogger, serveFunctions } from "@/tests/fixtures/engine/app";
import { finishedRun, runsOfEvent, waitFor } from "@/tests/fixtures/engine/helpers";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// In-flight step executions per concurrency key, and the worst ever seen.
const active = new Map<string, number>();
const maxActive = new Map<string, number>();
let maxActiveOverall = 0;
let activeOverall = 0;
let releaseStuck: () => void = () => {};
const stuck = new Promise<void>((resolve) => (releaseStuck = resolve));

async function tracked(key: string, work: () => Promise<void>) {
  active.set(key, (active.get(key) ?? 0) + 1);
  maxActive.set(key, Math.max(maxActive.get(key) ?? 0, active.get(key)!));
  maxActiveOverall = Math.max(maxActiveOverall, ++activeOverall);
  try {
    await work();
  } finally {
    active.set(key, active.get(key)! - 1);
    activeOverall--;
  }
}

let engines: Engine[] = [];
let pool: pg.Pool;
let app: Awaited<ReturnType<typeof serveFunctions>>;
let inngest: Inngest.Any;

beforeAll(async () => {
  const { url } = await createTestDatabase();
  pool = new pg.Pool({ connectionString: url });
  // Two instances on one database: the limit must hold across them.
  engines = [await startEngine({ databaseUrl: url, workers: 4 }), await startEngine({ databaseUrl: url, workers: 4 })];
  inngest = new Inngest({ id: "engine-concurrency", isDev: true, baseUrl: engines[0].url, logger: quietLogger });
  app = await serveFunctions(inngest, [
    inngest.createFunction(
      { id: "limited", concurrency: { limit: 1, key: "event.data.key" }, triggers: [{ event: "test/limited" }] },
      async ({ event, step }) => {
        for (const name of ["first", "second"]) await step.run(name, () => tracked(`limited:${event.data.key}`, async () => void (await pause(40))));
        return event.data.key;
      },
    ),
    inngest.createFunction(
      { id: "hangs", concurrency: { limit: 1, key: "event.data.key" }, triggers: [{ event: "test/hangs" }] },
      async ({ event, step }) => {
        await step.run("work", () => (event.data.key === "stuck" ? stuck : pause(10)));
        return event.data.key;
      },
    ),
  ]);
  await engines[0].syncApp(app.url);
});

afterAll(async () => {
  releaseStuck();
  await app?.close();
  await Promise.all(engines.map((engine) => engine.stop()));
  await pool?.end();
});

describe("concurrency", () => {
  it("never runs two steps of one key at once, across instances, while other keys run in parallel", async () => {
    const { ids } = await inngest.send(
      Array.from({ length: 16 }, (_, index) => ({ name: "test/limited", data: { key: `k${index % 4}` } })),
    );
    const runs = await Promise.all(ids.map((id) => finishedRun(pool, id, 20_000)));
    expect(runs.every((run) => run.status === "COMPLETED")).toBe(true);
    for (const key of ["k0", "k1", "k2", "k3"]) expect(maxActive.get(`limited:${key}`)).toBe(1);
    expect(maxActiveOverall).toBeGreaterThan(1);
  });

  it("lets other keys through while one key's runs hang", async () => {
    // Queue the stuck key first, more of it than there are workers, so a
    // head-of-line queue would starve everything behind it.
    const { ids: stuckIds } = await inngest.send(Array.from({ length: 10 }, () => ({ name: "test/hangs", data: { key: "stuck" } })));
    await waitFor(async () => (await pool.query(`SELECT 1 FROM inngest_engine.jobs WHERE lease_owner IS NOT NULL`)).rowCount);
    const { ids: freeIds } = await inngest.send(Array.from({ length: 6 }, (_, index) => ({ name: "test/hangs", data: { key: `free-${index}` } })));
    // The free keys finish while the stuck ones are still running (below): no head-of-line blocking.
    const free = await Promise.all(freeIds.map((id) => finishedRun(pool, id, 20_000)));
    expect(free.every((run) => run.status === "COMPLETED")).toBe(true);
    const stuckRuns = (await Promise.all(stuckIds.map((id) => runsOfEvent(pool, id)))).flat();
    expect(stuckRuns.every((run) => run.status === "RUNNING")).toBe(true);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM inngest_engine.jobs WHERE lease_owner IS NOT NULL`);
    expect(rows[0].n).toBe(1);

    releaseStuck();
    const done = await Promise.all(stuckIds.map((id) => finishedRun(pool, id, 10_000)));
    expect(done.every((run) => run.status === "COMPLETED")).toBe(true);
  });
});
