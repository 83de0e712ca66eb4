import { spawn } from "node:child_process";
import { beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { freePort } from "@/lib/db/embedded";
import type { Db } from "@/lib/db/client";
import { waitFor } from "@/tests/fixtures/engine/helpers";
import { hitReceiver, publishToWorkerEngine, workerProcess } from "@/tests/fixtures/delivery/worker";
import { makeWorkspace } from "@/tests/helpers/factories";
import { useTestDb } from "@/tests/helpers/services";

// The delivery worker is a process of its own: killing it (not the app that publishes) loses
// nothing, and its restart continues where it stopped.
process.env.HOOKLINE_ALLOW_PRIVATE_NETWORKS = "true";
process.env.HOOKLINE_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString("base64");
let db: Db;
let url: string;
let enginePort: number;

beforeAll(async () => {
  ({ db, url } = await useTestDb());
  enginePort = await publishToWorkerEngine();
});

/** A second app instance (tests/fixtures/delivery/publisher.ts) publishing to another worker's engine. */
async function publishFromAnotherInstance(env: Record<string, string>): Promise<string[]> {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "tests/fixtures/delivery/publisher.ts"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise((resolve) => child.once("exit", resolve));
  const done = /DONE (.*)/.exec(output);
  if (code !== 0 || !done) throw new Error(`the second instance failed (${code}): ${output}`);
  return JSON.parse(done[1]!);
}

describe("the delivery worker process", () => {
  it("loses nothing when the worker alone is killed -9 mid-burst", { timeout: 90_000 }, async () => {
    const { createEndpoint } = await import("@/lib/features/endpoints/service");
    const { publish } = await import("@/lib/features/messages/publish");
    const ctx = await makeWorkspace();
    const targets = [await hitReceiver(), await hitReceiver()];
    for (const [index, target] of targets.entries()) {
      await createEndpoint(ctx, { title: `burst ${index}`, url: target.url, eventTypes: ["burst"], timeoutMs: 2000 });
    }
    const worker = workerProcess({ databaseUrl: url, enginePort });
    onTestFinished(() => worker.stop()); // passed or failed: no worker outlives its test
    await worker.start();

    const ids: string[] = [];
    const send = async (count: number) => {
      for (let i = 0; i < count; i++) ids.push((await publish(ctx, { eventType: "burst", payload: { i: ids.length } })).message.id);
    };
    await send(150);
    const received = () => targets[0].hits.length + targets[1].hits.length;
    await waitFor(async () => received() >= 60, 30_000, "the burst to be under way");
    await worker.kill();
    const atKill = received();
    expect(atKill).toBeLessThan(150 * targets.length); // killed mid-burst, not after it
    // The app goes on publishing while no worker runs: accepted, stored, delivered once it is back.
    await send(50);
    const total = ids.length * targets.length;

    await worker.start();
    await waitFor(
      async () => (await db.delivery.count({ where: { messageId: { in: ids }, status: "SUCCEEDED" } })) === total,
      60_000,
      "every delivery to succeed after the kill",
    );
    // Every message reached both endpoints (a request cut off by the kill is sent again, with the
    // same webhook-id), and each delivery has exactly one recorded success.
    for (const target of targets) expect(new Set(target.hits)).toEqual(new Set(ids));
    const successes = await db.attempt.groupBy({ by: ["deliveryId"], where: { messageId: { in: ids }, outcome: "SUCCESS" }, _count: true });
    expect(successes).toHaveLength(total);
    expect(successes.every((row) => row._count === 1)).toBe(true);
    await worker.stop();
  });
});

describe("two app instances and two workers on one PostgreSQL", () => {
  it("deliver each delivery exactly once", { timeout: 90_000 }, async () => {
    const { createEndpoint } = await import("@/lib/features/endpoints/service");
    const { publish } = await import("@/lib/features/messages/publish");
    const ctx = await makeWorkspace();
    const targets = [await hitReceiver(), await hitReceiver(), await hitReceiver()];
    for (const [index, target] of targets.entries()) {
      await createEndpoint(ctx, { title: `shared ${index}`, url: target.url, eventTypes: ["shared"] });
    }
    const { otherPort, metricsPorts } = await twoWorkers();

    // Instance A is this process (engine of worker 1); instance B a process of its own (worker 2's engine).
    const round = async (n: number) =>
      Promise.all([
        (async () => {
          const ids: string[] = [];
          for (let i = 0; i < 40; i++) ids.push((await publish(ctx, { eventType: "shared", payload: { instance: "a", n, i } })).message.id);
          return ids;
        })(),
        publishFromAnotherInstance({
          DATABASE_URL: url,
          INNGEST_BASE_URL: `http://127.0.0.1:${otherPort}`,
          WORKSPACE_ID: ctx.workspaceId,
          EVENT_TYPE: "shared",
          COUNT: "40",
        }),
      ]).then((both) => both.flat());
    const ids: string[] = [];
    let made = [0, 0];
    // Which worker's engine takes a batch is up to whichever looks first: a round can go all to one
    // (rarely, on a busy machine). Another round then, up to four: a worker that cannot deliver never
    // takes part, however many rounds.
    for (let n = 0; n < 4 && !made.every((count) => count > 0); n++) {
      ids.push(...(await round(n)));
      const total = ids.length * targets.length;
      await waitFor(
        async () => (await db.delivery.count({ where: { messageId: { in: ids }, status: "SUCCEEDED" } })) === total,
        60_000,
        "every delivery to succeed",
      );
      made = await Promise.all(metricsPorts.map((port) => attemptsMade(port)));
    }
    // Exactly once: each endpoint saw each message once, and each delivery has one attempt.
    const total = ids.length * targets.length;
    for (const target of targets) {
      expect(target.hits).toHaveLength(ids.length);
      expect(new Set(target.hits)).toEqual(new Set(ids));
    }
    expect(await db.attempt.count({ where: { messageId: { in: ids } } })).toBe(total);
    // Both workers took part, and between them made exactly those attempts.
    expect(made.every((count) => count > 0)).toBe(true);
    expect(made[0]! + made[1]!).toBe(total);
  });
});

describe("an endpoint's maxConcurrency with two workers", () => {
  it("holds across them while its requests outlast their batch", { timeout: 90_000 }, async () => {
    const { createEndpoint } = await import("@/lib/features/endpoints/service");
    const { publish } = await import("@/lib/features/messages/publish");
    const ctx = await makeWorkspace();
    // Slower than a batch's patience (1 s): each batch ends with its requests still in flight in its
    // worker, and the endpoint's next batch may start on the other one.
    const target = await hitReceiver(() => 1_500);
    await createEndpoint(ctx, { title: "two at a time", url: target.url, eventTypes: ["narrow"], maxConcurrency: 2, timeoutMs: 5_000 });
    const { metricsPorts } = await twoWorkers();

    const ids: string[] = [];
    let made = [0, 0];
    // Which worker takes a batch is up to whichever engine looks first: rounds until both took part (at most three).
    for (let round = 0; round < 3 && !made.every((count) => count > 0); round++) {
      for (let i = 0; i < 8; i++) ids.push((await publish(ctx, { eventType: "narrow", payload: { round, i } })).message.id);
      await waitFor(
        async () => (await db.delivery.count({ where: { messageId: { in: ids }, status: "SUCCEEDED" } })) === ids.length,
        60_000,
        "every delivery to succeed",
      );
      made = await Promise.all(metricsPorts.map((port) => attemptsMade(port)));
    }
    expect(made.every((count) => count > 0)).toBe(true);
    // Never more than its limit at once, across both workers; each message once.
    expect(target.stats.maxInFlight).toBeLessThanOrEqual(2);
    expect(target.stats.maxInFlight).toBe(2);
    expect(new Set(target.hits)).toEqual(new Set(ids));
    expect(target.hits).toHaveLength(ids.length);
  });
});

/**
 * Two delivery workers on the test database, started, stopped after the test: worker 1's engine on
 * `enginePort` (where this process publishes), worker 2's on `otherPort`. Each has its own scrape
 * listener (`metricsPorts`): its hookline_attempts_total counts the attempts it made.
 */
async function twoWorkers() {
  const otherPort = await freePort();
  const metricsPorts = [await freePort(), await freePort()];
  const workers = [enginePort, otherPort].map((port, index) =>
    workerProcess({ databaseUrl: url, enginePort: port, extraEnv: { HOOKLINE_WORKER_METRICS_PORT: String(metricsPorts[index]) } }),
  );
  onTestFinished(() => Promise.all(workers.map((worker) => worker.stop())).then(() => undefined));
  await Promise.all(workers.map((worker) => worker.start()));
  return { otherPort, metricsPorts };
}

/** The successful scheduled attempts a worker made, from its scrape listener on `port`. */
async function attemptsMade(port: number): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  if (!response.ok) throw new Error(`the worker's metrics listener on ${port} answered ${response.status}`);
  const text = await response.text();
  const line = text.split("\n").find((row) => row.startsWith("hookline_attempts_total{") && row.includes('outcome="success"') && row.includes('trigger="SCHEDULED"'));
  return line ? Number(line.split(" ").at(-1)) : 0;
}
