import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { Inngest } from "inngest";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/tests/helpers/db";
import { quietLogger } from "@/tests/fixtures/engine/app";
import { runsOfEvent, stepsOf, waitFor } from "@/tests/fixtures/engine/helpers";

const SERVER = path.resolve("tests/fixtures/engine/server.ts");
const RUNS = 6;

type Child = { process: ChildProcess; engineUrl: string; exited: Promise<void>; output: () => string };

let databaseUrl: string;
let pool: pg.Pool;
let current: Child | undefined;

async function startChild(crashAt = ""): Promise<Child> {
  const child = spawn(process.execPath, ["--import", "tsx", SERVER], {
    env: { ...process.env, DATABASE_URL: databaseUrl, CRASH_AT: crashAt },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ready = await Promise.race([
    waitFor(async () => output.match(/READY (\{.*\})/)?.[1], 20_000, "the fixture server"),
    exited.then(() => undefined),
  ]);
  // A crash point can be reached while syncing (leftover work resumes at once).
  current = { process: child, engineUrl: ready ? JSON.parse(ready).engineUrl : "", exited, output: () => output };
  return current;
}

async function kill9(child: Child) {
  if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill("SIGKILL");
  await child.exited;
}

/** Waits until the child killed itself at its crash point, or kills it after `ms`. */
async function crashWithin(child: Child, ms: number): Promise<"self" | "killed"> {
  const self = await Promise.race([child.exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);
  await kill9(child);
  return self ? "self" : "killed";
}

const statuses = async () => (await pool.query(`SELECT status, count(*)::int AS n FROM inngest_engine.runs GROUP BY status`)).rows;

beforeAll(async () => {
  ({ url: databaseUrl } = await createTestDatabase());
  pool = new pg.Pool({ connectionString: databaseUrl });
});

afterAll(async () => {
  if (current) await kill9(current);
  await pool?.end();
});

describe("crash safety", () => {
  it("loses no run and completes none twice across repeated kill -9", { timeout: 60_000 }, async () => {
    const crashes: string[] = [];

    // 1. events accepted, then killed while their first steps are in flight
    let child = await startChild();
    const client = new Inngest({ id: "crash-test", isDev: true, baseUrl: child.engineUrl, logger: quietLogger });
    const { ids } = await client.send(Array.from({ length: RUNS }, (_, n) => ({ name: "test/crash", data: { n } })));
    await waitFor(async () => (await pool.query(`SELECT 1 FROM engine_fixture_log`)).rowCount, 10_000, "a first step");
    await kill9(child);
    crashes.push("during steps");

    // 2. between the lease commit and the call
    child = await startChild("after-claim:2");
    crashes.push(`after claim (${await crashWithin(child, 10_000)})`);

    // 3. inside a step, after its side effect
    child = await startChild("in-step");
    crashes.push(`in step (${await crashWithin(child, 10_000)})`);

    // 4. while runs sleep
    child = await startChild();
    await waitFor(async () => (await statuses()).some((row) => row.status === "SLEEPING"), 15_000, "a sleeping run");
    await kill9(child);
    crashes.push("during sleep");

    // 5. once more right after a claim, then let everything finish
    child = await startChild("after-claim:1");
    crashes.push(`after claim (${await crashWithin(child, 10_000)})`);
    child = await startChild();
    await waitFor(
      async () => (await statuses()).every((row) => row.status === "COMPLETED") && (await statuses()).length === 1,
      30_000,
      "every run to complete",
    );
    await kill9(child);

    for (const [n, eventId] of ids.entries()) {
      const runs = await runsOfEvent(pool, eventId);
      expect(runs).toHaveLength(1);
      expect(runs[0].status).toBe("COMPLETED");
      expect(runs[0].output).toEqual({ n, done: true });
      expect((await stepsOf(pool, runs[0].id)).map((step) => step.name)).toEqual(["a", "slow", "nap", "b"]);
    }
    // At least once: every step's side effect happened, some more than once where a crash cut in.
    const { rows } = await pool.query(`SELECT n, step, count(*)::int AS times FROM engine_fixture_log GROUP BY n, step`);
    expect(rows).toHaveLength(RUNS * 3);
    const repeats = rows.reduce((sum, row) => sum + row.times - 1, 0);
    console.log(`engine crash test: ${crashes.length} kill -9 (${crashes.join(", ")}); ${RUNS} runs, all completed once; ${repeats} step side effects re-ran`);
    expect(await pool.query(`SELECT 1 FROM inngest_engine.jobs`).then((result) => result.rowCount)).toBe(0);
    expect(crashes.filter((crash) => crash.endsWith("(self)")).length).toBeGreaterThanOrEqual(2);
  });
});
