import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { resetEnv } from "@/lib/env";
import { eventTypePresets } from "@/lib/features/event-types/presets";
import { waitFor } from "@/tests/fixtures/engine/helpers";
import { makeWorkspace } from "@/tests/helpers/factories";
import { tlsOptions } from "@/tests/helpers/receiver";
import { verifyCallTracking, verifyWebhookSignature } from "@/tests/helpers/seed-verifiers";
import { useTestDb } from "@/tests/helpers/services";

// One test per seed product: a receiver written ONLY from that product's webhook document (the
// headers it lists, its signature recipe, what its timestamp means, its retry schedule, timeout
// and pause rule), fed by the real delivery path (local engine + deliver function + attempt core)
// with the product's preset, through failures. Long sleeps are fast-forwarded in the engine's
// table instead of waited for; the schedule is read from what was recorded.

process.env.HOOKLINE_ALLOW_PRIVATE_NETWORKS = "true";
process.env.HOOKLINE_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString("base64");
resetEnv();

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

// ---------------------------------------------------------------------------------------------
// A receiver: the document's handler decides each answer; every request is kept as received.

type Received = { at: number; headers: http.IncomingHttpHeaders; rawHeaders: string[]; body: Buffer };
type Answer = { status: number; headers?: Record<string, string>; body?: string } | "hang";

async function docReceiver(handle: (request: Received, index: number) => Answer, tls?: "valid" | "self-signed") {
  const requests: Received[] = [];
  const listener: http.RequestListener = (request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const received = { at: Date.now(), headers: request.headers, rawHeaders: request.rawHeaders, body: Buffer.concat(chunks) };
      requests.push(received);
      const answer = handle(received, requests.length - 1);
      if (answer === "hang") return;
      response.writeHead(answer.status, answer.headers ?? {}).end(answer.body ?? "");
    });
  };
  const server = tls ? https.createServer(tlsOptions(tls), listener) : http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });
  const port = (server.address() as AddressInfo).port;
  return { url: `${tls ? "https" : "http"}://127.0.0.1:${port}/webhook`, requests };
}

/** Header names as sent, minus what the HTTP transport itself adds. */
function sentHeaderNames(request: Received): string[] {
  const transport = new Set(["host", "content-length", "connection"]);
  return request.rawHeaders.filter((_, i) => i % 2 === 0).map((name) => name.toLowerCase()).filter((name) => !transport.has(name)).sort();
}

// ---------------------------------------------------------------------------------------------

let db: Db;
let pool: pg.Pool;
let services: {
  createEndpoint: typeof import("@/lib/features/endpoints/service").createEndpoint;
  updateEndpoint: typeof import("@/lib/features/endpoints/service").updateEndpoint;
  revealSecret: typeof import("@/lib/features/endpoints/service").revealSecret;
  importPreset: typeof import("@/lib/features/event-types/service").importPreset;
  publish: typeof import("@/lib/features/messages/publish").publish;
  attemptDelivery: typeof import("@/lib/delivery/attempt").attemptDelivery;
  explainMessage: typeof import("@/lib/features/playground/explain").explainMessage;
};
let stopStack = async () => {};

beforeAll(async () => {
  const test = await useTestDb();
  db = test.db;
  pool = new pg.Pool({ connectionString: test.url, max: 2 });
  const { startDeliveryStack } = await import("@/tests/fixtures/delivery/stack");
  const stack = await startDeliveryStack({ databaseUrl: test.url });
  stopStack = stack.stop;
  services = {
    ...(await import("@/lib/features/endpoints/service")),
    importPreset: (await import("@/lib/features/event-types/service")).importPreset,
    publish: (await import("@/lib/features/messages/publish")).publish,
    attemptDelivery: (await import("@/lib/delivery/attempt")).attemptDelivery,
    explainMessage: (await import("@/lib/features/playground/explain")).explainMessage,
  };
});
afterAll(async () => {
  await stopStack();
  await pool.end();
});

