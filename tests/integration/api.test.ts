import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/features/settings/api-keys";
import type { Db } from "@/lib/db/client";
import { resetEnv } from "@/lib/env";
import { makeWorkspace } from "@/tests/helpers/factories";
import { useTestDb } from "@/tests/helpers/services";
import * as endpointsRoute from "@/app/api/v1/endpoints/route";
import * as endpointRoute from "@/app/api/v1/endpoints/[id]/route";
import * as secretRoute from "@/app/api/v1/endpoints/[id]/secret/route";
import * as rotateRoute from "@/app/api/v1/endpoints/[id]/secret/rotate/route";
import * as enableRoute from "@/app/api/v1/endpoints/[id]/enable/route";
import * as disableRoute from "@/app/api/v1/endpoints/[id]/disable/route";
import * as recoverRoute from "@/app/api/v1/endpoints/[id]/recover/route";
import * as attemptsRoute from "@/app/api/v1/endpoints/[id]/attempts/route";
import * as testRoute from "@/app/api/v1/endpoints/[id]/test/route";
import * as eventTypesRoute from "@/app/api/v1/event-types/route";
import * as eventTypeRoute from "@/app/api/v1/event-types/[name]/route";
import * as messagesRoute from "@/app/api/v1/messages/route";
import * as messageRoute from "@/app/api/v1/messages/[id]/route";
import * as resendRoute from "@/app/api/v1/deliveries/[id]/resend/route";

// No executor in this file: sends to a closed port fail fast and are repaired by sweep in real life.
process.env.INNGEST_DEV = "1";
process.env.INNGEST_BASE_URL = "http://127.0.0.1:9";
process.env.HOOKLINE_ALLOW_PRIVATE_NETWORKS = "true";
process.env.HOOKLINE_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString("base64");
resetEnv();

type Handler = (request: NextRequest, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

let db: Db;
let ownerKey: string;
let viewerKey: string;
let strangerKey: string;

async function call(handler: unknown, key: string | null, options: { method?: string; params?: Record<string, string | undefined>; body?: unknown; query?: string } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key) headers.authorization = `Bearer ${key}`;
  const request = new NextRequest(`http://hookline.test/api/v1/x${options.query ?? ""}`, {
    method: options.method ?? "GET",
    headers,
    body: options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body),
  });
  const response = await (handler as Handler)(request, { params: Promise.resolve((options.params ?? {}) as Record<string, string>) });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

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
  const owner = await makeWorkspace("OWNER");
  ownerKey = (await createApiKey(owner, { name: "owner" })).plaintext;
  viewerKey = (await createApiKey(owner, { name: "viewer", role: "VIEWER" })).plaintext;
  const stranger = await makeWorkspace("OWNER");
  strangerKey = (await createApiKey(stranger, { name: "stranger" })).plaintext;

  const created = await call(endpointsRoute.POST, ownerKey, {
    method: "POST",
    body: { title: "Calls", url: "http://127.0.0.1:9/hook", eventTypes: ["call:completed"] },
  });
  expect(created.status).toBe(201);
  endpointId = created.json.id;
  expect(created.json.secret).toMatch(/^whsec_/);
  expect((await call(eventTypesRoute.POST, ownerKey, { method: "POST", body: { name: "call:completed", description: "A call ended" } })).status).toBe(201);
  const published = await call(messagesRoute.POST, ownerKey, {
    method: "POST",
    body: { eventType: "call:completed", payload: { account: "acc_1", duration: 45 } },
  });
  expect(published.status).toBe(202);
  messageId = published.json.id;
  deliveryId = published.json.deliveries[0].id;
});

