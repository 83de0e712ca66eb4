import "@/tests/helpers/no-executor-env";
import net from "node:net";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/features/settings/api-keys";
import { createPrismaClient, db as currentDb, setDb, type Db } from "@/lib/db/client";
import { createPool, pool, setPool } from "@/lib/db/pool";
import { resetEnv } from "@/lib/env";
import { withEnv } from "@/tests/helpers/env";
import { makeWorkspace } from "@/tests/helpers/factories";
import { useTestDb } from "@/tests/helpers/services";
import * as batchRoute from "@/app/api/v1/messages/batch/route";
import * as messagesRoute from "@/app/api/v1/messages/route";
import * as endpointsRoute from "@/app/api/v1/endpoints/route";
import * as eventTypesRoute from "@/app/api/v1/event-types/route";

process.env.HOOKLINE_ALLOW_PRIVATE_NETWORKS = "true";
resetEnv();

type Handler = (request: NextRequest, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

let db: Db;
let url: string;
let key: string;

async function call(handler: unknown, body: unknown, authorization = key) {
  const request = new NextRequest("http://hookline.test/api/v1/x", {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${authorization}` },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const response = await (handler as Handler)(request, { params: Promise.resolve({}) });
  const text = await response.text();
  return { status: response.status, retryAfter: response.headers.get("retry-after"), json: text ? JSON.parse(text) : null };
}

async function counts() {
  const [messages, deliveries] = await Promise.all([db.message.count(), db.delivery.count()]);
  return { messages, deliveries };
}

beforeAll(async () => {
  ({ db, url } = await useTestDb());
  const ctx = await makeWorkspace("OWNER");
  key = (await createApiKey(ctx, { name: "batch" })).plaintext;
  for (const [title, eventTypes] of [["Calls", ["call:completed"]], ["Everything", []]] as const) {
    const created = await call(endpointsRoute.POST, { title, url: "http://127.0.0.1:9/hook", eventTypes });
    expect(created.status).toBe(201);
  }
  const schema = { type: "object", required: ["duration"], properties: { duration: { type: "number" } } };
  expect((await call(eventTypesRoute.POST, { name: "call:completed", schema })).status).toBe(201);
});

describe("POST /api/v1/messages/batch", () => {
  it("stores every message with its fan-out in one go and answers 202 with the ids, payloads byte for byte", async () => {
    const before = await counts();
    const raw = `{"messages":[
      {"eventType":"call:completed","payload":{ "duration" : 45, "1":12345678901234567890 },"account":"acc_1"},
      {"eventType":"lead.created","payload":{"b":1,"a":[1, 2.50]}},
      {"eventType":"call:completed","payload":{"duration":3},"idempotencyKey":"batch-call-3"}
    ]}`;
    const response = await call(batchRoute.POST, raw);
    expect(response.status).toBe(202);
    const data = response.json.data as Array<{ id: string; created: boolean; account: string | null; deliveries: unknown[] }>;
    expect(data.map((item) => item.created)).toEqual([true, true, true]);
    expect(data.map((item) => item.deliveries.length)).toEqual([2, 1, 2]);
    expect(data[0]!.account).toBe("acc_1");
    expect(new Set(data.map((item) => item.id)).size).toBe(3);
    expect(await counts()).toEqual({ messages: before.messages + 3, deliveries: before.deliveries + 5 });
    const stored = await db.message.findMany({ where: { id: { in: data.map((item) => item.id) } } });
    const bodies = Object.fromEntries(stored.map((message) => [message.id, message.body]));
    expect(bodies[data[0]!.id]).toBe('{ "duration" : 45, "1":12345678901234567890 }');
    expect(bodies[data[1]!.id]).toBe('{"b":1,"a":[1, 2.50]}');
  });

  it("refuses the whole batch when one message is invalid, pointing at each refused index", async () => {
    const before = await counts();
    const response = await call(batchRoute.POST, {
      messages: [
        { eventType: "call:completed", payload: { duration: 1 } },
        { eventType: "call:completed", payload: { duration: "long" } }, // schema
        { eventType: "lead.created", payload: { ok: true } },
        { eventType: "bad type!", payload: {} }, // zod
      ],
    });
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe("validation_failed");
    expect(response.json.error.details.map((item: { index: number }) => item.index)).toEqual([1, 3]);
    expect(response.json.error.details[0].details[0].path).toBe("payload.duration");
    expect(await counts()).toEqual(before);
  });

  it("keeps idempotency per message: repeats return the original, a changed payload refuses the batch with 409", async () => {
    const messages = [
      { eventType: "lead.created", payload: { n: 1 }, idempotencyKey: "lead-1" },
      { eventType: "lead.created", payload: { n: 2 }, idempotencyKey: "lead-2" },
    ];
    const first = await call(batchRoute.POST, { messages });
    expect(first.status).toBe(202);
    const again = await call(batchRoute.POST, { messages });
    expect(again.status).toBe(200);
    expect(again.json.data.map((item: { id: string }) => item.id)).toEqual(first.json.data.map((item: { id: string }) => item.id));
    expect(again.json.data.every((item: { created: boolean }) => !item.created)).toBe(true);

    const mixed = await call(batchRoute.POST, { messages: [...messages, { eventType: "lead.created", payload: { n: 3 }, idempotencyKey: "lead-3" }] });
    expect(mixed.status).toBe(202);
    expect(mixed.json.data.map((item: { created: boolean }) => item.created)).toEqual([false, false, true]);

    const before = await counts();
    const changed = await call(batchRoute.POST, {
      messages: [{ eventType: "lead.created", payload: { n: 4 }, idempotencyKey: "lead-4" }, { ...messages[1], payload: { n: 99 } }],
    });
    expect(changed.status).toBe(409);
    expect(changed.json.error.details).toMatchObject([{ index: 1, code: "conflict" }]);
    const twice = await call(batchRoute.POST, { messages: [messages[0], { ...messages[0], payload: { n: 5 } }] });
    expect(twice.status).toBe(409);
    expect(twice.json.error.details).toMatchObject([{ index: 1, code: "conflict" }]);
    expect(await counts()).toEqual(before);
  });

  it("refuses empty, oversized and malformed batches with 400", async () => {
    const before = await counts();
    for (const body of [{ messages: [] }, { messages: Array.from({ length: 101 }, () => ({ eventType: "a", payload: {} })) }, { messages: {} }, { message: [] }]) {
      const response = await call(batchRoute.POST, body);
      expect(response.status).toBe(400);
      expect(response.json.error.code).toBe("validation_failed");
    }
    expect(await counts()).toEqual(before);
  });
});

describe("admission control", () => {
  it("answers 429 delivery_backlog_full with Retry-After once the backlog reaches the limit, and still serves idempotent repeats", async () => {
    const earlier = await call(messagesRoute.POST, { eventType: "lead.created", payload: { n: 1 }, idempotencyKey: "before-full" });
    expect(earlier.status).toBe(202);
    // Every delivery published so far is PENDING and never attempted (no executor here): that is the backlog.
    const backlog = await db.delivery.count({ where: { status: "PENDING" } });
    expect(backlog).toBeGreaterThan(3);
    await withEnv({ HOOKLINE_MAX_BACKLOG: String(backlog + 2) }, async () => {
      const accepted = await call(messagesRoute.POST, { eventType: "call:completed", payload: { duration: 1 } });
      expect(accepted.status).toBe(202); // backlog + 2 deliveries: now at the limit
      const before = await counts();
      const refused = await call(messagesRoute.POST, { eventType: "lead.created", payload: { n: 2 } });
      expect(refused.status).toBe(429);
      expect(refused.json.error.code).toBe("delivery_backlog_full");
      expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
      const batch = await call(batchRoute.POST, { messages: [{ eventType: "lead.created", payload: { n: 3 } }] });
      expect(batch.status).toBe(429);
      expect(batch.retryAfter).not.toBeNull();
      expect(await counts()).toEqual(before);
      // A retry of something already accepted is answered from storage, full or not.
      const repeat = await call(messagesRoute.POST, { eventType: "lead.created", payload: { n: 1 }, idempotencyKey: "before-full" });
      expect(repeat.status).toBe(200);
      expect(repeat.json.id).toBe(earlier.json.id);
    });
    // Once deliveries are done the backlog shrinks and publish accepts again.
    await db.delivery.updateMany({ where: { status: "PENDING" }, data: { status: "SUCCEEDED" } });
    await withEnv({ HOOKLINE_MAX_BACKLOG: String(backlog + 2) }, async () => {
      expect((await call(messagesRoute.POST, { eventType: "lead.created", payload: { n: 4 } })).status).toBe(202);
    });
  });

  it("counts the deliveries waiting in an endpoint's backlog, whatever their turn", async () => {
    await db.delivery.updateMany({ where: { status: "PENDING" }, data: { status: "SUCCEEDED" } });
    const published = await call(batchRoute.POST, { messages: Array.from({ length: 3 }, (_, n) => ({ eventType: "lead.created", payload: { n } })) });
    expect(published.status).toBe(202);
    // A slow endpoint's lane handed them back: PENDING in its backlog, turns minutes ahead.
    const turn = new Date(Date.now() + 10 * 60_000);
    const waiting = await db.delivery.updateManyAndReturn({ where: { status: "PENDING" }, data: { deferredUntil: turn, nextAttemptAt: turn } });
    expect(waiting.length).toBeGreaterThanOrEqual(3);
    await withEnv({ HOOKLINE_MAX_BACKLOG: String(waiting.length) }, async () => {
      const before = await counts();
      const refused = await call(messagesRoute.POST, { eventType: "lead.created", payload: { n: "full" } });
      expect(refused.status).toBe(429);
      expect(refused.json.error.details).toMatchObject({ backlog: waiting.length, limit: waiting.length });
      expect(await counts()).toEqual(before);
    });
    await db.delivery.updateMany({ where: { status: "PENDING" }, data: { status: "SUCCEEDED", deferredUntil: null } });
  });

  it("asks for 30 s once the workers stopped draining, however fast they drained before", async () => {
    await db.delivery.updateMany({ where: { status: "PENDING" }, data: { status: "SUCCEEDED" } });
    const messages = (n: number) => ({ messages: Array.from({ length: n }, (_, i) => ({ eventType: "lead.created", payload: { i } })) });
    expect((await call(batchRoute.POST, messages(40))).status).toBe(202);
    const pending = await db.delivery.count({ where: { status: "PENDING" } });
    const { admit, backlog } = await import("@/lib/features/messages/admission");
    // Each count runs in the background once the last one is stale; this waits for the one under way.
    const counted = async () => {
      await backlog();
      await (globalThis as { hooklineAdmission?: { counting?: Promise<void> } }).hooklineAdmission?.counting;
    };
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    // The rate is measured below twice the limit (counts stop there).
    await withEnv({ HOOKLINE_MAX_BACKLOG: "30", HOOKLINE_BACKLOG_CHECK_MS: "10" }, async () => {
      await counted(); // everything pending
      // The workers drain all but 32, fast, then stall.
      const keep = await db.delivery.findMany({ where: { status: "PENDING" }, take: 32, select: { id: true } });
      await db.delivery.updateMany({ where: { status: "PENDING", id: { notIn: keep.map((row) => row.id) } }, data: { status: "SUCCEEDED" } });
      await sleep(20);
      await counted(); // drained pending - 32 in a few ms
      const whileDraining = await admit().catch((error: { retryAfterSeconds?: number }) => error);
      expect(whileDraining).toMatchObject({ code: "delivery_backlog_full" });
      await sleep(20);
      await counted(); // nothing drained since
      const stalled = await admit().catch((error: { retryAfterSeconds?: number }) => error);
      expect(stalled).toMatchObject({ code: "delivery_backlog_full", retryAfterSeconds: 30 });
    });
    expect(pending).toBeGreaterThanOrEqual(40);
    expect(pending).toBeLessThan(60);
    await db.delivery.updateMany({ where: { status: "PENDING" }, data: { status: "SUCCEEDED" } });
  });

  it("refuses a body that is not UTF-8 (400), storing nothing", async () => {
    const before = await counts();
    const bytes = Buffer.concat([Buffer.from('{"eventType":"lead.created","payload":{"name":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}}')]);
    for (const handler of [messagesRoute.POST, batchRoute.POST]) {
      const body = handler === batchRoute.POST ? Buffer.concat([Buffer.from('{"messages":['), bytes, Buffer.from("]}")]) : bytes;
      const request = new NextRequest("http://hookline.test/api/v1/x", { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body });
      const response = await (handler as Handler)(request, { params: Promise.resolve({}) });
      expect(response.status).toBe(400);
      expect((await response.json()).error).toMatchObject({ code: "bad_request", message: "The body is not valid UTF-8" });
    }
    expect(await counts()).toEqual(before);
  });

  it("answers 503 database_busy when the database hangs (accepts, never answers), not never", async () => {
    // A proxy to the real server that stops passing its answers on: a stopped or wedged server.
    const target = new URL(url);
    let frozen = false;
    const sockets = new Set<net.Socket>();
    const proxy = net.createServer((client) => {
      const upstream = net.connect(Number(target.port), target.hostname);
      sockets.add(client).add(upstream);
      client.on("data", (chunk) => upstream.write(chunk));
      upstream.on("data", (chunk) => !frozen && client.write(chunk));
      for (const socket of [client, upstream]) socket.on("error", () => undefined).on("close", () => (client.destroy(), upstream.destroy()));
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const via = new URL(url);
    via.port = String((proxy.address() as net.AddressInfo).port);
    await withEnv({ HOOKLINE_DB_STATEMENT_TIMEOUT_MS: "300" }, async () => {
      const healthy = pool();
      const hanging = createPool(via.toString());
      setPool(hanging);
      try {
        expect((await call(messagesRoute.POST, { eventType: "lead.created", payload: { n: "before the hang" } })).status).toBe(202);
        frozen = true;
        const started = Date.now();
        const response = await call(messagesRoute.POST, { eventType: "lead.created", payload: { n: "during the hang" } });
        expect(response.status).toBe(503);
        expect(response.json.error.code).toBe("database_busy");
        expect(Number(response.retryAfter)).toBeGreaterThan(0);
        // The statement timeout (0.3 s) plus the client's 2 s margin, not a client's own timeout.
        expect(Date.now() - started).toBeLessThan(10_000);
      } finally {
        setPool(healthy);
        for (const socket of sockets) socket.destroy();
        await hanging.end().catch(() => undefined);
        await new Promise((resolve) => proxy.close(resolve));
      }
    });
  });

  it("answers 503 with Retry-After and a clear code when the database is unreachable, never 500", async () => {
    const healthy = pool();
    const closed = new URL(url);
    closed.port = "9"; // nothing listens on the discard port
    const unreachable = createPool(closed.toString());
    setPool(unreachable);
    try {
      const freshKey = "hk_never_seen_before_0123456789"; // not cached: authentication itself needs the database
      for (const authorization of [key, freshKey]) {
        const response = await call(messagesRoute.POST, { eventType: "lead.created", payload: { n: 1 } }, authorization);
        expect(response.status).toBe(503);
        expect(response.json.error.code).toBe("database_unavailable");
        expect(Number(response.retryAfter)).toBeGreaterThan(0);
      }
      const batch = await call(batchRoute.POST, { messages: [{ eventType: "lead.created", payload: { n: 1 } }] });
      expect(batch.status).toBe(503);
      // The console's reads go through Prisma: its wrapped driver errors map to the same 503.
      setDb(createPrismaClient(closed.toString(), 2));
      const list = await call(messagesRoute.GET, undefined);
      expect(list.status).toBe(503);
      expect(list.json.error.code).toBe("database_unavailable");
      expect(list.retryAfter).not.toBeNull();
    } finally {
      await currentDb().$disconnect();
      setDb(db);
      setPool(healthy);
      await unreachable.end();
    }
  });

  it("answers 503 database_busy when no connection frees up in time", async () => {
    await withEnv({ HOOKLINE_DB_POOL: "2", HOOKLINE_DB_CONNECT_TIMEOUT_MS: "200" }, async () => {
      const healthy = pool();
      const small = createPool(url);
      setPool(small);
      // Both connections held by long statements: the publish must give up, not queue forever.
      const holders = [small.connect(), small.connect()];
      const held = await Promise.all(holders);
      try {
        const response = await call(messagesRoute.POST, { eventType: "lead.created", payload: { n: 1 } });
        expect(response.status).toBe(503);
        expect(response.json.error.code).toBe("database_busy");
        expect(response.retryAfter).toBe("1");
      } finally {
        held.forEach((client) => client.release());
        setPool(healthy);
        await small.end();
      }
    });
  });

  it("sheds load with 503 server_busy, before storing anything, while the process's event loop runs late", async () => {
    await withEnv({ HOOKLINE_MAX_EVENT_LOOP_LAG_MS: "300" }, async () => {
      const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      // A prompt loop publishes as usual (this also starts the lag sampler).
      expect((await call(messagesRoute.POST, { eventType: "lead.created", payload: { n: "before" } })).status).toBe(202);
      const before = await counts();
      // Saturate the loop: 900 ms of synchronous work, then let the sampler see how late it ran.
      const until = performance.now() + 900;
      while (performance.now() < until);
      await sleep(120);
      for (const handler of [messagesRoute.POST, batchRoute.POST]) {
        const body = handler === batchRoute.POST ? { messages: [{ eventType: "lead.created", payload: { n: "shed" } }] } : { eventType: "lead.created", payload: { n: "shed" } };
        const shed = await call(handler, body);
        expect(shed.status).toBe(503);
        expect(shed.json.error.code).toBe("server_busy");
        expect(shed.json.error.message).toMatch(/nothing was published/);
        expect(Number(shed.retryAfter)).toBeGreaterThanOrEqual(1);
      }
      expect(await counts()).toEqual(before);
      // The lag decays once the loop is prompt again, and publish accepts.
      await expect.poll(async () => (await call(messagesRoute.POST, { eventType: "lead.created", payload: { n: "after" } })).status, { timeout: 5_000, interval: 200 }).toBe(202);
    });
  });
});