const preset = (id: string) => eventTypePresets.find((candidate) => candidate.id === id)!;

/** A workspace with the product's event types and an endpoint made from its preset. */
async function productEndpoint(presetId: string, url: string, overrides: Parameters<typeof services.createEndpoint>[1] extends infer T ? Partial<T> : never = {}) {
  const ctx = await makeWorkspace();
  await services.importPreset(ctx, presetId);
  const endpoint = await services.createEndpoint(ctx, { title: preset(presetId).name, url, ...preset(presetId).endpoint, ...overrides });
  return { ctx, endpoint };
}

const deliveryOf = (id: string) => db.delivery.findUniqueOrThrow({ where: { id } });
const attemptsOf = (deliveryId: string) => db.attempt.findMany({ where: { deliveryId }, orderBy: { number: "asc" } });

/** The engine's pending wake-up of a delivery's retries: its endpoint's (deliver-retries sleeps on `due`). */
async function sleepOf(deliveryId: string, what: string) {
  const { endpointId } = await deliveryOf(deliveryId);
  return waitFor(async () => {
    const { rows } = await pool.query<{ id: string; due_at: Date; name: string }>(
      `SELECT j.id, j.due_at, j.name FROM inngest_engine.jobs j JOIN inngest_engine.runs r ON r.id = j.run_id
        WHERE j.kind = 'wake' AND r.event_id IN (SELECT id FROM inngest_engine.events
                                                  WHERE name = 'hookline/endpoint.retries' AND payload->'data'->>'endpointId' = $1)`,
      [endpointId],
    );
    return rows[0];
  }, 20_000, what);
}

/**
 * Follows a delivery through its retries: after each failed attempt, reads the delay the run
 * sleeps (the wake-up time minus the end of the attempt, both as recorded), then fast-forwards it.
 */
async function followRetries(deliveryId: string, retries: number, beforeWake?: (retry: number) => Promise<void>) {
  const delays: number[] = [];
  for (let retry = 1; retry <= retries; retry++) {
    const job = await sleepOf(deliveryId, `sleep ${retry}`);
    expect(job.name).toBe("due");
    const attempt = await db.attempt.findFirstOrThrow({ where: { deliveryId, number: retry } });
    const delivery = await deliveryOf(deliveryId);
    expect(delivery.status).toBe("PENDING");
    expect(delivery.nextAttemptAt?.getTime()).toBe(job.due_at.getTime());
    delays.push(job.due_at.getTime() - (attempt.createdAt.getTime() + attempt.durationMs));
    await beforeWake?.(retry);
    await pool.query(`UPDATE inngest_engine.jobs SET due_at = now() WHERE id = $1`, [job.id]);
    await waitFor(async () => (await db.attempt.count({ where: { deliveryId } })) === retry + 1, 20_000, `attempt ${retry + 1}`);
  }
  return delays;
}

async function settled(deliveryId: string) {
  return waitFor(async () => {
    const delivery = await deliveryOf(deliveryId);
    return ["SUCCEEDED", "FAILED", "PAUSED"].includes(delivery.status) ? delivery : undefined;
  }, 20_000, "the delivery to settle");
}

// ---------------------------------------------------------------------------------------------

