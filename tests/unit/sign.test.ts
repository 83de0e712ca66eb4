import crypto from "node:crypto";
import { verify as verifyGitHubStyle } from "@octokit/webhooks-methods";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { Webhook as SvixWebhook } from "svix";
import { describe, expect, it } from "vitest";
import { generateSecret, signRequest, SigningError, type SignRequestInput } from "@/lib/delivery/sign";
import { eventTypePresets } from "@/lib/features/event-types/presets";

const now = () => Math.floor(Date.now() / 1000);

function sign(overrides: Partial<SignRequestInput> & Pick<SignRequestInput, "signature">) {
  return signRequest({
    secrets: { current: generateSecret() },
    msgId: "msg_2xkq8TnFvD1mWz",
    timestamp: now(),
    body: '{"type":"test"}',
    eventType: "call:completed",
    attempt: 1,
    ...overrides,
  });
}

// Bodies a naive re-serialisation would change.
const bodies = [
  ["unicode", '{"nom":"José 🚀 Ünïcødé","city":"Zürich","emoji":"👩‍💻"}'],
  ["odd whitespace", '{\n\t"b" : 1 ,  "a":[ 1,2 ]\r\n}  '],
  ["key order", '{"z":1,"a":{"y":2,"b":3},"m":null}'],
  ["number formatting", '{"big":12345678901234567890,"f":1.50,"e":1e3}'],
  ["escapes", '{"s":"line\\nbreak \\u00e9 \\"quoted\\" \\/"}'],
] as const;

// Stripe's documented algorithm: split the header, HMAC "{t}.{payload}", compare with any v1.
function verifyStripeStyle(payload: string, header: string, secret: string): boolean {
  const pairs = header.split(",").map((item) => item.split("=") as [string, string]);
  const t = pairs.find(([key]) => key === "t")?.[1];
  const expected = crypto.createHmac("sha256", secret).update(`${t}.${payload}`, "utf8").digest();
  return pairs
    .filter(([key]) => key === "v1")
    .some(([, value]) => {
      const received = Buffer.from(value, "hex");
      return received.length === expected.length && crypto.timingSafeEqual(received, expected);
    });
}

// Seed 001's verification snippet, verbatim apart from `require`.
function verifyWebhookSignature(payload: string, signature: string, secret: string) {
  const expectedSignature = crypto.createHmac("sha256", secret).update(payload, "utf8").digest("hex");

  const receivedSignature = signature.replace("sha256=", "");

  return crypto.timingSafeEqual(Buffer.from(expectedSignature, "hex"), Buffer.from(receivedSignature, "hex"));
}

describe("standard (Standard Webhooks)", () => {
  it("reproduces the spec's test vector", () => {
    const { headers, body } = signRequest({
      signature: { scheme: "standard" },
      secrets: { current: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" },
      msgId: "msg_p5jXN8AQM9LWM0D4loKWxJek",
      timestamp: 1614265330,
      body: '{"test": 2432232314}',
      eventType: "test",
      attempt: 1,
    });
    expect(headers["webhook-signature"]).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    expect(headers["webhook-id"]).toBe("msg_p5jXN8AQM9LWM0D4loKWxJek");
    expect(headers["webhook-timestamp"]).toBe("1614265330");
    expect(body).toBe('{"test": 2432232314}');
  });

  it.each(bodies)("verifies with standardwebhooks and svix, body byte-identical (%s)", (_, body) => {
    const secret = generateSecret();
    const signed = sign({ signature: { scheme: "standard" }, secrets: { current: secret }, body });
    expect(signed.body).toBe(body);
    expect(() => new StandardWebhook(secret).verify(signed.body, signed.headers)).not.toThrow();
    expect(() => new SvixWebhook(secret).verify(signed.body, signed.headers)).not.toThrow();
    expect(() => new StandardWebhook(generateSecret()).verify(signed.body, signed.headers)).toThrow();
  });

  it("sends both signatures during rotation, each verifying with its own secret", () => {
    const [current, previous, unrelated] = [generateSecret(), generateSecret(), generateSecret()];
    const signed = sign({ signature: { scheme: "standard" }, secrets: { current, previous } });
    expect(signed.headers["webhook-signature"]).toMatch(/^v1,\S+ v1,\S+$/);
    for (const secret of [current, previous]) {
      expect(() => new StandardWebhook(secret).verify(signed.body, signed.headers)).not.toThrow();
      expect(() => new SvixWebhook(secret).verify(signed.body, signed.headers)).not.toThrow();
    }
    expect(() => new SvixWebhook(unrelated).verify(signed.body, signed.headers)).toThrow();
  });

  it("keeps webhook-id stable across attempts and stamps each attempt's time", () => {
    const first = sign({ signature: { scheme: "standard" }, timestamp: 1700000000, attempt: 1 });
    const second = sign({ signature: { scheme: "standard" }, timestamp: 1700000300, attempt: 2 });
    expect(second.headers["webhook-id"]).toBe(first.headers["webhook-id"]);
    expect(second.headers["webhook-timestamp"]).toBe("1700000300");
    expect(second.headers["x-hookline-attempt"]).toBe("2");
  });
});

describe("hmac-sha256 (GitHub / seed 001 style)", () => {
  const leadMagnet = eventTypePresets.find((preset) => preset.id === "lead-magnet")!;

  it.each(bodies)("verifies with seed 001's snippet and @octokit/webhooks-methods (%s)", async (_, body) => {
    const secret = generateSecret();
    const signed = sign({ signature: leadMagnet.endpoint.signature, secrets: { current: secret }, body });
    expect(signed.body).toBe(body);
    const header = signed.headers["X-Magnetite-Signature"];
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(signed.body, header, secret)).toBe(true);
    expect(await verifyGitHubStyle(secret, signed.body, header)).toBe(true);
    expect(await verifyGitHubStyle(generateSecret(), signed.body, header)).toBe(false);
  });

  it("sends seed 001's headers", () => {
    const signed = sign({ signature: leadMagnet.endpoint.signature, eventType: "lead.completed", timestamp: 1703123456 });
    expect(signed.headers).toMatchObject({
      "content-type": "application/json",
      "user-agent": "Magnetite-Webhooks/1.0",
      "X-Magnetite-Event": "lead.completed",
      "X-Magnetite-Timestamp": "1703123456",
    });
  });

  it("defaults to X-Hookline-Signature and honours an explicit header name", () => {
    expect(sign({ signature: { scheme: "hmac-sha256" } }).headers).toHaveProperty("X-Hookline-Signature");
    expect(sign({ signature: { scheme: "hmac-sha256" } }).headers).toHaveProperty("X-Hookline-Event");
    expect(sign({ signature: { scheme: "hmac-sha256", header: "X-Hub-Signature-256" } }).headers).toHaveProperty(
      "X-Hub-Signature-256",
    );
  });
});

