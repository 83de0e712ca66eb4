import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  eventTypeNameSchema,
  filterSchema,
  headersSchema,
  refineHeadersAgainstSignature,
  retryPolicySchema,
  signatureSchema,
} from "@/lib/delivery/schemas";
import { endpointCreateSchema } from "@/lib/features/endpoints/schema";

const day = 24 * 3600 * 1000;
const ok = (schema: z.ZodType, value: unknown) => expect(schema.safeParse(value).success).toBe(true);
const refused = (schema: z.ZodType, value: unknown) => expect(schema.safeParse(value).success).toBe(false);

describe("signatureSchema", () => {
  it.each([
    { scheme: "standard" },
    { scheme: "standard", userAgent: "Acme-Hooks/2.0" },
    { scheme: "hmac-sha256", headerPrefix: "X-Magnetite", userAgent: "Magnetite-Webhooks/1.0" },
    { scheme: "hmac-sha256", header: "X-Hub-Signature-256" },
    { scheme: "hmac-sha1", header: "X-CALLTRACKING-SIGNATURE" },
    { scheme: "stripe", header: "Stripe-Signature" },
    { scheme: "body-secret", field: "secret" },
    { scheme: "none", hooklineHeaders: false },
    { scheme: "hmac-sha256", headerPrefix: "X-Magnetite", timestamp: "event", hooklineHeaders: false },
    { scheme: "standard", timestamp: "attempt" },
    { scheme: "stripe", timestamp: "event" },
  ])("accepts %o", (value) => ok(signatureSchema, value));

  it.each([
    { scheme: "md5" },
    { scheme: "standard", header: "X-Sig" },
    { scheme: "hmac-sha1", headerPrefix: "X-Acme" },
    { scheme: "hmac-sha256", field: "secret" },
    { scheme: "body-secret", header: "X-Sig" },
    { scheme: "hmac-sha256", header: "X Sig" },
    { scheme: "hmac-sha256", header: "X-Sig:" },
    { scheme: "standard", userAgent: "Bad\r\nInjected: 1" },
    { scheme: "body-secret", field: "" },
    { scheme: "body-secret", timestamp: "event" },
    { scheme: "hmac-sha1", timestamp: "attempt" },
    { scheme: "none", header: "X-Sig" },
    { scheme: "standard", timestamp: "now" },
    { scheme: "standard", hooklineHeaders: "no" },
  ])("refuses %o", (value) => refused(signatureSchema, value));
});

describe("retryPolicySchema", () => {
  it.each([
    { preset: "standard" },
    { preset: "fixed" },
    { preset: "exponential" },
    { preset: "exponential", maxAttempts: 1 },
    { preset: "exponential", maxAttempts: 30 },
    { preset: "none" },
    { preset: "custom", delaysMs: [1000] },
    { preset: "custom", delaysMs: [1000, 7 * day] },
    { preset: "custom", delaysMs: Array(20).fill(60_000) },
    { preset: "fixed", jitter: true },
    { preset: "standard", jitter: false, maxDelayMs: 60_000 },
    { preset: "exponential", maxDelayMs: 10_000 },
  ])("accepts %o", (value) => ok(retryPolicySchema, value));

  it.each([
    { preset: "linear" },
    { preset: "custom" },
    { preset: "custom", delaysMs: [] },
    { preset: "custom", delaysMs: [999] },
    { preset: "custom", delaysMs: [7 * day + 1] },
    { preset: "custom", delaysMs: [1500.5] },
    { preset: "custom", delaysMs: Array(21).fill(60_000) },
    { preset: "exponential", maxAttempts: 0 },
    { preset: "exponential", maxAttempts: 31 },
    { preset: "fixed", maxAttempts: 3 },
    { preset: "standard", delaysMs: [1000] },
    { preset: "none", jitter: true },
    { preset: "none", maxDelayMs: 60_000 },
    { preset: "standard", maxDelayMs: 999 },
    { preset: "standard", maxDelayMs: 7 * day + 1 },
  ])("refuses %o", (value) => refused(retryPolicySchema, value));
});

