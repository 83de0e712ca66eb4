import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/features/settings/api-keys";
import type { Db } from "@/lib/db/client";
import { resetEnv } from "@/lib/env";
import type { HooklineClient } from "@/lib/openapi/client";
import { operations } from "@/lib/openapi/operations";
import { NextRequest } from "next/server";
import { checkedResponses, testClient } from "@/tests/helpers/api-client";
import { apiV1Routes } from "@/tests/helpers/api-routes";
import { makeWorkspace } from "@/tests/helpers/factories";
import { captureLogs } from "@/tests/helpers/log-capture";
import { useTestDb } from "@/tests/helpers/services";

// No executor in this file: sends to a closed port fail fast and are repaired by sweep in real life.
process.env.INNGEST_DEV = "1";
process.env.INNGEST_BASE_URL = "http://127.0.0.1:9";
process.env.HOOKLINE_ALLOW_PRIVATE_NETWORKS = "true";
process.env.HOOKLINE_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString("base64");
resetEnv();
const logs = captureLogs();
/** Every secret this file creates: none may appear in the logs. */
const secrets: string[] = [];

let db: Db;
let owner: HooklineClient;
let viewer: HooklineClient;
let stranger: HooklineClient;

/** Sends a raw body (exact bytes, or not even JSON) through the typed client. */
const raw = (text: string) => ({ body: {} as never, bodySerializer: () => text });

async function counts() {
  const [endpoints, messages, deliveries, eventTypes] = await Promise.all([
    db.endpoint.count(),
    db.message.count(),
    db.delivery.count(),
    db.eventType.count(),
  ]);
  return { endpoints, messages, deliveries, eventTypes };
}

let endpointId: string;
let messageId: string;
let deliveryId: string;

beforeAll(async () => {
  ({ db } = await useTestDb());
  const workspace = await makeWorkspace("OWNER");
  const keys = [
    (await createApiKey(workspace, { name: "owner" })).plaintext,
    (await createApiKey(workspace, { name: "viewer", role: "VIEWER" })).plaintext,
    (await createApiKey(await makeWorkspace("OWNER"), { name: "stranger" })).plaintext,
  ];
  secrets.push(...keys);
  [owner, viewer, stranger] = keys.map(testClient) as [HooklineClient, HooklineClient, HooklineClient];

  const created = await owner.POST("/endpoints", {
    body: { title: "Calls", url: "http://127.0.0.1:9/hook", eventTypes: ["call:completed"], headers: { "X-Receiver-Token": "rcv-token-4c1f9a" } },
  });
  secrets.push("rcv-token-4c1f9a", created.data!.secret);
  expect(created.response.status).toBe(201);
  endpointId = created.data!.id;
  expect(created.data!.secret).toMatch(/^whsec_/);
  expect((await owner.POST("/event-types", { body: { name: "call:completed", description: "A call ended" } })).response.status).toBe(201);
  const published = await owner.POST("/messages", { body: { eventType: "call:completed", payload: { account: "acc_1", duration: 45 } } });
  expect(published.response.status).toBe(202);
  messageId = published.data!.id;
  deliveryId = published.data!.deliveries[0]!.id;
});

type Call = (client: HooklineClient) => Promise<{ response: Response; error?: unknown }>;
const errorOf = (result: { error?: unknown }) => (result.error as { error: { code: string; details?: unknown } }).error;

