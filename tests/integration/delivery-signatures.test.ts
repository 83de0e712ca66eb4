import "@/tests/helpers/no-executor-env";
import crypto from "node:crypto";
import { verify as octokitVerify } from "@octokit/webhooks-methods";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { Webhook as SvixWebhook } from "svix";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { ServiceContext } from "@/lib/context";
import { seal } from "@/lib/crypto/secret-box";
import type { Db } from "@/lib/db/client";
import { attemptDelivery } from "@/lib/delivery/attempt";
import type { SignatureConfig } from "@/lib/delivery/schemas";
import { createEndpoint, revealSecret, rotateSecret } from "@/lib/features/endpoints/service";
import { resetEnv } from "@/lib/env";
import { importPreset } from "@/lib/features/event-types/service";
import { eventTypePresets, type JsonObject } from "@/lib/features/event-types/presets";
import { newId } from "@/lib/ids";
import { publish } from "@/lib/features/messages/publish";
import { rawMember } from "@/lib/features/messages/raw-json";
import { makeWorkspace } from "@/tests/helpers/factories";
import { startReceiver, type ReceivedRequest, type Receiver } from "@/tests/helpers/receiver";
import { verifyCallTracking, verifyWebhookSignature } from "@/tests/helpers/seed-verifiers";
import { useTestDb } from "@/tests/helpers/services";

process.env.HOOKLINE_ALLOW_PRIVATE_NETWORKS = "true";

let db: Db;
let receiver: Receiver;
/** HTTPS with a certificate from a CA the test process trusts, for presets that require HTTPS. */
let tlsReceiver: Receiver;

beforeAll(async () => {
  vi.spyOn(console, "error").mockImplementation(() => {}); // the failed inngest.send is expected
  resetEnv();
  ({ db } = await useTestDb());
  receiver = await startReceiver();
  tlsReceiver = await startReceiver({ tls: "valid" });
});

// ---------------------------------------------------------------------------------------------
// Independent verifiers: none of them imports Hookline's signing code.

/**
 * Stripe's documented manual verification: split `t=…,v1=…` on commas, HMAC-SHA256 the
 * "signed_payload" `${t}.${raw body}` with the endpoint secret, compare with every v1, check the
 * timestamp is within the 5-minute tolerance.
 */
function verifyStripe(payload: Buffer, header: string, secret: string, toleranceSeconds = 300): boolean {
  const items = header.split(",").map((item) => {
    const at = item.indexOf("=");
    return [item.slice(0, at), item.slice(at + 1)] as const;
  });
  const t = items.find(([key]) => key === "t")?.[1];
  if (!t || Math.abs(Date.now() / 1000 - Number(t)) > toleranceSeconds) return false;
  const expected = crypto.createHmac("sha256", secret).update(`${t}.${payload.toString("utf8")}`).digest();
  return items
    .filter(([key]) => key === "v1")
    .some(([, value]) => {
      const received = Buffer.from(value, "hex");
      return received.length === expected.length && crypto.timingSafeEqual(received, expected);
    });
}

function lowerHeaders(request: ReceivedRequest): Record<string, string> {
  return Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
}

/** The header names exactly as they went over the wire (casing included). */
function rawHeaderNames(request: ReceivedRequest): string[] {
  return request.rawHeaders.filter((_, i) => i % 2 === 0);
}

type Check = { secret: string; body: string; eventType: string; messageId: string };