describe("API v1 authentication and scoping", () => {
  const scoped = () => [
    { name: "GET endpoint", handler: endpointRoute.GET, params: { id: endpointId } },
    { name: "PATCH endpoint", handler: endpointRoute.PATCH, params: { id: endpointId }, method: "PATCH", body: { title: "x" } },
    { name: "DELETE endpoint", handler: endpointRoute.DELETE, params: { id: endpointId }, method: "DELETE" },
    { name: "GET secret", handler: secretRoute.GET, params: { id: endpointId } },
    { name: "rotate secret", handler: rotateRoute.POST, params: { id: endpointId }, method: "POST", body: {} },
    { name: "enable", handler: enableRoute.POST, params: { id: endpointId }, method: "POST" },
    { name: "disable", handler: disableRoute.POST, params: { id: endpointId }, method: "POST" },
    { name: "recover", handler: recoverRoute.POST, params: { id: endpointId }, method: "POST", body: { since: "2026-01-01T00:00:00Z" } },
    { name: "attempts", handler: attemptsRoute.GET, params: { id: endpointId } },
    { name: "test", handler: testRoute.POST, params: { id: endpointId }, method: "POST", body: { eventType: "call:completed" } },
    { name: "GET event type", handler: eventTypeRoute.GET, params: { name: "call:completed" } },
    { name: "PATCH event type", handler: eventTypeRoute.PATCH, params: { name: "call:completed" }, method: "PATCH", body: { description: "x" } },
    { name: "DELETE event type", handler: eventTypeRoute.DELETE, params: { name: "call:completed" }, method: "DELETE" },
    { name: "GET message", handler: messageRoute.GET, params: { id: messageId } },
    { name: "resend", handler: resendRoute.POST, params: { id: deliveryId }, method: "POST" },
  ];

  it("refuses anonymous and unknown keys with 401 and the error body", async () => {
    for (const key of [null, "hk_unknown_key_000000000000000"]) {
      const response = await call(endpointsRoute.GET, key);
      expect(response.status).toBe(401);
      expect(response.json).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
    }
  });

  it("answers 404 for another workspace's resources and changes nothing", async () => {
    const before = await counts();
    const endpointBefore = await db.endpoint.findUniqueOrThrow({ where: { id: endpointId } });
    for (const route of scoped()) {
      const response = await call(route.handler, strangerKey, route);
      expect(response.status, route.name).toBe(404);
      expect(response.json.error.code, route.name).toBe("not_found");
    }
    expect(await counts()).toEqual(before);
    expect(await db.endpoint.findUniqueOrThrow({ where: { id: endpointId } })).toEqual(endpointBefore);
    // Lists are scoped too: the stranger sees an empty workspace.
    expect((await call(endpointsRoute.GET, strangerKey)).json.data).toEqual([]);
    expect((await call(messagesRoute.GET, strangerKey)).json.data).toEqual([]);
  });

  it("lets a VIEWER key read but not change anything (403)", async () => {
    const before = await counts();
    expect((await call(endpointRoute.GET, viewerKey, { params: { id: endpointId } })).status).toBe(200);
    expect((await call(messagesRoute.GET, viewerKey)).status).toBe(200);
    const writes = scoped().filter((route) => route.method && route.name !== "resend");
    for (const route of [...writes, { name: "publish", handler: messagesRoute.POST, method: "POST", body: { eventType: "a", payload: {} } }]) {
      const response = await call(route.handler, viewerKey, route);
      expect(response.status, route.name).toBe(403);
    }
    expect((await call(secretRoute.GET, viewerKey, { params: { id: endpointId } })).status).toBe(403);
    expect(await counts()).toEqual(before);
  });
});

