import "@/tests/helpers/no-executor-env";
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { direct, installDirectPublish, readBody } from "@/lib/api/direct";
import type { Db } from "@/lib/db/client";
import { resetEnv } from "@/lib/env";
import { createApiKey, revokeApiKey } from "@/lib/features/settings/api-keys";
import { withEnv } from "@/tests/helpers/env";
import { makeWorkspace } from "@/tests/helpers/factories";
import { useTestDb } from "@/tests/helpers/services";
import * as messagesRoute from "@/app/api/v1/messages/route";
import * as endpointsRoute from "@/app/api/v1/endpoints/route";
import * as batchRoute from "@/app/api/v1/messages/batch/route";

process.env.HOOKLINE_ALLOW_PRIVATE_NETWORKS = "true";
resetEnv();

/**
 * The direct publish path (lib/api/direct.ts) on a real HTTP server: what it answers must be what
 * the Next route answers, and what is not its own must reach Next (here: 418 "next").
 */
let db: Db;
let base: string;
let server: http.Server;
let ownerKey: string;
let viewerKey: string;
let owner: Awaited<ReturnType<typeof makeWorkspace>>;

beforeAll(async () => {
  ({ db } = await useTestDb());
  owner = await makeWorkspace("OWNER");
  ownerKey = (await createApiKey(owner, { name: "owner" })).plaintext;
  viewerKey = (await createApiKey(owner, { name: "viewer", role: "VIEWER" })).plaintext;
  const request = new NextRequest("http://hookline.test/api/v1/endpoints", {
    method: "POST",
    headers: { authorization: `Bearer ${ownerKey}`, "content-type": "application/json" },
    body: JSON.stringify({ title: "Calls", url: "http://127.0.0.1:9/hook", eventTypes: ["call.completed"] }),
  });
  expect((await endpointsRoute.POST(request, { params: Promise.resolve({}) } as never)).status).toBe(201);
  server = http.createServer((req, res) => {
    if (!direct(req, res)) res.writeHead(418, { "content-type": "text/plain" }).end("next");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function post(path: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${path}`, { method: "POST", headers: { authorization: `Bearer ${ownerKey}`, "content-type": "application/json", ...headers }, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: response.headers.get("content-type") === "application/json" ? JSON.parse(text) : null };
}

async function viaRoute(body: string, headers: Record<string, string> = {}, route: typeof messagesRoute.POST = messagesRoute.POST, path = "/api/v1/messages") {
  const request = new NextRequest(`http://hookline.test${path}`, { method: "POST", headers: { authorization: `Bearer ${ownerKey}`, ...headers }, body });
  const response = await route(request, { params: Promise.resolve({}) } as never);
  return { status: response.status, headers: response.headers, json: await response.json() };
}

describe("the direct publish path", () => {
  it("publishes as the route does: 202, the same body and headers, the payload stored byte for byte", async () => {
    const raw = '{"eventType":"call.completed","payload":{ "duration" : 45, "1":12345678901234567890 },"account":"acc_1"}';
    const answered = await post("/api/v1/messages", raw, { "x-request-id": "req-direct-1" });
    expect(answered.status).toBe(202);
    expect(answered.headers.get("x-request-id")).toBe("req-direct-1");
    expect(Number(answered.headers.get("ratelimit-limit"))).toBeGreaterThan(0);
    expect(answered.json.deliveries).toHaveLength(1);
    expect(answered.json.account).toBe("acc_1");
    const stored = await db.message.findUniqueOrThrow({ where: { id: answered.json.id }, include: { deliveries: true } });
    expect(stored.body).toBe('{ "duration" : 45, "1":12345678901234567890 }');
    expect(stored.deliveries.map((delivery) => delivery.id)).toEqual([answered.json.deliveries[0].id]);

    const routed = await viaRoute(raw);
    expect(routed.status).toBe(202);
    expect(Object.keys(answered.json).sort()).toEqual(Object.keys(routed.json).sort());
    const names = (headers: Headers) => [...headers.keys()].filter((name) => !["date", "connection", "keep-alive", "content-length", "transfer-encoding"].includes(name)).sort();
    expect(names(answered.headers)).toEqual(names(routed.headers));
  });

  it("answers an idempotent repeat with 200 and the original, a changed one with 409", async () => {
    const body = (n: number) => JSON.stringify({ eventType: "call.completed", payload: { n }, idempotencyKey: "direct-key-1" });
    const first = await post("/api/v1/messages", body(1));
    const again = await post("/api/v1/messages", body(1));
    expect([first.status, again.status]).toEqual([202, 200]);
    expect(again.json.id).toBe(first.json.id);
    const changed = await post("/api/v1/messages", body(2));
    expect(changed.status).toBe(409);
    expect(changed.json.error.code).toBe("conflict");
  });

  it("takes the idempotency key from the Idempotency-Key header too (as Stripe and Svix do), on the direct path and the route alike", async () => {
    const body = (n: number) => JSON.stringify({ eventType: "call.completed", payload: { n } });
    for (const [via, key] of [["direct", "header-key-direct"], ["route", "header-key-route"]] as const) {
      const send = (raw: string, headers: Record<string, string>) => (via === "direct" ? post("/api/v1/messages", raw, headers) : viaRoute(raw, headers));
      const first = await send(body(1), { "idempotency-key": key });
      expect(first.status).toBe(202);
      expect(first.json.idempotencyKey).toBe(key);
      // A client retrying after a timeout or a 429 sends the same header: the original, nothing new.
      const again = await send(body(1), { "idempotency-key": key });
      expect([again.status, again.json.id]).toEqual([200, first.json.id]);
      // The same key in the body names the same message.
      const inBody = await send(JSON.stringify({ eventType: "call.completed", payload: { n: 1 }, idempotencyKey: key }), {});
      expect([inBody.status, inBody.json.id]).toEqual([200, first.json.id]);
      expect(await db.message.count({ where: { idempotencyKey: key } })).toBe(1);
      // Reused for a different message: 409, as with the body's key.
      expect((await send(body(2), { "idempotency-key": key })).json.error.code).toBe("conflict");
    }
  });

  it("refuses an Idempotency-Key header it cannot honour (400, nothing written) rather than ignoring it", async () => {
    const before = await db.message.count();
    const cases: Array<[string, string, string]> = [
      ["/api/v1/messages", JSON.stringify({ eventType: "call.completed", payload: {}, idempotencyKey: "body-key" }), "other-key"],
      ["/api/v1/messages", JSON.stringify({ eventType: "call.completed", payload: {} }), "k".repeat(201)],
      // One header cannot name each message of a batch: each message carries its own key.
      ["/api/v1/messages/batch", JSON.stringify({ messages: [{ eventType: "call.completed", payload: {} }] }), "batch-key"],
    ];
    for (const [path, body, key] of cases) {
      const answered = await post(path, body, { "idempotency-key": key });
      expect([answered.status, answered.json.error.code]).toEqual([400, "validation_failed"]);
      expect(answered.json.error.message).toMatch(/Idempotency-Key/);
      const routed = await viaRoute(body, { "idempotency-key": key }, path.endsWith("batch") ? batchRoute.POST : messagesRoute.POST, path);
      expect(routed.json).toEqual(answered.json);
    }
    expect(await db.message.count()).toBe(before);
  });

  it("answers a full backlog with 429 delivery_backlog_full and Retry-After, as the route does, never 500", async () => {
    expect((await post("/api/v1/messages", JSON.stringify({ eventType: "call.completed", payload: {} }))).status).toBe(202);
    const backlog = await db.delivery.count({ where: { status: "PENDING" } }); // no executor: nothing is ever attempted
    await withEnv({ HOOKLINE_MAX_BACKLOG: String(backlog) }, async () => {
      const before = await db.message.count();
      for (const [path, body] of [
        ["/api/v1/messages", JSON.stringify({ eventType: "call.completed", payload: {} })],
        ["/api/v1/messages/batch", JSON.stringify({ messages: [{ eventType: "call.completed", payload: {} }] })],
      ] as const) {
        const answered = await post(path, body);
        expect([answered.status, answered.json.error.code]).toEqual([429, "delivery_backlog_full"]);
        expect(Number(answered.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
        expect(answered.json.error.details).toMatchObject({ backlog, limit: backlog });
      }
      expect(await db.message.count()).toBe(before);
    });
  });

  it("refuses with the route's codes and writes nothing", async () => {
    const before = await db.message.count();
    const cases: Array<[string, Record<string, string>, number, string]> = [
      ['{"eventType":"call.completed","payload":{}}', { authorization: "Bearer hk_unknownkeyunknownkey" }, 401, "unauthorized"],
      ['{"eventType":"call.completed","payload":{}}', { authorization: "Basic abc" }, 401, "unauthorized"],
      ['{"eventType":"call.completed","payload":{}}', { authorization: `Bearer ${viewerKey}` }, 403, "forbidden"],
      ['{"eventType":"call.completed",', {}, 400, "bad_request"],
      ['{"eventType":"bad type!","payload":{}}', {}, 400, "validation_failed"],
    ];
    for (const [body, headers, status, code] of cases) {
      const answered = await post("/api/v1/messages", body, headers);
      expect([answered.status, answered.json.error.code]).toEqual([status, code]);
      const routed = await messagesRoute.POST(
        new NextRequest("http://hookline.test/api/v1/messages", { method: "POST", headers: { authorization: `Bearer ${ownerKey}`, ...headers }, body }),
        { params: Promise.resolve({}) } as never,
      );
      expect(await routed.json()).toEqual(answered.json);
    }
    expect(await db.message.count()).toBe(before);
  });

  it("refuses an oversize body by its declared length or while it streams, and closes the connection", async () => {
    const big = JSON.stringify({ eventType: "call.completed", payload: { x: "a".repeat(300 * 1024) } });
    const declared = await post("/api/v1/messages", big);
    expect([declared.status, declared.json.error.code]).toEqual([413, "payload_too_large"]);

    // Chunked, no Content-Length: 2 MiB offered, cut off at the limit.
    const socket = net.connect((server.address() as AddressInfo).port, "127.0.0.1");
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk.toString()));
    const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
    socket.write(`POST /api/v1/messages HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${ownerKey}\r\ntransfer-encoding: chunked\r\n\r\n`);
    const chunk = "a".repeat(64 * 1024);
    for (let i = 0; i < 32 && !socket.destroyed && !answer; i++) {
      socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 5000))]);
    socket.destroy();
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
    expect(answer).toMatch(/connection: close/i);
    expect(answer).toContain('"payload_too_large"');
  });

  it("takes batches on /api/v1/messages/batch", async () => {
    const answered = await post("/api/v1/messages/batch", JSON.stringify({ messages: [{ eventType: "call.completed", payload: { n: 1 } }, { eventType: "lead.created", payload: {} }] }));
    expect(answered.status).toBe(202);
    expect(answered.json.data.map((item: { created: boolean; deliveries: unknown[] }) => [item.created, item.deliveries.length])).toEqual([
      [true, 1],
      [true, 0],
    ]);
  });

  it("leaves everything else to Next: other methods and paths, and callers without an API key", async () => {
    const body = '{"eventType":"call.completed","payload":{}}';
    expect((await fetch(`${base}/api/v1/messages`, { headers: { authorization: `Bearer ${ownerKey}` } })).status).toBe(418);
    for (const path of ["/api/v1/messages/", "/api/v1/messages/msg_1", "/api/v1/endpoints"]) expect((await post(path, body)).status).toBe(418);
    const cookie = await fetch(`${base}/api/v1/messages`, { method: "POST", headers: { cookie: "next-auth.session-token=x" }, body });
    expect(cookie.status).toBe(418);
    expect((await post("/api/v1/messages?x=1", body)).status).toBe(202); // a query string does not change the route
  });

  it("refuses a key at once once this process revoked it (the key cache is one per process)", async () => {
    const created = await createApiKey(owner, { name: "short-lived" });
    const body = '{"eventType":"call.completed","payload":{}}';
    expect((await post("/api/v1/messages", body, { authorization: `Bearer ${created.plaintext}` })).status).toBe(202);
    await revokeApiKey(owner, created.key.id);
    expect((await post("/api/v1/messages", body, { authorization: `Bearer ${created.plaintext}` })).status).toBe(401);
  });

  it("ends the body read with client_closed_request when the client hangs up, before or while its body comes", async () => {
    const outcomes: Array<Promise<string>> = [];
    const reader = http.createServer((req) => {
      // Read at once, or only after the client is gone (the key check and rate limit come first).
      const wait = req.headers["x-wait"] ? new Promise((resolve) => setTimeout(resolve, 150)) : Promise.resolve();
      outcomes.push(wait.then(() => readBody(req, 1024 * 1024).then(() => "read", (error: { code?: string }) => error.code ?? "error")));
    });
    await new Promise<void>((resolve) => reader.listen(0, "127.0.0.1", resolve));
    const port = (reader.address() as AddressInfo).port;
    for (const wait of [false, true]) {
      const socket = net.connect(port, "127.0.0.1");
      socket.write(`POST /api/v1/messages HTTP/1.1\r\nhost: x\r\ncontent-length: 1000\r\n${wait ? "x-wait: 1\r\n" : ""}\r\n{"eventType":`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      socket.destroy();
    }
    await expect.poll(() => outcomes.length).toBe(2);
    const settled = await Promise.race([Promise.all(outcomes), new Promise((resolve) => setTimeout(() => resolve("hung"), 2000))]);
    expect(settled).toEqual(["client_closed_request", "client_closed_request"]);
    await new Promise<void>((resolve) => reader.close(() => resolve()));
  });

  it("once installed, answers on the app's servers and never on one marked internal (the metrics listener)", async () => {
    installDirectPublish();
    installDirectPublish(); // idempotent: one wrapper
    const servers = [http.createServer((_req, res) => res.writeHead(418).end()), Object.assign(http.createServer((_req, res) => res.writeHead(418).end()), { hooklineInternal: true })];
    const statuses: number[] = [];
    for (const each of servers) {
      await new Promise<void>((resolve) => each.listen(0, "127.0.0.1", resolve));
      const response = await fetch(`http://127.0.0.1:${(each.address() as AddressInfo).port}/api/v1/messages`, {
        method: "POST",
        headers: { authorization: `Bearer ${ownerKey}`, "content-type": "application/json" },
        body: '{"eventType":"call.completed","payload":{}}',
      });
      statuses.push(response.status);
      await new Promise<void>((resolve) => each.close(() => resolve()));
    }
    expect(statuses).toEqual([202, 418]);
  });
});