/** Per scheme: verify what the receiver got; returns the body the receiver's code would see as "the event". */
const verifiers: Record<SignatureConfig["scheme"], (request: ReceivedRequest, check: Check, signature: SignatureConfig) => Promise<void>> = {
  async standard(request, { secret, messageId }) {
    const headers = lowerHeaders(request);
    expect(headers["webhook-id"]).toBe(messageId);
    expect(() => new StandardWebhook(secret).verify(request.body.toString("utf8"), headers)).not.toThrow();
    expect(() => new SvixWebhook(secret).verify(request.body.toString("utf8"), headers)).not.toThrow();
    expect(request.body.equals(Buffer.from(request.body.toString("utf8")))).toBe(true);
  },
  async "hmac-sha256"(request, { secret, eventType }, signature) {
    const prefix = (signature.headerPrefix ?? "X-Hookline").toLowerCase();
    const header = String(request.headers[`${prefix}-signature`]);
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(request.body, header, secret)).toBe(true);
    expect(await octokitVerify(secret, request.body.toString("utf8"), header)).toBe(true);
    expect(request.headers[`${prefix}-event`]).toBe(eventType);
    expect(Math.abs(Number(request.headers[`${prefix}-timestamp`]) - Date.now() / 1000)).toBeLessThan(60);
  },
  async "hmac-sha1"(request, { secret }, signature) {
    const header = String(request.headers[(signature.header ?? "X-Hookline-Signature").toLowerCase()]);
    expect(header).toMatch(/^[0-9a-f]{40}$/);
    expect(verifyCallTracking(request.body, header, secret)).toBe(true);
  },
  async stripe(request, { secret }, signature) {
    const header = String(request.headers[(signature.header ?? "Stripe-Signature").toLowerCase()]);
    expect(verifyStripe(request.body, header, secret)).toBe(true);
  },
  async "body-secret"(request, { secret }, signature) {
    const field = signature.field ?? "secret";
    expect((JSON.parse(request.body.toString("utf8")) as Record<string, unknown>)[field]).toBe(secret);
    // No signature headers of any scheme.
    expect(Object.keys(request.headers).filter((name) => /signature|^webhook-/.test(name))).toEqual([]);
  },
  async none(request, { secret }) {
    expect(Object.keys(request.headers).filter((name) => /signature|^webhook-|timestamp/.test(name))).toEqual([]);
    expect(request.body.toString("utf8")).not.toContain(secret);
  },
};

/** What the receiver must get byte for byte, given the published body. */
function expectedBody(published: string, signature: SignatureConfig, secret: string): string {
  if (signature.scheme !== "body-secret") return published;
  const brace = published.indexOf("{");
  const empty = /^\{\s*\}\s*$/.test(published.slice(brace));
  const member = `${JSON.stringify(signature.field ?? "secret")}:${JSON.stringify(secret)}${empty ? "" : ","}`;
  return published.slice(0, brace + 1) + member + published.slice(brace + 1);
}

async function publishAndAttempt(ctx: ServiceContext, endpointId: string, eventType: string, payload: JsonObject, rawPayload?: string, target = receiver) {
  const published = await publish(ctx, { eventType, payload }, rawPayload === undefined ? {} : { rawPayload });
  const delivery = published.deliveries.find((candidate) => candidate.endpointId === endpointId);
  expect(delivery, `a delivery of ${eventType} to the endpoint`).toBeDefined();
  const before = target.requests.length;
  const outcome = await attemptDelivery(delivery!.id, { trigger: "SCHEDULED", scheduleAttempt: 1 });
  expect(outcome, `attempt of ${eventType}`).toMatchObject({ ok: true, responseStatus: 200, next: { action: "succeeded" } });
  expect(target.requests.length).toBe(before + 1);
  const request = target.requests.at(-1)!;
  const message = await db.message.findUniqueOrThrow({ where: { id: published.message.id } });
  return { request, messageId: published.message.id, storedBody: message.body, deliveryId: delivery!.id };
}

// ---------------------------------------------------------------------------------------------

