/**
 * kill -9 of the server under load, repeated (issue 11's suite). The production layout of
 * scripts/serve.ts as processes of their own: the delivery worker (scripts/worker.ts: engine +
 * functions) and the app that serves the API (the real `/api/v1/messages` handler, which publishes
 * to the worker's engine). Publishing runs without pause through real HTTP; at random points the
 * worker, the app or both are killed -9 and started again. Then: every accepted message reaches
 * every endpoint (a request cut off by a kill comes again with the same webhook-id), every
 * delivery succeeds with one recorded success, lost = 0.
 *
 * The paths a kill strands are each forced here: publishes while the worker is down (the send
 * fails, `requestedAt` stays null, the sweep requests them), attempts cut off mid-request (the
 * engine resumes the run once its lease is gone, the attempt waits for the delivery's lease), and
 * the app killed between commit and send. The sweep's other rules (expired leases, dedupe, runs
 * that gave up) are forced one by one in tests/integration/stranded-deliveries.test.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { freePort } from "@/lib/db/embedded";
import { waitFor } from "@/tests/fixtures/engine/helpers";
import { hitReceiver, publishToWorkerEngine, scriptProcess, workerProcess } from "@/tests/fixtures/delivery/worker";
import { makeWorkspace } from "@/tests/helpers/factories";
import { useTestDb } from "@/tests/helpers/services";

const ROUNDS = Number(process.env.FAULTS_KILL_ROUNDS ?? 4);
process.env.HOOKLINE_ALLOW_PRIVATE_NETWORKS = "true";
process.env.HOOKLINE_ENCRYPTION_KEY = Buffer.alloc(32, 11).toString("base64");
process.env.HOOKLINE_API_RATE_LIMIT = "0";

let db: Db;
let url: string;
let enginePort: number;
const random = (min: number, max: number) => min + Math.random() * (max - min);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  ({ db, url } = await useTestDb());
  enginePort = await publishToWorkerEngine();
});

describe("kill -9 of the server under load, repeated", () => {
  it(`loses nothing accepted through ${ROUNDS} kills of the worker and the app`, { timeout: 600_000 }, async () => {
    const { createEndpoint } = await import("@/lib/features/endpoints/service");
    const { createApiKey } = await import("@/lib/features/settings/api-keys");
    const ctx = await makeWorkspace();
    const key = (await createApiKey(ctx, { name: "load" })).plaintext;
    const targets = [await hitReceiver(() => random(5, 40)), await hitReceiver(() => random(5, 40))];
    for (const [index, target] of targets.entries()) {
      await createEndpoint(ctx, { title: `kill ${index}`, url: target.url, eventTypes: ["kill"], timeoutMs: 2000 });
    }
    const appPort = await freePort();
    const worker = workerProcess({ databaseUrl: url, enginePort });
    // The app on a fixed port: a restart keeps the address clients use.
    const app = scriptProcess("tests/fixtures/delivery/app-server.ts", { ...process.env, DATABASE_URL: url, PORT: String(appPort) });
    try {
      await underLoad(ctx.workspaceId, key, targets, worker, app, appPort);
    } finally {
      // Before the test database is dropped: a child still connected would die on the drop.
      await Promise.all([app.kill(), worker.kill()]);
    }
  });
});

type Target = Awaited<ReturnType<typeof hitReceiver>>;
type Killable = { start: () => Promise<void>; kill: () => Promise<void> };

async function underLoad(workspaceId: string, key: string, targets: Target[], worker: Killable, app: Killable, appPort: number) {
  await Promise.all([worker.start(), app.start()]);

  // The load: four publishers without pause; 202 = accepted. While the app is down they get
  // connection errors (nothing accepted, nothing to lose); any other answer fails the test.
  const accepted = new Set<string>();
  const unexpected: string[] = [];
  let refused = 0;
  let stop = false;
  let n = 0;
  const publisher = async () => {
    while (!stop) {
      try {
        const response = await fetch(`http://127.0.0.1:${appPort}/api/v1/messages`, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify({ eventType: "kill", payload: { n: n++ } }),
        });
        const body = await response.json();
        if (response.status === 202 && body.deliveries.length === targets.length) accepted.add(body.id);
        else unexpected.push(`${response.status} ${JSON.stringify(body)}`);
      } catch {
        refused++; // the app is down, or was killed while answering
        await sleep(20);
      }
    }
  };
  const load = Promise.all([publisher(), publisher(), publisher(), publisher()]);

  // Each round kills at a random point: the worker, the app, then both, then one at random.
  const received = () => targets.reduce((sum, target) => sum + target.hits.length, 0);
  const kills: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const victim = (["worker", "app", "both"] as const)[round < 3 ? round : Math.floor(Math.random() * 3)];
    const before = received();
    await sleep(random(1000, 3500));
    await waitFor(async () => received() > before, 30_000, "deliveries to be under way before the kill");
    if (victim !== "app") await worker.kill();
    if (victim !== "worker") await app.kill();
    kills.push(`${victim} at ${accepted.size} accepted / ${received()} received`);
    await sleep(random(300, 2000)); // publishes meanwhile fail to reach the engine, or the app
    await Promise.all([victim !== "app" && worker.start(), victim !== "worker" && app.start()]);
  }
  await sleep(1000);
  stop = true;
  await load;
  expect(unexpected).toEqual([]);

  // Every delivery of every message stored (accepted or cut off before its answer) succeeds.
  const messageIds = new Set((await db.message.findMany({ where: { workspaceId }, select: { id: true } })).map((m) => m.id));
  const total = messageIds.size * targets.length;
  await waitFor(
    async () => (await db.delivery.count({ where: { workspaceId, status: "SUCCEEDED" } })) === total,
    Number(process.env.FAULTS_KILL_WAIT_MS ?? 420_000), // past the sweep's 5 min rule for a PENDING delivery no run holds
    "every delivery to succeed after the kills",
  ).catch(async (error) => {
    // What is left, and where it stands: the first thing to look at when this fails.
    const left = await db.delivery.findMany({
      where: { workspaceId, status: { not: "SUCCEEDED" } },
      select: { id: true, status: true, attemptCount: true, requestedAt: true, nextAttemptAt: true, leaseExpiresAt: true, createdAt: true, updatedAt: true },
    });
    console.error(`[faults] kill: ${left.length} deliveries not succeeded:`, JSON.stringify(left.slice(0, 20), null, 1));
    throw error;
  });
  const lost = [...accepted].filter((id) => !messageIds.has(id) || targets.some((target) => !target.hits.includes(id)));
  const duplicates = targets.reduce((sum, target) => sum + target.hits.length - new Set(target.hits).size, 0);
  console.info(
    `[faults] kill -9 ×${ROUNDS} (${kills.join("; ")}): ${accepted.size} accepted, ${messageIds.size} stored, ${refused} publishes refused while the app was down, ${total} deliveries succeeded, ${duplicates} repeated with the same webhook-id, lost ${lost.length}`,
  );
  expect(lost).toEqual([]);
  for (const target of targets) expect(new Set(target.hits)).toEqual(messageIds); // webhook-id = message id, nothing foreign
  const successes = await db.attempt.groupBy({ by: ["deliveryId"], where: { workspaceId, outcome: "SUCCESS" }, _count: true });
  expect(successes).toHaveLength(total);
  expect(successes.every((row) => row._count === 1)).toBe(true);
}