describe("API v1 validation", () => {
  it("answers 400 with zod details for bad bodies and writes nothing", async () => {
    const before = await counts();
    const cases = [
      { handler: endpointsRoute.POST, body: { url: "http://127.0.0.1:9" } },
      { handler: endpointsRoute.POST, body: { title: "x", url: "ftp://example.com" } },
      { handler: endpointsRoute.POST, body: { title: "x", url: "https://example.com", timeoutMs: 60_000 } },
      { handler: endpointsRoute.POST, body: { title: "x", url: "https://example.com", retryPolicy: { preset: "custom" } } },
      { handler: endpointsRoute.POST, body: { title: "x", url: "https://example.com", filter: { rules: [{ path: "duration", op: "between" }] } } },
      { handler: endpointsRoute.POST, body: { title: "x", url: "https://example.com", headers: { "Content-Type": "text/plain" } } },
      { handler: endpointsRoute.POST, body: { title: "x", url: "https://example.com", unknown: true } },
      { handler: messagesRoute.POST, body: { eventType: "bad name!", payload: {} } },
      { handler: messagesRoute.POST, body: { eventType: "call:completed", payload: [1, 2] } },
      { handler: messagesRoute.POST, body: { eventType: "call:completed" } },
      { handler: eventTypesRoute.POST, body: { name: "" } },
      { handler: eventTypesRoute.POST, body: { name: "x.y", schema: { type: "nonsense-type" } } },
    ];
    for (const [index, testCase] of cases.entries()) {
      const response = await call(testCase.handler, ownerKey, { method: "POST", body: testCase.body });
      expect(response.status, `case ${index}`).toBe(400);
      expect(response.json.error.code, `case ${index}`).toBe("validation_failed");
      expect(Array.isArray(response.json.error.details), `case ${index}`).toBe(true);
      expect(response.json.error.details[0]).toHaveProperty("path");
    }
    const invalidJson = await call(messagesRoute.POST, ownerKey, { method: "POST", body: "{not json" });
    expect(invalidJson.status).toBe(400);
    expect(invalidJson.json.error.code).toBe("bad_request");
    const patch = await call(endpointRoute.PATCH, ownerKey, { method: "PATCH", params: { id: endpointId }, body: { timeoutMs: 10 } });
    expect(patch.status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it("answers 413 for a payload over the limit and stores nothing", async () => {
    const before = await counts();
    const big = await call(messagesRoute.POST, ownerKey, {
      method: "POST",
      body: { eventType: "call:completed", payload: { blob: "x".repeat(300 * 1024) } },
    });
    expect(big.status).toBe(413);
    expect(big.json.error.code).toBe("payload_too_large");
    expect(await counts()).toEqual(before);
  });

  it("returns the original message for a repeated idempotency key with 200", async () => {
    const body = { eventType: "call:completed", payload: { account: "acc_1", duration: 31 }, idempotencyKey: "call-42" };
    const first = await call(messagesRoute.POST, ownerKey, { method: "POST", body });
    const again = await call(messagesRoute.POST, ownerKey, { method: "POST", body });
    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(again.json.id).toBe(first.json.id);
    expect(again.json.deliveries).toEqual(first.json.deliveries);
  });

  it("stores the payload byte for byte as sent", async () => {
    const raw = '{"eventType":"call:completed","payload":{ "b":1,"a" : [1, 2.50],"2":"二","1":12345678901234567890 }}';
    const response = await call(messagesRoute.POST, ownerKey, { method: "POST", body: raw });
    expect(response.status).toBe(202);
    const stored = await db.message.findUniqueOrThrow({ where: { id: response.json.id } });
    expect(stored.body).toBe('{ "b":1,"a" : [1, 2.50],"2":"二","1":12345678901234567890 }');
  });

  it("lists messages with filters and a cursor", async () => {
    for (let i = 0; i < 3; i++) {
      await call(messagesRoute.POST, ownerKey, { method: "POST", body: { eventType: "lead.created", payload: { i }, account: "acc_9" } });
    }
    const page1 = await call(messagesRoute.GET, ownerKey, { query: "?account=acc_9&limit=2" });
    expect(page1.json.data).toHaveLength(2);
    expect(page1.json.nextCursor).toBe(page1.json.data[1].id);
    const page2 = await call(messagesRoute.GET, ownerKey, { query: `?account=acc_9&limit=2&cursor=${page1.json.nextCursor}` });
    expect(page2.json.data).toHaveLength(1);
    expect(page2.json.nextCursor).toBeNull();
    expect(page1.json.data.map((m: { payload: { i: number } }) => m.payload.i)).toEqual([2, 1]);
    const bad = await call(messagesRoute.GET, ownerKey, { query: "?status=NOPE" });
    expect(bad.status).toBe(400);
  });
});
