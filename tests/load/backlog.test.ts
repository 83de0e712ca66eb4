/**
 * Load test (npm run test:load; not part of the timed unit tests): producers publish over real
 * HTTP, through the real route handlers, much faster than a deliberately slow receiver can take
 * deliveries, until the delivery backlog passes HOOKLINE_MAX_BACKLOG. It checks what issue 12
 * promises under load: publish answers 202/200, or 429/503 with Retry-After and a known error
 * code, never a 500; everything it answered 202 for is stored and, once the producers stop, is
 * delivered to the receiver (each message to each endpoint); nothing refused was stored.
 * Durations here are limits on waiting, not assertions on speed.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnv } from "@/lib/env";
import type { Db } from "@/lib/db/client";
import { makeWorkspace } from "@/tests/helpers/factories";
import { useTestDb } from "@/tests/helpers/services";
import { waitFor } from "@/tests/fixtures/engine/helpers";

const LIMIT = 300;
process.env.HOOKLINE_ALLOW_PRIVATE_NETWORKS = "true";
process.env.HOOKLINE_ENCRYPTION_KEY = Buffer.alloc(32, 5).toString("base64");
process.env.HOOKLINE_MAX_BACKLOG = String(LIMIT);
process.env.HOOKLINE_BACKLOG_CHECK_MS = "100";
process.env.HOOKLINE_ENDPOINT_CONCURRENCY = "5";
resetEnv();

/** Two endpoints × 5 concurrent × 1 / 100 ms: the receiver takes about 100 deliveries a second. */
const RECEIVER_DELAY_MS = 100;
const PRODUCERS = 24;

type Handler = (request: NextRequest, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

let db: Db;
let stop: Array<() => Promise<void> | void> = [];
let apiUrl: string;
let apiKey: string;
const received = new Map<string, Set<string>>(); // webhook-id (message id) → paths (endpoints)

/** The API over real HTTP: node:http in front of the route handlers (what Next does, minus Next). */
async function serveApi(routes: Record<string, Handler>) {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const handler = routes[req.url ?? ""];
      if (!handler) return void res.writeHead(404).end();
      const request = new NextRequest(`http://127.0.0.1${req.url}`, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(chunks),
      });
      const response = await handler(request, { params: Promise.resolve({}) });
      res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  stop.push(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function slowReceiver() {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const id = String(req.headers["webhook-id"]);
      if (!received.has(id)) received.set(id, new Set());
      received.get(id)!.add(req.url ?? "");
      setTimeout(() => res.writeHead(200).end("{}"), RECEIVER_DELAY_MS);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  stop.push(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  const { url, db: client } = await useTestDb();
  db = client;
  const { startDeliveryStack } = await import("@/tests/fixtures/delivery/stack");
  const stack = await startDeliveryStack({ databaseUrl: url });
  stop.push(stack.stop);
  const { createEndpoint } = await import("@/lib/features/endpoints/service");
  const { createApiKey } = await import("@/lib/features/settings/api-keys");
  const ctx = await makeWorkspace("OWNER");
  apiKey = (await createApiKey(ctx, { name: "load" })).plaintext;
  const receiverUrl = await slowReceiver();
  for (const path of ["/a", "/b"]) await createEndpoint(ctx, { title: path, url: `${receiverUrl}${path}`, eventTypes: ["load.tick"] });
  apiUrl = await serveApi({
    "/api/v1/messages": (await import("@/app/api/v1/messages/route")).POST as Handler,
    "/api/v1/messages/batch": (await import("@/app/api/v1/messages/batch/route")).POST as Handler,
  });
}, 120_000);

afterAll(async () => {
  for (const close of stop.reverse()) await close();
  stop = [];
});

type Answer = { status: number; retryAfter: string | null; code?: string; ids: string[] };

async function post(path: string, body: unknown): Promise<Answer> {
  const response = await fetch(`${apiUrl}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { id?: string; data?: Array<{ id: string }>; error?: { code: string } };
  const ids = response.status < 300 ? (json.data ? json.data.map((message) => message.id) : [json.id!]) : [];
  return { status: response.status, retryAfter: response.headers.get("retry-after"), code: json.error?.code, ids };
}

describe("publish under a full delivery backlog", () => {
  it("answers 429/503 with Retry-After (never 500) once the backlog is full, and delivers everything it accepted", async () => {
    const answers: Answer[] = [];
    let n = 0;
    const refusals = () => answers.filter((answer) => answer.status === 429 || answer.status === 503).length;
    const startedAt = Date.now();
    // Produce until the backlog has pushed back a good number of times (or a generous cap).
    await Promise.all(
      Array.from({ length: PRODUCERS }, async (_, producer) => {
        while (refusals() < 150 && Date.now() - startedAt < 60_000) {
          const i = n++;
          // Every fourth request is a batch of 10; a few carry an idempotency key and are sent twice.
          if (producer % 4 === 0) {
            answers.push(await post("/api/v1/messages/batch", { messages: Array.from({ length: 10 }, (_, j) => ({ eventType: "load.tick", payload: { i, j } })) }));
          } else if (i % 10 === 0) {
            const body = { eventType: "load.tick", payload: { i }, idempotencyKey: `tick-${i}` };
            answers.push(await post("/api/v1/messages", body));
            answers.push(await post("/api/v1/messages", body));
          } else {
            answers.push(await post("/api/v1/messages", { eventType: "load.tick", payload: { i } }));
          }
        }
      }),
    );

    const byStatus = answers.reduce<Record<number, number>>((counts, answer) => ({ ...counts, [answer.status]: (counts[answer.status] ?? 0) + 1 }), {});
    console.log(`[load] ${answers.length} publish requests in ${Date.now() - startedAt} ms:`, byStatus);
    expect(Object.keys(byStatus).map(Number).every((status) => [200, 202, 429, 503].includes(status)), JSON.stringify(byStatus)).toBe(true);
    expect(byStatus[500] ?? 0).toBe(0);
    expect(refusals()).toBeGreaterThanOrEqual(150);
    for (const refused of answers.filter((answer) => answer.status >= 400)) {
      expect(["delivery_backlog_full", "database_busy", "database_unavailable", "server_busy"]).toContain(refused.code);
      expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
    }

    // Exactly what was accepted is stored: nothing refused slipped in, nothing accepted is missing.
    const accepted = new Set(answers.flatMap((answer) => answer.ids));
    expect(accepted.size).toBeGreaterThan(LIMIT / 2);
    const stored = await db.message.findMany({ select: { id: true } });
    expect(new Set(stored.map((message) => message.id))).toEqual(accepted);
    console.log(`[load] ${accepted.size} messages accepted`);

    // Every accepted message reaches both endpoints, and every delivery ends SUCCEEDED.
    await waitFor(
      async () => [...accepted].every((id) => received.get(id)?.size === 2) && (await db.delivery.count({ where: { status: { not: "SUCCEEDED" } } })) === 0,
      240_000,
      "every accepted message delivered",
    );
    console.log(`[load] all ${accepted.size * 2} deliveries received ${Date.now() - startedAt} ms after the start`);

    // Drained: publish accepts again.
    await waitFor(async () => (await post("/api/v1/messages", { eventType: "load.tick", payload: { after: true } })).status === 202, 10_000, "publish accepted again");
  }, 360_000);
});
