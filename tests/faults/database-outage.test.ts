/**
 * PostgreSQL stopped for ~30 s under load, then started again (issue 11's suite): publishes during
 * the outage answer 503 with a clear error, nothing accepted is lost, every delivery completes after.
 * A cluster of its own (the shared test cluster must keep serving the other files), a real event
 * API in place of the executor, a real receiver; the attempt core delivers what was requested.
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

const requested: string[] = [];
const sink = http.createServer((request, response) => {
  let body = "";
  request.on("data", (chunk) => (body += chunk));
  request.on("end", () => {
    const events = JSON.parse(body) as Array<{ id: string; data: { deliveryId: string } }>;
    for (const event of events) requested.push(event.data.deliveryId);
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ids: events.map((e) => e.id), status: 200 }));
  });
});
await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
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
process.env.INNGEST_DEV = "1";
process.env.INNGEST_BASE_URL = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;
process.env.HOOKLINE_ENCRYPTION_KEY = Buffer.alloc(32, 5).toString("base64");
process.env.HOOKLINE_ALLOW_PRIVATE_NETWORKS = "true";
process.env.HOOKLINE_API_RATE_LIMIT = "0";
const { resetEnv } = await import("@/lib/env");
resetEnv();
await migrate(postgres.url);

const { db } = await import("@/lib/db/client");
const { createApiKey } = await import("@/lib/features/settings/api-keys");
const { createEndpoint } = await import("@/lib/features/endpoints/service");
const { attemptDelivery } = await import("@/lib/delivery/attempt");
const { sweepDeliveries } = await import("@/lib/delivery/maintenance");
const { makeWorkspace } = await import("@/tests/helpers/factories");
const messagesRoute = await import("@/app/api/v1/messages/route");

afterAll(async () => {
  await postgres.stop();
  sink.close();
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
    // After the outage: the sweep repairs sends that never happened, then every delivery is attempted.
    await db().$executeRaw`UPDATE "Delivery" SET "createdAt" = "createdAt" - interval '1 minute'`;
    await sweepDeliveries();
    const deliveries = await db().delivery.findMany({ select: { id: true, messageId: true } });
    for (const delivery of deliveries) await attemptDelivery(delivery.id, { trigger: "SCHEDULED", scheduleAttempt: 1 });
    const done = await db().delivery.groupBy({ by: ["status"], _count: true });
    const messages = await db().message.findMany({ select: { id: true } });
    const lost = [...accepted].filter((id) => !messages.some((message) => message.id === id));
    console.info(`[faults] outage: ${accepted.size} accepted, ${refused} refused with 503 during ~${Math.round(Number(process.env.FAULTS_OUTAGE_MS ?? 30_000) / 1000)} s down, ${received.length} delivered, lost ${lost.length}`);
    expect(lost).toEqual([]);
    expect(done).toEqual([{ status: "SUCCEEDED", _count: accepted.size }]);
    expect(new Set(received).size).toBe(accepted.size);
    expect(new Set(requested).size).toBeGreaterThanOrEqual(accepted.size);
  });
});