describe("each seed product's preset, verified the way that product's receivers verify", () => {
  // Exactly the headers each document lists (casing included), besides the transport's own
  // (Host, Content-Length, Connection): nothing of Hookline's.
  const seedHeaders: Record<string, { names: string[]; userAgent?: string }> = {
    meetings: { names: ["Content-Type"] },
    "lead-magnet": {
      names: ["Content-Type", "User-Agent", "X-Magnetite-Signature", "X-Magnetite-Event", "X-Magnetite-Timestamp"],
      userAgent: "Magnetite-Webhooks/1.0",
    },
    "call-tracking": { names: ["Content-Type", "X-CALLTRACKING-SIGNATURE"] },
    crm: { names: ["Content-Type"] },
    outreach: { names: ["Content-Type"] },
  };
  const TRANSPORT = new Set(["host", "content-length", "connection"]);

  it("covers the five seeds", () => {
    expect(eventTypePresets.map((preset) => preset.id).sort()).toEqual(Object.keys(seedHeaders).sort());
  });

  it.each(eventTypePresets.map((preset) => [preset.id, preset] as const))("%s: every example event arrives signed and byte-exact", async (_, preset) => {
    const ctx = await makeWorkspace();
    await importPreset(ctx, preset.id);
    const target = preset.endpoint.requireHttps ? tlsReceiver : receiver;
    const endpoint = await createEndpoint(ctx, { title: preset.name, url: `${target.url}/${preset.id}`, ...preset.endpoint });
    expect(endpoint.signature).toEqual(preset.endpoint.signature);
    expect(endpoint.timeoutMs).toBe(preset.endpoint.timeoutMs);
    const { secret } = await revealSecret(ctx, endpoint.id);
    expect(secret).toBe(endpoint.secret);

    for (const event of preset.events) {
      const { request, messageId, storedBody } = await publishAndAttempt(ctx, endpoint.id, event.name, event.example, undefined, target);
      expect(storedBody).toBe(JSON.stringify(event.example));
      expect(request.method).toBe("POST");
      expect(request.path).toBe(`/${preset.id}`);
      expect(request.body.toString("utf8")).toBe(expectedBody(storedBody, preset.endpoint.signature, secret));
      await verifiers[preset.endpoint.signature.scheme](request, { secret, body: storedBody, eventType: event.name, messageId }, preset.endpoint.signature);

      // The seed's own header names exactly as documented, and no other.
      expect(request.headers["content-type"]).toBe("application/json");
      expect(request.headers["user-agent"]).toBe(seedHeaders[preset.id]!.userAgent);
      const sent = rawHeaderNames(request).filter((name) => !TRANSPORT.has(name.toLowerCase()));
      expect(sent.map((name) => name.toLowerCase()).sort()).toEqual(seedHeaders[preset.id]!.names.map((name) => name.toLowerCase()).sort());
      // The product's own names in the document's casing (HTTP's standard names are case-insensitive).
      const productNames = seedHeaders[preset.id]!.names.filter((name) => !/^(content-type|user-agent)$/i.test(name));
      expect(rawHeaderNames(request)).toEqual(expect.arrayContaining(productNames));
    }
  });

  it("crm (seed 003): the receiver reads the revealed secret from the body's `secret` field, as in the seed's sample", async () => {
    const ctx = await makeWorkspace();
    await importPreset(ctx, "crm");
    const preset = eventTypePresets.find((candidate) => candidate.id === "crm")!;
    const endpoint = await createEndpoint(ctx, { title: "CRM", url: `${receiver.url}/crm-sample`, ...preset.endpoint });
    const example = preset.events.find((event) => event.name === "lead.create")!.example;
    const { request } = await publishAndAttempt(ctx, endpoint.id, "lead.create", example);
    const received = JSON.parse(request.body.toString("utf8")) as Record<string, unknown>;
    expect(Object.keys(received)).toEqual(["secret", "id_space", "event", "payload"]); // the seed's field order
    expect(received.secret).toBe((await revealSecret(ctx, endpoint.id)).secret);
    expect(received.event).toBe("lead.create");
  });
});

// A payload that any parse-and-reserialize step would change: integer-like keys (JS moves them
// first), whitespace of every kind, unicode and escapes, number spellings, a 20-digit integer.
const ODD_PAYLOAD =
  '{\n  "z": 1,\n  "10": "ten",\n\t"2" : "two",\r\n  "a": {"y": [1, 2.50, -0.0, 1E3], "b": null},\n' +
  '  "big": 12345678901234567890,\n  "text": "José 🚀 Zürich — 日本語 \\u00e9 \\"quoted\\" \\/ line\\nbreak",\n' +
  '  "emoji": "👩‍💻",   "empty": {}, "account": "acc_odd"\n}';