describe("seed 000 (meeting bookings)", () => {
  // The document's own example payload, verbatim.
  const payload = {
    event: "meeting_booked",
    campaignId: "campaign_abc123",
    prospect: { id: "prospect_xyz789", companyName: "Acme Corp", contactName: "John Smith", email: "john@acme.com", title: "VP of Sales" },
    meeting: { id: "meeting_123", scheduledAt: "2026-01-20T14:00:00Z", duration: 30, title: "Discovery Call with Acme Corp" },
    timestamp: "2026-01-16T10:30:00Z",
  };

  it("retries at exactly 1 min, 5 min, 30 min and 2 h, times out at 5 s, then marks the webhook failed", async () => {
    // "Return a 200 OK response quickly (within 5 seconds)": the first answer is too slow, then errors.
    const seen: string[] = [];
    const receiver = await docReceiver((request, index) => {
      const { event, prospect, meeting } = JSON.parse(request.body.toString("utf8"));
      if (event === "meeting_booked") seen.push(`${prospect.contactName} ${meeting.scheduledAt}`);
      if (index === 0) return "hang";
      return { status: 500, body: "CRM down" };
    });
    const { ctx } = await productEndpoint("meetings", receiver.url);
    const published = await services.publish(ctx, { eventType: "meeting_booked", payload });
    const deliveryId = published.deliveries[0]!.id;

    const delays = await followRetries(deliveryId, 4);
    // "First retry: 1 minute after initial attempt … Final retry: 2 hours after third retry", to the millisecond.
    expect(delays).toEqual([1 * MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR]);
    const delivery = await settled(deliveryId);
    expect(delivery.status).toBe("FAILED");

    const attempts = await attemptsOf(deliveryId);
    expect(attempts.map((attempt) => [attempt.number, attempt.errorCode, attempt.responseStatus])).toEqual([
      [1, "TIMEOUT", null],
      [2, "HTTP_ERROR", 500],
      [3, "HTTP_ERROR", 500],
      [4, "HTTP_ERROR", 500],
      [5, "HTTP_ERROR", 500],
    ]);
    expect(attempts[0]!.durationMs).toBeGreaterThanOrEqual(5 * SECOND);
    expect(receiver.requests).toHaveLength(5);
    expect(seen).toEqual(Array(5).fill("John Smith 2026-01-20T14:00:00Z"));
    for (const request of receiver.requests) {
      // The document shows a POST with Content-Type: application/json and nothing else.
      expect(sentHeaderNames(request)).toEqual(["content-type"]);
      expect(request.headers["content-type"]).toBe("application/json");
      expect(JSON.parse(request.body.toString("utf8"))).toEqual(payload);
    }
  });
});