describe("hmac-sha1 (seed 002 style)", () => {
  it.each(bodies)("verifies with node's HMAC-SHA1 (%s)", (_, body) => {
    const secret = generateSecret();
    const signed = sign({ signature: { scheme: "hmac-sha1", header: "X-CALLTRACKING-SIGNATURE" }, secrets: { current: secret }, body });
    expect(signed.body).toBe(body);
    const expected = crypto.createHmac("sha1", secret).update(Buffer.from(body)).digest("hex");
    expect(signed.headers["X-CALLTRACKING-SIGNATURE"]).toBe(expected);
  });
});

describe("stripe", () => {
  it.each(bodies)("verifies with Stripe's documented algorithm (%s)", (_, body) => {
    const secret = generateSecret();
    const signed = sign({ signature: { scheme: "stripe" }, secrets: { current: secret }, body, timestamp: 1700000000 });
    expect(signed.body).toBe(body);
    expect(signed.headers["Stripe-Signature"]).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(verifyStripeStyle(body, signed.headers["Stripe-Signature"], secret)).toBe(true);
    expect(verifyStripeStyle(body, signed.headers["Stripe-Signature"], generateSecret())).toBe(false);
  });

  it("carries a v1 per secret during rotation", () => {
    const [current, previous] = [generateSecret(), generateSecret()];
    const signed = sign({ signature: { scheme: "stripe", header: "X-Signature" }, secrets: { current, previous } });
    expect(signed.headers["X-Signature"]).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(verifyStripeStyle(signed.body, signed.headers["X-Signature"], current)).toBe(true);
    expect(verifyStripeStyle(signed.body, signed.headers["X-Signature"], previous)).toBe(true);
  });
});

describe("body-secret (seed 003 style)", () => {
  it.each([
    ["compact", '{"id_space":"eb8e","event":"lead.create","payload":{"id":1}}'],
    ["spaced, unicode, leading whitespace", '\n  { "event" : "lead.create",\t"payload": {"nom":"José 🚀"} }\n'],
    ["key order", '{"z":1,"a":2}'],
  ])("inserts the secret after the opening brace and keeps every other byte (%s)", (_, body) => {
    const signed = sign({ signature: { scheme: "body-secret" }, secrets: { current: "whsec_abc" }, body });
    const brace = body.indexOf("{") + 1;
    expect(signed.body).toBe(`${body.slice(0, brace)}"secret":"whsec_abc",${body.slice(brace)}`);
    expect(JSON.parse(signed.body)).toEqual({ secret: "whsec_abc", ...JSON.parse(body) });
  });

  it("handles an empty object and a custom field name, and adds no signature header", () => {
    const signed = sign({ signature: { scheme: "body-secret", field: "token" }, secrets: { current: "s3" }, body: "{ }" });
    expect(signed.body).toBe('{"token":"s3" }');
    expect(Object.keys(signed.headers).sort()).toEqual(["content-type", "user-agent", "x-hookline-attempt", "x-hookline-event-type"]);
  });

  it("uses only the current secret during rotation", () => {
    const signed = sign({ signature: { scheme: "body-secret" }, secrets: { current: "new", previous: "old" }, body: "{}" });
    expect(signed.body).toBe('{"secret":"new"}');
  });

  it.each([
    ["an array", "[1,2]"],
    ["a string", '"hello"'],
    ["null", "null"],
    ["not JSON", "{nope"],
    ["a body that already has the field", '{"secret":"mine","a":1}'],
  ])("refuses %s", (_, body) => {
    expect(() => sign({ signature: { scheme: "body-secret" }, body })).toThrow(SigningError);
  });
});

