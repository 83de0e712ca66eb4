/**
 * PostgreSQL stopped for ~30 s under load, then started again (issue 11's suite): publishes during
 * the outage answer 503 with a clear error, nothing accepted is lost, every delivery completes after.
 * A cluster of its own (the shared test cluster must keep serving the other files), the real
 * delivery worker process (scripts/worker.ts, restarted when it exits, as scripts/serve.ts does),
 * the `/api/v1/messages` handler in this process (as Next.js runs it), a real receiver. Nothing
 * is driven by hand after the outage: the worker's engine, deliver runs and sweep recover alone.
 */
import http from "node:http";
import { chmodSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";
import { afterAll, describe, expect, it, vi } from "vitest";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { waitFor } from "@/tests/fixtures/engine/helpers";

const received: string[] = [];
const receiver = http.createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    received.push(String(request.headers["webhook-id"]));
    response.writeHead(200).end("ok");
  });
});
await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));

const dataDir = mkdtempSync(path.join(tmpdir(), "hookline-outage-"));
chmodSync(dataDir, 0o755); // postgres runs as its own OS user when we are root
const start = (port?: number) =>
  startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), password: "outage-test", port, settings: { fsync: "off" } });
let postgres = await start();
process.env.DATABASE_URL = postgres.url;
process.env.HOOKLINE_ENCRYPTION_KEY = Buffer.alloc(32, 5).toString("base64");
process.env.HOOKLINE_ALLOW_PRIVATE_NETWORKS = "true";
process.env.HOOKLINE_API_RATE_LIMIT = "0";
const { publishToWorkerEngine, supervise, workerProcess } = await import("@/tests/fixtures/delivery/worker");
const enginePort = await publishToWorkerEngine();
await migrate(postgres.url);

const { db } = await import("@/lib/db/client");
const { createApiKey } = await import("@/lib/features/settings/api-keys");
const { createEndpoint } = await import("@/lib/features/endpoints/service");
const { makeWorkspace } = await import("@/tests/helpers/factories");
const messagesRoute = await import("@/app/api/v1/messages/route");

const worker = workerProcess({ databaseUrl: postgres.url, enginePort });
await worker.start();
const supervisor = supervise(worker);

afterAll(async () => {
  await supervisor.stop();
  await postgres.stop();
  receiver.close();
});

async function publishOnce(key: string, n: number) {
  const request = new NextRequest("http://hookline.test/api/v1/messages", {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ eventType: "call:completed", payload: { n } }),
  });
  const response = await messagesRoute.POST(request, { params: Promise.resolve({}) });
  return { status: response.status, json: await response.json() };
}

describe("PostgreSQL outage under load", () => {
  it("answers 503 while it is down, loses nothing accepted, delivers everything after", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const ctx = await makeWorkspace("OWNER");
    const key = (await createApiKey(ctx, { name: "load" })).plaintext;
    await createEndpoint(ctx, { title: "R", url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook` });

    const accepted = new Set<string>();
    let refused = 0;
    let n = 0;
    const load = async (until: () => boolean) => {
      while (!until()) {
        const answer = await publishOnce(key, n++);
        if (answer.status === 202) accepted.add(answer.json.id);
        else {
          expect(answer.status, JSON.stringify(answer.json)).toBe(503);
          expect(answer.json.error.message).toMatch(/database/i);
          refused++;
        }
      }
    };
    await load(() => n >= 50);
    await postgres.stop();
    const outageEnds = Date.now() + Number(process.env.FAULTS_OUTAGE_MS ?? 30_000);
    await load(() => Date.now() >= outageEnds);
    postgres = await start(postgres.port); // the same address, as a restarted server has
    await load(() => accepted.size >= 100);

    expect(refused).toBeGreaterThan(0);
    // After the outage: the worker (restarted if the outage killed it) finishes every delivery by itself.
    await waitFor(
      async () => (await db().delivery.count({ where: { status: { not: "SUCCEEDED" } } })) === 0 && (await db().delivery.count()) >= accepted.size,
      240_000,
      "every delivery to succeed after the outage",
    );
    const done = await db().delivery.groupBy({ by: ["status"], _count: true });
    const messages = await db().message.findMany({ select: { id: true } });
    const lost = [...accepted].filter((id) => !messages.some((message) => message.id === id) || !received.includes(id));
    console.info(
      `[faults] outage: ${accepted.size} accepted, ${refused} refused with 503 during ~${Math.round(Number(process.env.FAULTS_OUTAGE_MS ?? 30_000) / 1000)} s down, ${new Set(received).size} delivered by the worker process (${supervisor.restarts()} restarts), lost ${lost.length}`,
    );
    expect(lost).toEqual([]);
    // (A publish cut off by the outage after its commit answered 503 but is stored: delivered too.)
    expect(done).toEqual([{ status: "SUCCEEDED", _count: messages.length }]);
    expect(new Set(received)).toEqual(new Set(messages.map((message) => message.id))); // webhook-id = message id
  });
});