describe("seed 001 (lead magnets)", () => {
  // The document's lead.completed example, verbatim.
  const payload = {
    event: "lead.completed",
    timestamp: 1703123756789,
    organization_id: "org_123abc",
    project_id: "proj_456def",
    lead_id: "lead_789ghi",
    data: {
      lead_id: "lead_789ghi",
      status: "completed",
      research_results: { company_info: "...", industry_insights: "..." },
      generated_content: { contentLength: 4521 },
      completed_at: 1703123756789,
    },
  };

  it("signs as documented, keeps the event's timestamp on every retry, and caps Retry-After: 120 at 30 s", async () => {
    let secret = "";
    const verdicts: string[] = [];
    // Over HTTPS with a valid certificate ("Self-signed certificates are not supported").
    const receiver = await docReceiver((request, index) => {
      // The document's own snippet checks X-Magnetite-Signature.
      const signature = String(request.headers["x-magnetite-signature"]);
      if (!verifyWebhookSignature(request.body, signature, secret)) {
        verdicts.push("unauthorized");
        return { status: 401, body: "Unauthorized" };
      }
      const event = JSON.parse(request.body.toString("utf8"));
      verdicts.push(`${event.event} ${request.headers["x-magnetite-event"]}`);
      // Busy for three attempts, asking for two minutes each time.
      return index < 3 ? { status: 429, headers: { "retry-after": "120" } } : { status: 200, body: "OK" };
    }, "valid");
    const { ctx, endpoint } = await productEndpoint("lead-magnet", receiver.url);
    secret = (await services.revealSecret(ctx, endpoint.id)).secret;
    const published = await services.publish(ctx, { eventType: "lead.completed", payload });
    const deliveryId = published.deliveries[0]!.id;

    // Let one wake-up happen in a later second than the event, so an attempt-time header would differ.
    const delays = await followRetries(deliveryId, 3, async (retry) => {
      if (retry === 3) await new Promise((resolve) => setTimeout(resolve, 1100));
    });
    // "Retry 1: After 1 second, Retry 2: After 2 seconds, Retry 3: After 4 seconds, Maximum: 30
    // seconds between attempts": Retry-After lengthens each wait, never past the maximum.
    expect(delays).toEqual([30 * SECOND, 30 * SECOND, 30 * SECOND]);
    expect((await settled(deliveryId)).status).toBe("SUCCEEDED");
    expect(verdicts).toEqual(Array(4).fill("lead.completed lead.completed"));

    // "X-Magnetite-Timestamp: Unix timestamp when event occurred": the message's creation, on every attempt.
    const message = await db.message.findUniqueOrThrow({ where: { id: published.message.id } });
    const eventSecond = String(Math.floor(message.createdAt.getTime() / 1000));
    expect(receiver.requests.map((request) => request.headers["x-magnetite-timestamp"])).toEqual(Array(4).fill(eventSecond));
    const attempts = await attemptsOf(deliveryId);
    expect(Math.floor(attempts[3]!.createdAt.getTime() / 1000)).toBeGreaterThan(Number(eventSecond));

    for (const request of receiver.requests) {
      // "Every webhook request includes these headers", and only these.
      expect(sentHeaderNames(request)).toEqual(["content-type", "user-agent", "x-magnetite-event", "x-magnetite-signature", "x-magnetite-timestamp"]);
      expect(request.headers["content-type"]).toBe("application/json");
      expect(request.headers["user-agent"]).toBe("Magnetite-Webhooks/1.0");
      expect(request.headers["x-magnetite-signature"]).toMatch(/^sha256=[0-9a-f]{64}$/);
    }
    expect(endpoint.timeoutMs).toBe(30 * SECOND); // "Ensure your endpoint responds within 30 seconds"
  });

  it("requires HTTPS with a valid certificate: http:// is refused at save and at attempt time, a self-signed certificate at attempt time", async () => {
    const ctx = await makeWorkspace();
    await services.importPreset(ctx, "lead-magnet");
    const settings = preset("lead-magnet").endpoint;
    await expect(services.createEndpoint(ctx, { title: "plain", url: "http://127.0.0.1:9/webhook", ...settings })).rejects.toMatchObject({
      status: 400,
      details: [expect.objectContaining({ path: "url", message: expect.stringContaining("HTTPS is required") })],
    });

    // Turning the setting on for an endpoint that still has an http:// URL is refused too.
    const plain = await services.createEndpoint(ctx, { title: "plain", url: "http://127.0.0.1:9/webhook" });
    await expect(services.updateEndpoint(ctx, plain.id, { requireHttps: true })).rejects.toMatchObject({ status: 400 });

    const selfSigned = await docReceiver(() => ({ status: 200, body: "OK" }), "self-signed");
    const { ctx: tlsCtx, endpoint } = await productEndpoint("lead-magnet", selfSigned.url, { retryPolicy: { preset: "none" } });
    const published = (await services.publish(tlsCtx, { eventType: "lead.completed", payload })).deliveries[0]!.id;
    const failed = await settled(published);
    const [attempt] = await attemptsOf(published);
    expect(attempt).toMatchObject({ errorCode: "TLS", errorMessage: expect.stringMatching(/self-signed certificate.*a valid certificate is required/) });
    expect(failed.status).toBe("FAILED");
    expect(selfSigned.requests).toHaveLength(0);

    // A row that still holds an http:// URL (say, stored before the setting) is refused when sent.
    await db.endpoint.update({ where: { id: endpoint.id }, data: { url: "http://127.0.0.1:9/webhook" } });
    const outcome = await services.attemptDelivery(published, { trigger: "MANUAL" });
    expect(outcome).toMatchObject({ ok: false, errorCode: "INVALID_URL" });
    const last = await db.attempt.findFirstOrThrow({ where: { deliveryId: published }, orderBy: { number: "desc" } });
    expect(last.errorMessage).toContain("HTTPS is required");
  });
});