describe("API v1 authentication and scoping", () => {
  const scoped = (): Array<{ name: string; write: boolean; send: Call }> => {
    const id = { params: { path: { id: endpointId } } };
    const name = { params: { path: { name: "call:completed" } } };
    return [
      { name: "GET endpoint", write: false, send: (c) => c.GET("/endpoints/{id}", id) },
      { name: "PATCH endpoint", write: true, send: (c) => c.PATCH("/endpoints/{id}", { ...id, body: { title: "x" } }) },
      { name: "DELETE endpoint", write: true, send: (c) => c.DELETE("/endpoints/{id}", id) },
      { name: "GET secret", write: false, send: (c) => c.GET("/endpoints/{id}/secret", id) },
      { name: "rotate secret", write: true, send: (c) => c.POST("/endpoints/{id}/secret/rotate", { ...id, body: {} }) },
      { name: "enable", write: true, send: (c) => c.POST("/endpoints/{id}/enable", id) },
      { name: "disable", write: true, send: (c) => c.POST("/endpoints/{id}/disable", id) },
      { name: "recover", write: true, send: (c) => c.POST("/endpoints/{id}/recover", { ...id, body: { since: "2026-01-01T00:00:00Z" } }) },
      { name: "attempts", write: false, send: (c) => c.GET("/endpoints/{id}/attempts", id) },
      { name: "test", write: true, send: (c) => c.POST("/endpoints/{id}/test", { ...id, body: { eventType: "call:completed" } }) },
      { name: "GET event type", write: false, send: (c) => c.GET("/event-types/{name}", name) },
      { name: "PATCH event type", write: true, send: (c) => c.PATCH("/event-types/{name}", { ...name, body: { description: "x" } }) },
      { name: "DELETE event type", write: true, send: (c) => c.DELETE("/event-types/{name}", name) },
      { name: "GET message", write: false, send: (c) => c.GET("/messages/{id}", { params: { path: { id: messageId } } }) },
      { name: "resend", write: false, send: (c) => c.POST("/deliveries/{id}/resend", { params: { path: { id: deliveryId } } }) },
    ];
  };

  it("refuses anonymous and unknown keys with 401 and the error body", async () => {
    for (const client of [testClient(null), testClient("hk_unknown_key_000000000000000")]) {
      const response = await client.GET("/endpoints");
      expect(response.response.status).toBe(401);
      expect(response.error).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
    }
  });

  it("answers 404 for another workspace's resources and changes nothing", async () => {
    const before = await counts();
    const endpointBefore = await db.endpoint.findUniqueOrThrow({ where: { id: endpointId } });
    for (const route of scoped()) {
      const response = await route.send(stranger);
      expect(response.response.status, route.name).toBe(404);
      expect(errorOf(response).code, route.name).toBe("not_found");
    }
    expect(await counts()).toEqual(before);
    expect(await db.endpoint.findUniqueOrThrow({ where: { id: endpointId } })).toEqual(endpointBefore);
    // Lists are scoped too: the stranger sees an empty workspace.
    expect((await stranger.GET("/endpoints")).data!.data).toEqual([]);
    expect((await stranger.GET("/messages")).data!.data).toEqual([]);
  });

  it("lets a VIEWER key read but not change anything (403)", async () => {
    const before = await counts();
    expect((await viewer.GET("/endpoints/{id}", { params: { path: { id: endpointId } } })).response.status).toBe(200);
    expect((await viewer.GET("/messages")).response.status).toBe(200);
    const writes = scoped().filter((route) => route.write);
    const publish: Call = (c) => c.POST("/messages", { body: { eventType: "a", payload: {} } });
    for (const route of [...writes, { name: "publish", send: publish }]) {
      expect((await route.send(viewer)).response.status, route.name).toBe(403);
    }
    expect((await viewer.GET("/endpoints/{id}/secret", { params: { path: { id: endpointId } } })).response.status).toBe(403);
    expect(await counts()).toEqual(before);
  });
});