describe("common headers", () => {
  it("sends content type, user agent, event type and attempt", () => {
    const signed = sign({ signature: { scheme: "standard" }, eventType: "lead:created", attempt: 3 });
    expect(signed.headers["content-type"]).toBe("application/json");
    expect(signed.headers["user-agent"]).toMatch(/^Hookline\/\d+\.\d+\.\d+/);
    expect(signed.headers["x-hookline-event-type"]).toBe("lead:created");
    expect(signed.headers["x-hookline-attempt"]).toBe("3");
  });

  it("merges custom headers but never lets them replace a computed one", () => {
    const signed = sign({
      signature: { scheme: "hmac-sha1", header: "X-CALLTRACKING-SIGNATURE" },
      customHeaders: { "X-Api-Key": "k_123", "x-calltracking-signature": "forged", "Content-Type": "text/plain" },
    });
    expect(signed.headers["X-Api-Key"]).toBe("k_123");
    expect(signed.headers["X-CALLTRACKING-SIGNATURE"]).toMatch(/^[0-9a-f]{40}$/);
    expect(signed.headers).not.toHaveProperty("x-calltracking-signature");
    expect(signed.headers).not.toHaveProperty("Content-Type");
  });
});

describe("generateSecret", () => {
  it("is whsec_ + base64 of 32 random bytes, usable by Standard Webhooks libraries", () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), "base64")).toHaveLength(32);
    expect(generateSecret()).not.toBe(secret);
    const signed = sign({ signature: { scheme: "standard" }, secrets: { current: secret } });
    expect(() => new StandardWebhook(secret).verify(signed.body, signed.headers)).not.toThrow();
  });
});

describe("timestamp source and Hookline's own headers", () => {
  const prefix = { scheme: "hmac-sha256", headerPrefix: "X-Magnetite" } as const;

  it("sends the event's time when the signing config says so, the attempt's otherwise", () => {
    const input = { timestamp: 1_800_000_100, eventTimestamp: 1_800_000_000 };
    expect(sign({ ...input, signature: { ...prefix, timestamp: "event" } }).headers["X-Magnetite-Timestamp"]).toBe("1800000000");
    expect(sign({ ...input, signature: { ...prefix, timestamp: "attempt" } }).headers["X-Magnetite-Timestamp"]).toBe("1800000100");
    expect(sign({ ...input, signature: prefix }).headers["X-Magnetite-Timestamp"]).toBe("1800000100");
    // Standard Webhooks signs the timestamp it sends, so a receiver verifies either.
    const secret = generateSecret();
    const standard = sign({ ...input, secrets: { current: secret }, signature: { scheme: "standard", timestamp: "event" } });
    expect(standard.headers["webhook-timestamp"]).toBe("1800000000");
    const expected = crypto.createHmac("sha256", Buffer.from(secret.slice(6), "base64")).update(`msg_2xkq8TnFvD1mWz.1800000000.{"type":"test"}`).digest("base64");
    expect(standard.headers["webhook-signature"]).toBe(`v1,${expected}`);
  });

  it("leaves out x-hookline-* and the Hookline user agent when the endpoint turns them off", () => {
    const off = sign({ signature: { scheme: "hmac-sha1", header: "X-CALLTRACKING-SIGNATURE", hooklineHeaders: false } });
    expect(Object.keys(off.headers).sort()).toEqual(["X-CALLTRACKING-SIGNATURE", "content-type"]);
    const ownAgent = sign({ signature: { ...prefix, userAgent: "Magnetite-Webhooks/1.0", hooklineHeaders: false } });
    expect(ownAgent.headers["user-agent"]).toBe("Magnetite-Webhooks/1.0");
    expect(Object.keys(ownAgent.headers).some((name) => name.startsWith("x-hookline-"))).toBe(false);
  });

  it("signs nothing with the none scheme", () => {
    const unsigned = sign({ signature: { scheme: "none", hooklineHeaders: false } });
    expect(unsigned).toEqual({ headers: { "content-type": "application/json" }, body: '{"type":"test"}' });
  });
});