describe("seed 002 (call tracking)", () => {
  it("“Customize this event”: only completed calls of acc_1 lasting 30 s or more, every missed call; signed, retried", async () => {
    let key = "";
    const calls: string[] = [];
    const receiver = await docReceiver((request, index) => {
      // "X-CALLTRACKING-SIGNATURE … an HMAC-SHA1 hash with your unique signature key".
      if (!verifyCallTracking(request.body, String(request.headers["x-calltracking-signature"]), key)) return { status: 401 };
      const call = JSON.parse(request.body.toString("utf8"));
      calls.push(`${call.event} ${call.account} ${call.duration}`);
      return index === 0 ? { status: 500 } : { status: 200 };
    });
    const { ctx, endpoint } = await productEndpoint("call-tracking", receiver.url, {
      eventTypes: ["call:completed", "call:missed"],
      filter: { events: { "call:completed": { accounts: ["acc_1"], rules: [{ path: "duration", op: "gte", value: 30 }] } } },
    });
    key = (await services.revealSecret(ctx, endpoint.id)).secret;
    const example = (name: string) => preset("call-tracking").events.find((event) => event.name === name)!.example;
    const call = (name: string, account: string, duration: number) => services.publish(ctx, { eventType: name, payload: { ...example(name), account, duration } });

    const long = await call("call:completed", "acc_1", 142);
    const short = await call("call:completed", "acc_1", 12);
    const otherAccount = await call("call:completed", "acc_2", 142);
    const missed = await call("call:missed", "acc_2", 0);
    expect([long, short, otherAccount, missed].map((result) => result.deliveries.length)).toEqual([1, 0, 0, 1]);
    // The playground's explanation names the event's own check that skipped the short call.
    const [why] = await services.explainMessage(ctx, short.message.id);
    expect(why).toMatchObject({ endpointId: endpoint.id, matched: false, delivery: null });
    expect(why!.reasons.filter((reason) => !reason.ok)).toEqual([
      { check: "rule", ok: false, eventType: "call:completed", message: "call:completed filter: duration is 12, needs ≥ 30" },
    ]);

    const delivered = [long.deliveries[0]!.id, missed.deliveries[0]!.id];
    // The first request fails: it is retried on the standard schedule (5 s ± 20 %).
    const first = await waitFor(async () => {
      const failures = await db.attempt.findMany({ where: { deliveryId: { in: delivered }, outcome: "FAILURE" } });
      return failures[0];
    }, 20_000, "the failed first request");
    const [delay] = await followRetries(first.deliveryId!, 1);
    expect(delay).toBeGreaterThanOrEqual(4 * SECOND);
    expect(delay).toBeLessThanOrEqual(6 * SECOND);
    for (const id of delivered) expect((await settled(id)).status).toBe("SUCCEEDED");
    expect(new Set(calls)).toEqual(new Set(["call:completed acc_1 142", "call:missed acc_2 0"]));
    for (const request of receiver.requests) expect(sentHeaderNames(request)).toEqual(["content-type", "x-calltracking-signature"]);
  });
});