describe("API v1 validation", () => {
  it("answers 400 with zod details for bad bodies and writes nothing", async () => {
    const before = await counts();
    const endpoint = (body: unknown) => (c: HooklineClient) => c.POST("/endpoints", { body: body as never });
    const message = (body: unknown) => (c: HooklineClient) => c.POST("/messages", { body: body as never });
    const eventType = (body: unknown) => (c: HooklineClient) => c.POST("/event-types", { body: body as never });
    const cases: Call[] = [
      endpoint({ url: "http://127.0.0.1:9" }),
      endpoint({ title: "x", url: "ftp://example.com" }),
      endpoint({ title: "x", url: "https://example.com", timeoutMs: 60_000 }),
      endpoint({ title: "x", url: "https://example.com", retryPolicy: { preset: "custom" } }),
      endpoint({ title: "x", url: "https://example.com", filter: { rules: [{ path: "duration", op: "between" }] } }),
      endpoint({ title: "x", url: "https://example.com", headers: { "Content-Type": "text/plain" } }),
      endpoint({ title: "x", url: "https://example.com", unknown: true }),
      message({ eventType: "bad name!", payload: {} }),
      message({ eventType: "call:completed", payload: [1, 2] }),
      message({ eventType: "call:completed" }),
      eventType({ name: "" }),
      eventType({ name: "x.y", schema: { type: "nonsense-type" } }),
    ];
    for (const [index, send] of cases.entries()) {
      const response = await send(owner);
      expect(response.response.status, `case ${index}`).toBe(400);
      const error = errorOf(response);
      expect(error.code, `case ${index}`).toBe("validation_failed");
      expect(Array.isArray(error.details), `case ${index}`).toBe(true);
      expect((error.details as unknown[])[0]).toHaveProperty("path");
    }
    const invalidJson = await owner.POST("/messages", raw("{not json"));
    expect(invalidJson.response.status).toBe(400);
    expect(errorOf(invalidJson).code).toBe("bad_request");
    const patch = await owner.PATCH("/endpoints/{id}", { params: { path: { id: endpointId } }, body: { timeoutMs: 10 } });
    expect(patch.response.status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it("answers 413 for a payload over the limit and stores nothing", async () => {
    const before = await counts();
    const big = await owner.POST("/messages", { body: { eventType: "call:completed", payload: { blob: "x".repeat(300 * 1024) } } });
    expect(big.response.status).toBe(413);
    expect(errorOf(big).code).toBe("payload_too_large");
    expect(await counts()).toEqual(before);
  });

  it("returns the original message for a repeated idempotency key with 200", async () => {
    const body = { eventType: "call:completed", payload: { account: "acc_1", duration: 31 }, idempotencyKey: "call-42" };
    const first = await owner.POST("/messages", { body });
    const again = await owner.POST("/messages", { body });
    expect(first.response.status).toBe(202);
    expect(again.response.status).toBe(200);
    expect(again.data!.id).toBe(first.data!.id);
    expect(again.data!.deliveries).toEqual(first.data!.deliveries);
  });

  it("publishes a batch (202), and answers a batch of repeats with the originals (200)", async () => {
    const body = {
      messages: [
        { eventType: "call:completed", payload: { account: "acc_1", duration: 40 }, idempotencyKey: "batch-1" },
        { eventType: "lead.created", payload: { n: 1 } },
      ],
    };
    const first = await owner.POST("/messages/batch", { body });
    expect(first.response.status).toBe(202);
    expect(first.data!.data.map((message) => [message.eventType, message.created, message.deliveries.length])).toEqual([
      ["call:completed", true, 1],
      ["lead.created", true, 0],
    ]);
    const again = await owner.POST("/messages/batch", { body: { messages: [body.messages[0]!] } });
    expect(again.response.status).toBe(200);
    expect(again.data!.data[0]).toMatchObject({ id: first.data!.data[0]!.id, created: false });
    expect((await viewer.POST("/messages/batch", { body })).response.status).toBe(403);
  });

  it("stores the payload byte for byte as sent", async () => {
    const text = '{"eventType":"call:completed","payload":{ "b":1,"a" : [1, 2.50],"2":"二","1":12345678901234567890 }}';
    const response = await owner.POST("/messages", raw(text));
    expect(response.response.status).toBe(202);
    const stored = await db.message.findUniqueOrThrow({ where: { id: response.data!.id } });
    expect(stored.body).toBe('{ "b":1,"a" : [1, 2.50],"2":"二","1":12345678901234567890 }');
  });

  it("lists messages with filters and a cursor", async () => {
    for (let i = 0; i < 3; i++) {
      await owner.POST("/messages", { body: { eventType: "lead.created", payload: { i }, account: "acc_9" } });
    }
    const page1 = (await owner.GET("/messages", { params: { query: { account: "acc_9", limit: 2 } } })).data!;
    expect(page1.data).toHaveLength(2);
    expect(page1.nextCursor).toEqual(expect.any(String)); // opaque: (createdAt, id) of the last row
    const page2 = (await owner.GET("/messages", { params: { query: { account: "acc_9", limit: 2, cursor: page1.nextCursor! } } })).data!;
    expect(page2.data).toHaveLength(1);
    expect(page2.nextCursor).toBeNull();
    expect(page1.data.map((m) => (m.payload as { i: number }).i)).toEqual([2, 1]);
    const bad = await owner.GET("/messages", { params: { query: { status: "NOPE" as never } } });
    expect(bad.response.status).toBe(400);
  });
});

describe("API v1 answers as documented", () => {
  it("serves the success shapes of the remaining operations", async () => {
    const id = { params: { path: { id: endpointId } } };
    expect((await owner.GET("/me")).data!.role).toBe("ADMIN"); // API keys act as admins
    expect((await owner.GET("/openapi.json")).data!.openapi).toBe("3.1.0");
    expect((await owner.GET("/endpoints")).data!.data.map((endpoint) => endpoint.id)).toContain(endpointId);
    expect((await owner.GET("/endpoints/{id}/secret", id)).data!.secret).toMatch(/^whsec_/);
    const rotated = await owner.POST("/endpoints/{id}/secret/rotate", { ...id, body: { graceSeconds: 60 } });
    secrets.push(rotated.data!.secret);
    expect(rotated.data!.previousSecretExpiresAt).not.toBeNull();
    expect((await owner.POST("/endpoints/{id}/disable", id)).data!.enabled).toBe(false);
    expect((await owner.POST("/endpoints/{id}/enable", id)).data!.enabled).toBe(true);
    expect((await owner.PATCH("/endpoints/{id}", { ...id, body: { timeoutMs: 5000 } })).data!.timeoutMs).toBe(5000);
    const tested = await owner.POST("/endpoints/{id}/test", { ...id, body: { eventType: "call:completed", payload: { account: "acc_1" } } });
    expect(tested.data!.attempt.outcome).toBe("failure"); // port 9 refuses: still a documented 200 with the attempt
    expect((await owner.GET("/endpoints/{id}/attempts", { ...id, params: { ...id.params, query: { limit: 5 } } })).data!.data.length).toBeGreaterThan(0);
    const detail = (await owner.GET("/messages/{id}", { params: { path: { id: messageId } } })).data!;
    expect(detail.deliveries[0]!.id).toBe(deliveryId);
    expect((await owner.GET("/event-types")).data!.data.map((type) => type.name)).toContain("call:completed");
    const presets = (await owner.GET("/event-types/presets")).data!.data;
    expect(presets.map((preset) => preset.id)).toContain("call-tracking");
    expect((await owner.POST("/event-types/presets", { body: { preset: "call-tracking" } })).data!.preset).toBe("call-tracking");
    const name = { params: { path: { name: "call:completed" } } };
    expect((await owner.PATCH("/event-types/{name}", { ...name, body: { description: "Ended" } })).data!.description).toBe("Ended");
    expect((await owner.GET("/event-types/{name}", name)).data!.name).toBe("call:completed");
    expect((await owner.DELETE("/event-types/{name}", name)).data!.archived).toBe(true);
    const spare = (await owner.POST("/endpoints", { body: { title: "Spare", url: "https://example.com/hook" } })).data!;
    expect((await owner.DELETE("/endpoints/{id}", { params: { path: { id: spare.id } } })).response.status).toBe(204);
  });

  it("creates customer-portal links for an account and lists endpoints by owner", async () => {
    const link = await owner.POST("/accounts/{account}/portal", { params: { path: { account: "acc_1" } }, body: { readOnly: true } });
    expect(link.response.status).toBe(201);
    expect(link.data).toMatchObject({ account: "acc_1", readOnly: true, eventTypes: [] });
    expect(link.data!.url).toMatch(/^http:\/\/[^/]+\/portal\/hlp_/);
    const denied = await viewer.POST("/accounts/{account}/portal", { params: { path: { account: "acc_1" } }, body: {} });
    expect(denied.response.status).toBe(403);
    const account = { account: "acc_1" };
    const open = await owner.GET("/accounts/{account}/portal", { params: { path: account } });
    expect(open.data!.data.map((entry) => entry.id)).toContain(link.data!.id);
    const one = await owner.DELETE("/accounts/{account}/portal/{id}", { params: { path: { ...account, id: link.data!.id } } });
    expect(one.data).toEqual({ revoked: 1 });
    await owner.POST("/accounts/{account}/portal", { params: { path: account }, body: {} });
    expect((await owner.DELETE("/accounts/{account}/portal", { params: { path: account } })).data!.revoked).toBeGreaterThanOrEqual(1);
    expect((await owner.GET("/accounts/{account}/portal", { params: { path: account } })).data).toEqual({ data: [] });
    const owned = await owner.POST("/endpoints", { body: { title: "acc_1 calls", url: "http://127.0.0.1:9/own", account: "acc_1" } });
    expect(owned.data!.account).toBe("acc_1");
    const ofAccount = await owner.GET("/endpoints", { params: { query: { account: "acc_1" } } });
    expect(ofAccount.data!.data.map((endpoint) => endpoint.id)).toEqual([owned.data!.id]);
    const wide = await owner.GET("/endpoints", { params: { query: { account: "" } } });
    expect(wide.data!.data.every((endpoint) => endpoint.account === null)).toBe(true);
    expect((await owner.DELETE("/endpoints/{id}", { params: { path: { id: owned.data!.id } } })).response.status).toBe(204);
  });

  afterAll(() => {
    // Every documented success answer was produced by a real route and matched its schema
    // Runs, resend and recover need an executor, which this file does not start.
    const successes = operations.flatMap((operation) =>
      Object.keys(operation.responses).map((status) => `${operation.method.toUpperCase()} ${operation.path} ${status}`),
    );
    const unexercised = successes.filter((answer) => !checkedResponses.has(answer));
    expect(unexercised.sort()).toEqual(["GET /runs 200", "POST /deliveries/{id}/resend 202", "POST /endpoints/{id}/recover 202"]);
  });
});

describe("API v1 methods and paths it does not serve", () => {
  type Handler = (request: NextRequest, context: { params: Promise<Record<string, string>> }) => Promise<Response> | Response;
  const request = (method: string, path: string) => new NextRequest(`http://hookline.test/api/v1${path}`, { method, headers: { authorization: "Bearer nope" } });

  it("answers every other method of every route with 405 in the error shape and Allow, and OPTIONS with Allow", async () => {
    const routes = apiV1Routes();
    expect(routes.length).toBeGreaterThan(10);
    for (const route of routes) {
      const handlers = (await import(/* @vite-ignore */ route.file)) as Record<string, Handler | undefined>;
      const served = route.methods.map((method) => method.toUpperCase());
      const allow = [...served, ...(served.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"].filter((method) => !served.includes(method))) {
        const handler = handlers[method];
        expect(handler, `${method} ${route.path}: export it from otherMethods (lib/api/route.ts)`).toBeDefined();
        const response = await handler!(request(method, route.path), { params: Promise.resolve({}) });
        expect(response.status, `${method} ${route.path}`).toBe(405);
        expect(response.headers.get("allow")).toBe(allow);
        expect(await response.json()).toEqual({ error: { code: "method_not_allowed", message: expect.stringContaining(served.join(", ")) } });
      }
      const options = await handlers.OPTIONS!(request("OPTIONS", route.path), { params: Promise.resolve({}) });
      expect([options.status, options.headers.get("allow")], `OPTIONS ${route.path}`).toEqual([204, allow]);
    }
  });

  it("answers a path it does not have with 404 in the error shape, whatever the method, and logs it", async () => {
    const catchAll = (await import("@/app/api/v1/[[...path]]/route")) as unknown as Record<string, Handler>;
    for (const [method, path] of [["GET", "/endpoint"], ["POST", "/endpoint"], ["DELETE", "/endpoint"], ["OPTIONS", "/endpoint"], ["GET", ""]] as const) {
      const response = await catchAll[method]!(request(method, path), { params: Promise.resolve({}) });
      expect(response.status, `${method} /api/v1${path}`).toBe(404);
      expect(await response.json()).toEqual({ error: { code: "not_found", message: expect.stringContaining(`/api/v1${path} `) } });
    }
    const refused = await catchAll.GET!(new NextRequest("http://hookline.test/api/v1/nowhere", { headers: { "x-request-id": "lost-7" } }), { params: Promise.resolve({}) });
    expect(refused.headers.get("x-request-id")).toBe("lost-7");
    const line = logs.lines.map((text) => JSON.parse(text)).find((entry) => entry.reqId === "lost-7");
    expect(line).toMatchObject({ method: "GET", path: "/api/v1/nowhere", status: 404, msg: "api request" });
  });
});

describe("API v1 logs", () => {
  it("logs every request with its id, and none of the secrets the run created", async () => {
    const answer = await owner.GET("/me", { headers: { "x-request-id": "trace-me-42" } });
    expect(answer.response.headers.get("x-request-id")).toBe("trace-me-42");
    const line = logs.lines.map((text) => JSON.parse(text)).find((entry) => entry.reqId === "trace-me-42");
    expect(line).toMatchObject({ level: "info", method: "GET", path: "/api/v1/me", status: 200, msg: "api request" });
    expect(secrets.length).toBeGreaterThanOrEqual(6);
    const text = logs.text();
    expect(text.length).toBeGreaterThan(1000);
    for (const secret of secrets) expect(text.includes(secret), "a secret reached the logs").toBe(false);
  });
});
