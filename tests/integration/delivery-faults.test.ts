import "@/tests/helpers/no-executor-env";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { ServiceContext } from "@/lib/context";
import type { Db } from "@/lib/db/client";
import { attemptDelivery } from "@/lib/delivery/attempt";
import { createEndpoint } from "@/lib/features/endpoints/service";
import type { EndpointCreateInput } from "@/lib/features/endpoints/schema";
import { resetEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { publish } from "@/lib/features/messages/publish";
import { makeWorkspace } from "@/tests/helpers/factories";
import { startReceiver, type Behaviour, type Receiver } from "@/tests/helpers/receiver";
import { useTestDb } from "@/tests/helpers/services";


const KiB = 1024;
let db: Db;

function allowPrivateNetworks(allow: boolean) {
  process.env.HOOKLINE_ALLOW_PRIVATE_NETWORKS = allow ? "true" : "false";
  resetEnv();
}

beforeAll(async () => {
  vi.spyOn(console, "error").mockImplementation(() => {}); // the failed inngest.send is expected
  allowPrivateNetworks(true);
  ({ db } = await useTestDb());
});
beforeEach(() => allowPrivateNetworks(true));

async function publishTo(ctx: ServiceContext, endpointId: string) {
  const published = await publish(ctx, { eventType: "call:completed", payload: { account: "acc_1", duration: 42 } });
  const delivery = published.deliveries.find((candidate) => candidate.endpointId === endpointId);
  expect(delivery).toBeDefined();
  return delivery!.id;
}

async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

type FaultCase = {
  name: string;
  behaviour?: Behaviour;
  /** Where to send instead of the receiver's root (redirect targets, closed ports, TLS…). */
  url?: (receiver: Receiver) => Promise<string> | string;
  endpoint?: Partial<EndpointCreateInput>;
  errorCode: string;
  responseStatus: number | null;
  /** The retry decision on the first attempt of the schedule (standard policy: 5 s ± 20 % unless noted). */
  next: { action: "retry"; minMs: number; maxMs: number } | { action: "failed" };
  duration?: { minMs: number; maxMs: number };
  responseBodyBytes?: number;
  /** Whether the receiver saw the request at all. */
  received?: boolean;
  more?: (ctx: { endpointId: string; attempt: AttemptRow; receiver: Receiver }) => Promise<void> | void;
};
type AttemptRow = Awaited<ReturnType<Db["attempt"]["findFirstOrThrow"]>>;

const STANDARD_FIRST = { action: "retry", minMs: 4000, maxMs: 6000 } as const;

const faults: FaultCase[] = [
  {
    name: "a receiver that never answers → TIMEOUT after the endpoint's timeout",
    behaviour: { hang: true },
    endpoint: { timeoutMs: 1000 },
    errorCode: "TIMEOUT",
    responseStatus: null,
    next: STANDARD_FIRST,
    duration: { minMs: 990, maxMs: 2500 },
  },
  {
    name: "a receiver that stalls mid-body → TIMEOUT, the status it sent kept",
    behaviour: { stallBody: true, status: 200 },
    endpoint: { timeoutMs: 1000 },
    errorCode: "TIMEOUT",
    responseStatus: 200,
    next: STANDARD_FIRST,
    duration: { minMs: 990, maxMs: 2500 },
    more: ({ attempt }) => expect(attempt.responseBody).toBe("partial"),
  },
  {
    name: "a connection reset → CONNECTION",
    behaviour: { reset: true },
    errorCode: "CONNECTION",
    responseStatus: null,
    next: STANDARD_FIRST,
  },
  {
    name: "a refused connection → CONNECTION",
    url: async () => `http://127.0.0.1:${await closedPort()}/hook`,
    errorCode: "CONNECTION",
    responseStatus: null,
    next: STANDARD_FIRST,
    received: false,
  },
  {
    name: "TLS to a plain-HTTP server → TLS",
    url: (receiver) => receiver.url.replace("http:", "https:"),
    errorCode: "TLS",
    responseStatus: null,
    next: STANDARD_FIRST,
    received: false,
  },
  {
    name: "a name that does not resolve → DNS",
    url: () => "http://hookline-test.invalid/hook",
    endpoint: { timeoutMs: 5000 },
    errorCode: "DNS",
    responseStatus: null,
    next: STANDARD_FIRST,
    received: false,
  },
  {
    name: "302 → REDIRECT, not followed",
    behaviour: { redirect: "/elsewhere", status: 302 },
    errorCode: "REDIRECT",
    responseStatus: 302,
    next: STANDARD_FIRST,
    more: ({ attempt, receiver }) => {
      expect(receiver.requests.map((request) => request.path)).toEqual(["/"]); // /elsewhere never requested
      expect(attempt.errorMessage).toContain("/elsewhere");
      expect((attempt.responseHeaders as Record<string, string>).location).toBe("/elsewhere");
    },
  },
  {
    name: "500 with a 100 KiB body → HTTP_ERROR, body truncated to 64 KiB, retry per policy",
    behaviour: { status: 500, headers: { "content-type": "text/plain", "x-trace": "abc" }, body: "e".repeat(100 * KiB) },
    errorCode: "HTTP_ERROR",
    responseStatus: 500,
    next: STANDARD_FIRST,
    responseBodyBytes: 64 * KiB,
    more: ({ attempt }) => {
      expect(attempt.responseBody).toBe("e".repeat(64 * KiB));
      expect((attempt.responseHeaders as Record<string, string>)["x-trace"]).toBe("abc");
    },
  },
  {
    name: "500 on the seed 000 schedule → retry in 1 min ± 20 %",
    behaviour: { status: 500 },
    endpoint: { retryPolicy: { preset: "fixed" }, timeoutMs: 5000 },
    errorCode: "HTTP_ERROR",
    responseStatus: 500,
    next: { action: "retry", minMs: 48_000, maxMs: 72_000 },
  },
  {
    name: "500 with the `none` policy (seed 003) → failed, no retry",
    behaviour: { status: 500 },
    endpoint: { retryPolicy: { preset: "none" } },
    errorCode: "HTTP_ERROR",
    responseStatus: 500,
    next: { action: "failed" },
  },
  {
    name: "410 Gone → endpoint disabled with the reason, no retry",
    behaviour: { status: 410, body: "gone" },
    errorCode: "HTTP_ERROR",
    responseStatus: 410,
    next: { action: "failed" },
    more: async ({ endpointId }) => {
      const endpoint = await db.endpoint.findUniqueOrThrow({ where: { id: endpointId } });
      expect(endpoint).toMatchObject({ enabled: false, disabledReason: "The endpoint answered 410 Gone" });
      expect(endpoint.disabledAt).toBeInstanceOf(Date);
    },
  },
  {
    name: "429 with Retry-After: 7 → the delay is at least 7 s (longer than the policy's 5 s ± 20 %)",
    behaviour: { status: 429, headers: { "retry-after": "7" } },
    errorCode: "HTTP_ERROR",
    responseStatus: 429,
    next: { action: "retry", minMs: 7000, maxMs: 7000 },
  },
  {
    name: "503 with an HTTP-date Retry-After → honoured",
    behaviour: { status: 503, headers: { "retry-after": new Date(Date.now() + 120_000).toUTCString() } },
    errorCode: "HTTP_ERROR",
    responseStatus: 503,
    next: { action: "retry", minMs: 100_000, maxMs: 121_000 },
  },
  {
    name: "a 10 MB response → RESPONSE_TOO_LARGE, even after a 200",
    behaviour: { hugeBody: 10 * 1024 * KiB, status: 200 },
    errorCode: "RESPONSE_TOO_LARGE",
    responseStatus: 200,
    next: STANDARD_FIRST,
    responseBodyBytes: 64 * KiB,
  },
];

describe("each error class from a real fault, recorded on the Attempt", () => {
  it.each(faults.map((fault) => [fault.name, fault] as const))("%s", async (_, fault) => {
    const receiver = await startReceiver({ behaviours: fault.behaviour ? [fault.behaviour] : undefined });
    const ctx = await makeWorkspace();
    const url = fault.url ? await fault.url(receiver) : `${receiver.url}/`;
    const endpoint = await createEndpoint(ctx, { title: fault.name.slice(0, 100), url, ...fault.endpoint });
    const deliveryId = await publishTo(ctx, endpoint.id);

    const started = Date.now();
    const outcome = await attemptDelivery(deliveryId, { trigger: "SCHEDULED", scheduleAttempt: 1 });
    expect(outcome).toMatchObject({ ok: false, number: 1, errorCode: fault.errorCode, responseStatus: fault.responseStatus });

    // The Attempt row: the error class, the outcome, the status when there was one, the truncated body.
    const attempt = await db.attempt.findUniqueOrThrow({ where: { id: outcome.attemptId! } });
    expect(attempt).toMatchObject({
      deliveryId,
      endpointId: endpoint.id,
      number: 1,
      trigger: "SCHEDULED",
      outcome: "FAILURE",
      errorCode: fault.errorCode,
      responseStatus: fault.responseStatus,
      requestUrl: url,
    });
    expect(attempt.errorMessage).toBeTruthy();
    expect(Buffer.byteLength(attempt.responseBody ?? "")).toBeLessThanOrEqual(64 * KiB);
    if (fault.responseBodyBytes !== undefined) expect(Buffer.byteLength(attempt.responseBody ?? "")).toBe(fault.responseBodyBytes);
    if (fault.responseStatus === null) expect(attempt.responseBody).toBeNull();
    if (fault.duration) {
      expect(attempt.durationMs).toBeGreaterThanOrEqual(fault.duration.minMs);
      expect(attempt.durationMs).toBeLessThanOrEqual(fault.duration.maxMs);
    }
    expect(attempt.durationMs).toBeLessThanOrEqual(Date.now() - started + 5);
    expect(receiver.requests.length).toBe(fault.received === false ? 0 : 1);

    // The delivery and the retry decision.
    const delivery = await db.delivery.findUniqueOrThrow({ where: { id: deliveryId } });
    expect(delivery).toMatchObject({ attemptCount: 1, lastErrorCode: fault.errorCode, lastResponseStatus: fault.responseStatus, leaseExpiresAt: null });
    if (fault.next.action === "retry") {
      expect(outcome.next.action).toBe("retry");
      const { delayMs } = outcome.next as { delayMs: number };
      expect(delayMs).toBeGreaterThanOrEqual(fault.next.minMs);
      expect(delayMs).toBeLessThanOrEqual(fault.next.maxMs);
      expect(delivery.status).toBe("PENDING");
      expect(delivery.nextAttemptAt!.getTime() - attempt.createdAt.getTime()).toBe(attempt.durationMs + delayMs);
    } else {
      expect(outcome.next).toEqual({ action: "failed" });
      expect(delivery).toMatchObject({ status: "FAILED", nextAttemptAt: null });
      expect(delivery.completedAt).toBeInstanceOf(Date);
    }
    await fault.more?.({ endpointId: endpoint.id, attempt, receiver });
  });

  it("after a 410 the endpoint's other pending deliveries are paused, not sent", async () => {
    const receiver = await startReceiver({ behaviours: [{ status: 410 }] });
    const ctx = await makeWorkspace();
    const endpoint = await createEndpoint(ctx, { title: "Gone", url: receiver.url });
    const first = await publishTo(ctx, endpoint.id);
    const second = await publishTo(ctx, endpoint.id);
    await attemptDelivery(first, { trigger: "SCHEDULED", scheduleAttempt: 1 });
    const outcome = await attemptDelivery(second, { trigger: "SCHEDULED", scheduleAttempt: 1 });
    expect(outcome).toMatchObject({ attemptId: null, next: { action: "paused", reason: "The endpoint answered 410 Gone" } });
    expect(await db.delivery.findUniqueOrThrow({ where: { id: second } })).toMatchObject({ status: "PAUSED", attemptCount: 0 });
    expect(receiver.requests).toHaveLength(1);
  });

  // lib/delivery/http.ts keeps the first 64 KiB *bytes* and decodes them: when the cut falls inside
  // a multi-byte character, the replacement character makes the stored text up to 2 bytes longer
  // than 64 KiB. Not ours to change; this flips to a failure (and should become `it`) once fixed.
  it("a multi-byte body is cut on a character boundary (≤ 64 KiB)", async () => {
    const receiver = await startReceiver({ behaviours: [{ status: 500, body: "日".repeat(30_000) }] });
    const ctx = await makeWorkspace();
    const endpoint = await createEndpoint(ctx, { title: "Unicode", url: receiver.url, retryPolicy: { preset: "none" } });
    const outcome = await attemptDelivery(await publishTo(ctx, endpoint.id), { trigger: "SCHEDULED", scheduleAttempt: 1 });
    const attempt = await db.attempt.findUniqueOrThrow({ where: { id: outcome.attemptId! } });
    expect(Buffer.byteLength(attempt.responseBody!)).toBeLessThanOrEqual(64 * KiB);
    expect(attempt.responseBody).not.toContain("\uFFFD");
  });
});

describe("SSRF guard with HOOKLINE_ALLOW_PRIVATE_NETWORKS off", () => {
  let receiver: Receiver;
  let receiverV6: Receiver | null;
  beforeAll(async () => {
    receiver = await startReceiver();
    receiverV6 = await startReceiver({ host: "::1" }).catch(() => null); // hosts without IPv6 loopback
  });

  const literals = (port: number, portV6: number) => [
    `http://127.0.0.1:${port}/hook`,
    `http://[::1]:${portV6}/hook`,
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.1/hook",
    `http://[::ffff:127.0.0.1]:${port}/hook`,
    // Other spellings the URL parser turns into the same addresses, and neighbouring ranges.
    `http://2130706433:${port}/hook`,
    `http://0x7f.1:${port}/hook`,
    "http://100.64.0.1/hook",
    "http://192.168.1.1/hook",
    "http://[fd00:ec2::254]/latest/meta-data/",
    "http://0.0.0.0/hook",
  ];

  it("refuses to create endpoints whose URL is a non-public IP literal (400, nothing written)", async () => {
    allowPrivateNetworks(false);
    const ctx = await makeWorkspace();
    for (const url of literals(receiver.port, receiverV6?.port ?? receiver.port)) {
      const error = await createEndpoint(ctx, { title: "Blocked", url }).catch((caught: unknown) => caught);
      expect(error, url).toBeInstanceOf(AppError);
      expect(error, url).toMatchObject({ status: 400, code: "validation_failed", details: [{ path: "url", code: "BLOCKED_ADDRESS" }] });
    }
    expect(await db.endpoint.count({ where: { workspaceId: ctx.workspaceId } })).toBe(0);
  });

  it("a hostname is only resolved at connect time, so `localhost` can be saved", async () => {
    allowPrivateNetworks(false);
    const ctx = await makeWorkspace();
    await expect(createEndpoint(ctx, { title: "Name", url: `http://localhost:${receiver.port}/hook` })).resolves.toMatchObject({ enabled: true });
  });

  it("blocks every attempt to a private address with BLOCKED_ADDRESS, before any connection", async () => {
    const ctx = await makeWorkspace();
    const portV6 = receiverV6?.port ?? receiver.port;
    const urls = [
      `http://127.0.0.1:${receiver.port}/hook`,
      `http://[::1]:${portV6}/hook`,
      "http://169.254.169.254/latest/meta-data/",
      "http://10.0.0.1/hook",
      `http://[::ffff:127.0.0.1]:${receiver.port}/hook`,
      `http://localhost:${receiver.port}/hook`, // resolves to loopback: refused by the connect-time lookup
    ];
    // Saved while private networks were allowed (an operator turned the flag off later).
    const endpoints: Array<{ id: string; url: string }> = [];
    for (const url of urls) endpoints.push(await createEndpoint(ctx, { title: url, url, timeoutMs: 3000 }));
    const published = await publish(ctx, { eventType: "call:completed", payload: { account: "acc_1", duration: 42 } });
    expect(published.deliveries).toHaveLength(urls.length);

    allowPrivateNetworks(false);
    const connectionsBefore = receiver.connections + (receiverV6?.connections ?? 0);
    for (const endpoint of endpoints) {
      const delivery = published.deliveries.find((candidate) => candidate.endpointId === endpoint.id)!;
      const outcome = await attemptDelivery(delivery.id, { trigger: "SCHEDULED", scheduleAttempt: 1 });
      expect(outcome, endpoint.url).toMatchObject({ ok: false, errorCode: "BLOCKED_ADDRESS", responseStatus: null, next: { action: "retry" } });
      const attempt = await db.attempt.findUniqueOrThrow({ where: { id: outcome.attemptId! } });
      expect(attempt, endpoint.url).toMatchObject({ outcome: "FAILURE", errorCode: "BLOCKED_ADDRESS", responseStatus: null, responseBody: null });
      expect(attempt.durationMs, `${endpoint.url} was refused without trying to connect`).toBeLessThan(1000);
      if (endpoint.url.includes("localhost")) expect(attempt.errorMessage).toMatch(/localhost resolves to (127\.0\.0\.1|::1)/);
    }
    expect(receiver.connections + (receiverV6?.connections ?? 0)).toBe(connectionsBefore);
    expect(receiver.requests).toHaveLength(0);

    // Control: the same loopback endpoints are reachable once private networks are allowed again,
    // so the refusals above came from the guard and not from an unreachable receiver.
    allowPrivateNetworks(true);
    const reachable = endpoints.filter((endpoint) => /127\.0\.0\.1|localhost|\[::1\]/.test(endpoint.url) && (receiverV6 || !endpoint.url.includes("[::1]")));
    for (const endpoint of reachable) {
      const delivery = published.deliveries.find((candidate) => candidate.endpointId === endpoint.id)!;
      const outcome = await attemptDelivery(delivery.id, { trigger: "MANUAL" });
      expect(outcome, endpoint.url).toMatchObject({ ok: true, responseStatus: 200 });
    }
    expect(receiver.requests.length + (receiverV6?.requests.length ?? 0)).toBe(reachable.length);
  });
});