const API_BODY = `{"eventType" : "odd.event",\n "payload":  ${ODD_PAYLOAD} , "idempotencyKey": null}`;

describe("explicit schemes, with a body that must survive byte for byte", () => {
  it("the API body's payload text is extracted exactly, and a re-serialization would differ", () => {
    const raw = rawMember(API_BODY, "payload")!;
    expect(raw).toBe(ODD_PAYLOAD);
    expect(JSON.stringify(JSON.parse(raw))).not.toBe(raw);
    expect(JSON.stringify(JSON.parse(raw))).toMatch(/^\{"2":"two","10":"ten","z":1,/); // reordered and rounded:
    expect(JSON.stringify(JSON.parse(raw))).toContain("12345678901234567000");
  });

  it.each([
    ["nested decoy", '{"meta":{"payload":1},"payload":{"a":1}}', '{"a":1}'],
    ["brackets and quotes inside strings", '{"payload":{"s":"}\\"{]","t":[1,{"u":"]"}]},"x":0}', '{"s":"}\\"{]","t":[1,{"u":"]"}]}'],
    ["duplicate key: the last wins, as in JSON.parse", '{"payload":{"a":1},"payload":{"b":2}}', '{"b":2}'],
    ["whitespace around the colon", '{ "payload" \n:\t {"a" : 1} }', '{"a" : 1}'],
    ["escaped key", '{"pay\\u006coad": {"x":1}}', '{"x":1}'],
    ["absent", '{"eventType":"a"}', undefined],
    ["not an object", '[{"payload":{}}]', undefined],
  ])("rawMember: %s", (_, text, expected) => {
    const raw = rawMember(text, "payload");
    expect(raw).toBe(expected);
    // Always the same value the API's JSON.parse sees.
    if (raw !== undefined) expect(JSON.parse(raw)).toEqual((JSON.parse(text) as { payload: unknown }).payload);
  });

  const schemes: Array<[string, SignatureConfig]> = [
    ["standard", { scheme: "standard" }],
    ["hmac-sha256, seed 001 headers", { scheme: "hmac-sha256", headerPrefix: "X-Magnetite", userAgent: "Magnetite-Webhooks/1.0" }],
    ["hmac-sha256, default header", { scheme: "hmac-sha256" }],
    ["hmac-sha1, seed 002 header", { scheme: "hmac-sha1", header: "X-CALLTRACKING-SIGNATURE" }],
    ["stripe", { scheme: "stripe" }],
    ["body-secret, seed 003", { scheme: "body-secret" }],
    ["body-secret, custom field", { scheme: "body-secret", field: "webhook_secret" }],
  ];

  it.each(schemes)("%s", async (_, signature) => {
    const ctx = await makeWorkspace();
    const endpoint = await createEndpoint(ctx, { title: "Odd", url: `${receiver.url}/odd`, signature, headers: { "X-Tenant": "t-1" } });
    const raw = rawMember(API_BODY, "payload")!;
    const { request, messageId, storedBody } = await publishAndAttempt(ctx, endpoint.id, "odd.event", JSON.parse(raw) as JsonObject, raw);
    expect(storedBody).toBe(ODD_PAYLOAD);
    const expected = expectedBody(ODD_PAYLOAD, signature, endpoint.secret);
    expect(request.body.equals(Buffer.from(expected, "utf8"))).toBe(true);
    if (signature.scheme !== "body-secret") expect(request.body.toString("utf8")).toBe(ODD_PAYLOAD);
    expect(request.headers["content-length"]).toBe(String(Buffer.byteLength(expected)));
    await verifiers[signature.scheme](request, { secret: endpoint.secret, body: ODD_PAYLOAD, eventType: "odd.event", messageId }, signature);
    expect(request.headers["x-tenant"]).toBe("t-1");
    expect(request.headers["user-agent"]).toBe(signature.userAgent ?? "Hookline/0.1.0");
  });

  it("a wrong secret fails every verifier (the checks above are not vacuous)", async () => {
    const ctx = await makeWorkspace();
    const wrong = "whsec_" + crypto.randomBytes(32).toString("base64");
    const endpoint = await createEndpoint(ctx, { title: "Std", url: `${receiver.url}/neg` });
    const raw = rawMember(API_BODY, "payload")!;
    const { request } = await publishAndAttempt(ctx, endpoint.id, "odd.event", JSON.parse(raw) as JsonObject, raw);
    expect(() => new StandardWebhook(wrong).verify(request.body.toString("utf8"), lowerHeaders(request))).toThrow();
    expect(() => new SvixWebhook(wrong).verify(request.body.toString("utf8"), lowerHeaders(request))).toThrow();
    // A body changed by one byte fails too.
    const tampered = request.body.toString("utf8").replace("ten", "teN");
    expect(() => new StandardWebhook(endpoint.secret).verify(tampered, lowerHeaders(request))).toThrow();
  });
});

describe("Standard Webhooks specifics", () => {
  it("reproduces the spec's test vector end to end (header as received)", async () => {
    const ctx = await makeWorkspace();
    const endpoint = await createEndpoint(ctx, { title: "Vector", url: `${receiver.url}/vector` });
    await db.endpoint.update({ where: { id: endpoint.id }, data: { secretEnc: seal("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") } });
    const messageId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const deliveryId = newId("dlv");
    await db.message.create({ data: { id: messageId, workspaceId: ctx.workspaceId, eventType: "test", body: '{"test": 2432232314}' } });
    await db.delivery.create({ data: { id: deliveryId, workspaceId: ctx.workspaceId, messageId, endpointId: endpoint.id } });

    const outcome = await attemptDelivery(deliveryId, { trigger: "MANUAL", now: () => new Date(1614265330 * 1000) });
    expect(outcome.ok).toBe(true);
    const request = receiver.requests.at(-1)!;
    expect(request.body.toString("utf8")).toBe('{"test": 2432232314}');
    expect(request.headers["webhook-id"]).toBe(messageId);
    expect(request.headers["webhook-timestamp"]).toBe("1614265330");
    expect(request.headers["webhook-signature"]).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });

  it("webhook-id is the message id and stays the same on a retry; the timestamp is the attempt's", async () => {
    const ctx = await makeWorkspace();
    const endpoint = await createEndpoint(ctx, { title: "Retry", url: `${receiver.url}/retry`, retryPolicy: { preset: "custom", delaysMs: [1000] } });
    receiver.respond({ status: 500 }, { status: 200 });
    try {
      const published = await publish(ctx, { eventType: "odd.event", payload: { n: 1 } });
      const deliveryId = published.deliveries[0]!.id;
      const first = await attemptDelivery(deliveryId, { trigger: "SCHEDULED", scheduleAttempt: 1, now: () => new Date(Date.now() - 10_000) });
      expect(first, JSON.stringify(receiver.requests.slice(-3).map((r) => r.path))).toMatchObject({ responseStatus: 500, next: { action: "retry" } });
      const second = await attemptDelivery(deliveryId, { trigger: "SCHEDULED", scheduleAttempt: 2 });
      expect(second.ok).toBe(true);
      const [a, b] = receiver.requests.slice(-2);
      expect(a!.headers["webhook-id"]).toBe(published.message.id);
      expect(b!.headers["webhook-id"]).toBe(published.message.id);
      expect(Number(b!.headers["webhook-timestamp"]) - Number(a!.headers["webhook-timestamp"])).toBeGreaterThanOrEqual(9);
      expect([a!.headers["x-hookline-attempt"], b!.headers["x-hookline-attempt"]]).toEqual(["1", "2"]);
      for (const request of [a!, b!]) await verifiers.standard(request, { secret: endpoint.secret, body: "", eventType: "odd.event", messageId: published.message.id }, { scheme: "standard" });
    } finally {
      receiver.respond();
    }
  });
});

describe("secret rotation", () => {
  it.each([
    ["standard", { scheme: "standard" }],
    ["stripe", { scheme: "stripe" }],
  ] as Array<[string, SignatureConfig]>)("%s: during the grace period receivers verify with the old and the new secret", async (_, signature) => {
    const ctx = await makeWorkspace();
    const endpoint = await createEndpoint(ctx, { title: "Rotating", url: `${receiver.url}/rotate`, signature });
    const oldSecret = endpoint.secret;
    // true when the receiver's library accepts the request with this secret.
    const verifyWith = (request: ReceivedRequest, secret: string): boolean => {
      if (signature.scheme === "stripe") return verifyStripe(request.body, String(request.headers["stripe-signature"]), secret);
      const body = request.body.toString("utf8");
      const results = [StandardWebhook, SvixWebhook].map((Library) => {
        try {
          new Library(secret).verify(body, lowerHeaders(request));
          return true;
        } catch {
          return false;
        }
      });
      expect(results[0], "standardwebhooks and svix agree").toBe(results[1]);
      return results[0]!;
    };

    const before = await publishAndAttempt(ctx, endpoint.id, "odd.event", { phase: "before" });
    expect(verifyWith(before.request, oldSecret)).toBe(true);

    const rotated = await rotateSecret(ctx, endpoint.id, { graceSeconds: 3600 });
    expect(rotated.secret).not.toBe(oldSecret);
    expect(Date.parse(rotated.previousSecretExpiresAt!)).toBeGreaterThan(Date.now() + 3500_000);
    expect(await revealSecret(ctx, endpoint.id)).toEqual({ secret: rotated.secret, previousSecretExpiresAt: rotated.previousSecretExpiresAt });

    const during = await publishAndAttempt(ctx, endpoint.id, "odd.event", { phase: "during" });
    if (signature.scheme === "standard") expect(String(during.request.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    else expect(String(during.request.headers["stripe-signature"]).match(/v1=/g)).toHaveLength(2);
    expect(verifyWith(during.request, oldSecret)).toBe(true);
    expect(verifyWith(during.request, rotated.secret)).toBe(true);
    const stranger = "whsec_" + crypto.randomBytes(32).toString("base64");
    expect(verifyWith(during.request, stranger)).toBe(false);

    // Rotating again without grace drops the old signature at once.
    const immediate = await rotateSecret(ctx, endpoint.id, { graceSeconds: 0 });
    expect(immediate.previousSecretExpiresAt).toBeNull();
    const after = await publishAndAttempt(ctx, endpoint.id, "odd.event", { phase: "after" });
    expect(verifyWith(after.request, immediate.secret)).toBe(true);
    expect(verifyWith(after.request, rotated.secret)).toBe(false);
  });

  it("an expired grace period stops the old signature", async () => {
    const ctx = await makeWorkspace();
    const endpoint = await createEndpoint(ctx, { title: "Expired", url: `${receiver.url}/expired` });
    const rotated = await rotateSecret(ctx, endpoint.id, { graceSeconds: 60 });
    await db.endpoint.update({ where: { id: endpoint.id }, data: { previousSecretUntil: new Date(Date.now() - 1000) } });
    const { request } = await publishAndAttempt(ctx, endpoint.id, "odd.event", { phase: "expired" });
    expect(String(request.headers["webhook-signature"]).split(" ")).toHaveLength(1);
    expect(() => new StandardWebhook(rotated.secret).verify(request.body.toString("utf8"), lowerHeaders(request))).not.toThrow();
    expect(() => new StandardWebhook(endpoint.secret).verify(request.body.toString("utf8"), lowerHeaders(request))).toThrow();
    expect((await revealSecret(ctx, endpoint.id)).previousSecretExpiresAt).toBeNull();
  });
});