describe("seed 003 (CRM)", () => {
  // The document's sample payload, less `secret`, which Hookline adds.
  const lead = { id: "e106db1f-aba3-40ba-97a7-507b54757ef8", email: null, first_name: "Jean", last_name: "remove", is_deleted: false };
  const payload = { id_space: "eb8edc65-129a-4cb6-abbe-6bf8979c0658", event: "lead.create", payload: lead };

  it("no retry; the endpoint is paused after exactly 10 failed deliveries, a 410 being one of them", async () => {
    let secret = "";
    const seen: string[] = [];
    // The secret in the payload identifies the source; the receiver is down, the first time with 410 Gone.
    const receiver = await docReceiver((request, index) => {
      const body = JSON.parse(request.body.toString("utf8"));
      seen.push(body.secret === secret ? `${body.event} from the CRM` : "forged");
      return { status: index === 0 ? 410 : 500 };
    });
    const { ctx, endpoint } = await productEndpoint("crm", receiver.url);
    secret = (await services.revealSecret(ctx, endpoint.id)).secret;
    expect(endpoint).toMatchObject({ failureThreshold: 10, disableOnGone: false });

    for (let n = 1; n <= 10; n++) {
      const published = await services.publish(ctx, { eventType: "lead.create", payload });
      const delivery = await settled(published.deliveries[0]!.id);
      expect(delivery.status).toBe("FAILED"); // "There is no retry policy"
      expect(delivery.attemptCount).toBe(1);
      // The pause is the attempt record's follow-up statement (lib/delivery/attempt.ts): it may
      // land a moment after the delivery reads FAILED.
      await expect
        .poll(async () => {
          const now = await db.endpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
          return [n, now.consecutiveFailures, now.enabled];
        })
        .toEqual([n, n, n < 10]);
    }
    const paused = await db.endpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(paused.disabledReason).toBe("10 consecutive deliveries failed");
    expect(receiver.requests).toHaveLength(10);
    expect(seen).toEqual(Array(10).fill("lead.create from the CRM"));

    // Paused: the next event waits (PAUSED), nothing is sent and nothing is lost.
    const later = await services.publish(ctx, { eventType: "lead.create", payload });
    expect(later.deliveries[0]!.status).toBe("PAUSED");
    expect(receiver.requests).toHaveLength(10);
    for (const request of receiver.requests) expect(sentHeaderNames(request)).toEqual(["content-type"]);
  });
});

describe("seed 004 (outreach)", () => {
  // The document's example contact (trimmed to the fields the recipe reads).
  const contact = { id: "345b2b81-b2cf-4879-bf46-73a33275e22b", email: "andrew@xoxo.capital", interest: "interested", appointment: false };
  const event = (type: string, interest: string | null) => ({ type, CampaignId: "d9ff359d-8d50-378b-989a-34100a0503c1", contact: { ...contact, interest } });

  it("the interest recipe: only interest events of interested contacts arrive, retried after a failure", async () => {
    const forwarded: string[] = [];
    const receiver = await docReceiver((request, index) => {
      const event = JSON.parse(request.body.toString("utf8"));
      const { contact } = event;
      // The document's logic, verbatim.
      if (event.type === 'interest' && contact.interest === 'interested') {
        forwarded.push(contact.email);
      }
      return index === 0 ? { status: 503 } : { status: 200 };
    });
    const { ctx } = await productEndpoint("outreach", receiver.url, {
      eventTypes: ["interest"],
      filter: { events: { interest: { rules: [{ path: "contact.interest", op: "eq", value: "interested" }] } } },
    });
    const results = [
      await services.publish(ctx, { eventType: "click", payload: event("click", "interested") }),
      await services.publish(ctx, { eventType: "interest", payload: event("interest", "not_interested") }),
      await services.publish(ctx, { eventType: "interest", payload: event("interest", "interested") }),
    ];
    expect(results.map((result) => result.deliveries.length)).toEqual([0, 0, 1]);
    const deliveryId = results[2]!.deliveries[0]!.id;
    const [delay] = await followRetries(deliveryId, 1);
    expect(delay).toBeGreaterThanOrEqual(4 * SECOND);
    expect(delay).toBeLessThanOrEqual(6 * SECOND);
    expect((await settled(deliveryId)).status).toBe("SUCCEEDED");
    // Every request the receiver got passes its own check: nothing to ignore.
    expect(receiver.requests).toHaveLength(2);
    expect(forwarded).toEqual(["andrew@xoxo.capital", "andrew@xoxo.capital"]);
    for (const request of receiver.requests) expect(sentHeaderNames(request)).toEqual(["content-type"]);
  });
});