describe("filterSchema", () => {
  it.each([
    {},
    { accounts: ["acc_1"], rules: [{ path: "duration", op: "gte", value: 30 }] },
    { rules: [{ path: "caller.number", op: "exists", value: true }] },
    { rules: [{ path: "items[0].id", op: "in", value: ["a", "b"] }] },
    { rules: [{ path: "items.0.tags", op: "contains", value: "vip" }] },
    { rules: [{ path: "started_at", op: "lt", value: "2026-01-01T00:00:00Z" }] },
    { rules: [{ path: "campaign", op: "eq", value: null }] },
    { rules: [{ path: "meta", op: "neq", value: { a: [1] } }] },
  ])("accepts %o", (value) => ok(filterSchema, value));

  it.each([
    { accounts: [""] },
    { rules: [{ path: "duration", op: "between", value: 1 }] },
    { rules: [{ path: "duration", op: "gte" }] },
    { rules: [{ path: "duration", op: "gte", value: [1] }] },
    { rules: [{ path: "status", op: "in", value: "completed" }] },
    { rules: [{ path: "status", op: "exists", value: "yes" }] },
    { rules: [{ path: "status", op: "eq" }] },
    { rules: [{ path: "", op: "exists", value: true }] },
    { rules: [{ path: "a..b", op: "exists", value: true }] },
    { rules: [{ path: "items[x]", op: "exists", value: true }] },
    { rules: [{ path: ".a", op: "exists", value: true }] },
  ])("refuses %o", (value) => refused(filterSchema, value));
});

describe("headersSchema", () => {
  it.each([{}, { "X-Api-Key": "k_123" }, { Authorization: "Bearer abc", "X-Tenant": "" }])("accepts %o", (value) =>
    ok(headersSchema, value),
  );

  it.each([
    { "Content-Type": "text/plain" },
    { "content-length": "1" },
    { Host: "evil.example" },
    { "User-Agent": "x" },
    { "Webhook-Signature": "v1,forged" },
    { "webhook-id": "msg_1" },
    { "X-Hookline-Attempt": "1" },
    { "Transfer-Encoding": "chunked" },
    { "X-Ok": "a\r\nInjected: 1" },
    { "X-Ok": "a\nb" },
    { "X Bad": "v" },
    { "X-Api-Key": "a", "x-api-key": "b" },
  ])("refuses %o", (value) => refused(headersSchema, value));

  it("refuses more than 50 headers", () => {
    refused(headersSchema, Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`X-H${i}`, "v"])));
  });
});

describe("refineHeadersAgainstSignature", () => {
  const endpoint = z
    .object({ signature: signatureSchema, headers: headersSchema })
    .superRefine(refineHeadersAgainstSignature);

  it.each([
    [{ scheme: "hmac-sha256", headerPrefix: "X-Magnetite" }, { "x-magnetite-signature": "forged" }],
    [{ scheme: "hmac-sha256", headerPrefix: "X-Magnetite" }, { "X-Magnetite-Event": "x" }],
    [{ scheme: "hmac-sha256" }, { "X-Hookline-Signature": "x" }],
    [{ scheme: "hmac-sha1", header: "X-CALLTRACKING-SIGNATURE" }, { "X-Calltracking-Signature": "x" }],
    [{ scheme: "stripe" }, { "stripe-signature": "t=1,v1=00" }],
  ])("refuses the signature headers of %o", (signature, headers) => {
    const result = endpoint.safeParse({ signature, headers });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path[0]).toBe("headers");
  });

  it("accepts the same names when the scheme does not use them", () => {
    ok(endpoint, { signature: { scheme: "body-secret" }, headers: { "Stripe-Signature": "x", "X-Magnetite-Signature": "y" } });
  });
});

describe("eventTypeNameSchema", () => {
  it.each(["call:completed", "lead.created", "meeting_booked", "open", "a-b_c.d:e", "x".repeat(128)])("accepts %s", (name) =>
    ok(eventTypeNameSchema, name),
  );
  it.each(["", "call completed", "lead/created", "é", "x".repeat(129), "a*"])("refuses %j", (name) => refused(eventTypeNameSchema, name));
});

describe("per-event filters on an endpoint", () => {
  const base = { title: "Calls", url: "https://example.com/hook" };
  it("accepts conditions for one of the endpoint's events, or any event when it takes all", () => {
    const events = { "call:completed": { rules: [{ path: "duration", op: "gte", value: 30 }] } };
    ok(endpointCreateSchema, { ...base, eventTypes: ["call:completed"], filter: { events } });
    ok(endpointCreateSchema, { ...base, filter: { events } });
  });

  it("refuses a filter for an event the endpoint does not receive, and unknown condition keys", () => {
    const result = endpointCreateSchema.safeParse({ ...base, eventTypes: ["call:missed"], filter: { events: { "call:completed": {} } } });
    expect(result.error?.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([
      ["filter.events.call:completed", `"call:completed" has a filter but is not one of the endpoint's event types`],
    ]);
    refused(filterSchema, { events: { "call:completed": { duration: 30 } } });
    refused(filterSchema, { events: { "not an event!": {} } });
  });
});
