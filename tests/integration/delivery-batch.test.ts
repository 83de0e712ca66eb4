import "@/tests/helpers/no-executor-env";
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ServiceContext } from "@/lib/context";
import type { Db } from "@/lib/db/client";
import { backlogEvents, retryEvent, retryOf } from "@/inngest/functions/deliver";
import { attemptBatch, attemptDelivery, type BatchOutcome } from "@/lib/delivery/attempt";
import { requestUnsentDeliveries } from "@/lib/delivery/maintenance";
import { requestBacklog } from "@/lib/delivery/requests";
import { resetEnv } from "@/lib/env";
import { metrics } from "@/lib/metrics";
import { createEndpoint } from "@/lib/features/endpoints/service";
import { publish } from "@/lib/features/messages/publish";
import { makeWorkspace } from "@/tests/helpers/factories";
import { startReceiver } from "@/tests/helpers/receiver";
import { useTestDb } from "@/tests/helpers/services";

// The attempt core's batch path and its record: lease-checked, group-committed, within each
// endpoint's limits (issue 11 finding 9, issue 12).
process.env.HOOKLINE_ALLOW_PRIVATE_NETWORKS = "true";
let db: Db;
let url: string;

beforeAll(async () => {
  vi.spyOn(console, "error").mockImplementation(() => {}); // no executor: the publish's send fails, as expected
  resetEnv();
  ({ db, url } = await useTestDb());
});

/** A receiver that answers `status(n)` after `delayMs` (or `delayMs(n)`), and counts requests in flight. */
async function receiver(options: { delayMs?: number | ((n: number) => number); status?: (n: number) => number | "hang" } = {}) {
  let n = 0;
  let inFlight = 0;
  const stats = { maxInFlight: 0, hits: [] as number[] };
  const server = http.createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      const count = ++n;
      const status = options.status?.(count) ?? 200;
      stats.hits.push(Date.now());
      inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
      response.on("close", () => inFlight--);
      if (status === "hang") return;
      const delay = typeof options.delayMs === "function" ? options.delayMs(count) : (options.delayMs ?? 0);
      setTimeout(() => response.writeHead(status).end("{}"), delay);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, stats };
}

async function deliveriesTo(ctx: ServiceContext, endpointId: string, count: number, eventType: string) {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const published = await publish(ctx, { eventType, payload: { i } });
    ids.push(published.deliveries.find((delivery) => delivery.endpointId === endpointId)!.id);
  }
  return ids;
}

const items = (ids: string[]) => ids.map((deliveryId) => ({ deliveryId, scheduleAttempt: 1 }));

/** An endpoint answering after `delayMs`, `count` deliveries to it, and its lane's pace learned from the first `learnFrom`. */
async function slowLane(options: { delayMs: number; maxConcurrency: number; count: number; learnFrom: number }) {
  const ctx = await makeWorkspace();
  const slow = await receiver({ delayMs: options.delayMs });
  const endpoint = await createEndpoint(ctx, { title: "slow lane", url: slow.url, eventTypes: ["backlog"], maxConcurrency: options.maxConcurrency });
  const ids = await deliveriesTo(ctx, endpoint.id, options.count, "backlog");
  await attemptBatch(items(ids.slice(0, options.learnFrom)));
  return { ctx, slow, endpoint, ids };
}

describe("the attempt record", () => {
  it("never lets a stale attempt overwrite a newer one (the record is lease-checked)", async () => {
    const ctx = await makeWorkspace();
    // The first request answers 500 slowly (time for the test to take its lease over, even on a
    // busy machine); the second (after the first's lease was lost) 200 at once.
    const target = await receiver({ delayMs: (n) => (n === 1 ? 3_000 : 0), status: (n) => (n === 1 ? 500 : 200) });
    const endpoint = await createEndpoint(ctx, { title: "stale", url: target.url, eventTypes: ["stale"] });
    const [deliveryId] = await deliveriesTo(ctx, endpoint.id, 1, "stale");
    const stale = attemptDelivery(deliveryId!, { trigger: "SCHEDULED", scheduleAttempt: 1 });
    await vi.waitFor(() => expect(target.stats.hits).toHaveLength(1));
    // As if the first attempt's process stalled past its lease: another attempt takes over.
    await db.$executeRaw`UPDATE "Delivery" SET "leaseExpiresAt" = now() AT TIME ZONE 'UTC' - interval '1 second' WHERE id = ${deliveryId}`;
    const fresh = attemptDelivery(deliveryId!, { trigger: "SCHEDULED", scheduleAttempt: 1 });
    const [first, second] = await Promise.all([stale, fresh]);
    expect(first).toMatchObject({ ok: false, responseStatus: 500 });
    expect(second).toMatchObject({ ok: true, responseStatus: 200 });
    // Only the attempt that held the lease is recorded; the stale 500 left no trace.
    const attempts = await db.attempt.findMany({ where: { deliveryId } });
    expect(attempts.map((attempt) => attempt.responseStatus)).toEqual([200]);
    expect(await db.delivery.findUniqueOrThrow({ where: { id: deliveryId } })).toMatchObject({ status: "SUCCEEDED", attemptCount: 1 });
  });

  it("keeps a SUCCEEDED delivery succeeded when a manual resend fails", async () => {
    const ctx = await makeWorkspace();
    const target = await receiver({ status: (n) => (n === 1 ? 200 : 503) });
    const endpoint = await createEndpoint(ctx, { title: "done", url: target.url, eventTypes: ["done"] });
    const [deliveryId] = await deliveriesTo(ctx, endpoint.id, 1, "done");
    expect((await attemptDelivery(deliveryId!, { trigger: "SCHEDULED", scheduleAttempt: 1 })).ok).toBe(true);
    const before = await db.delivery.findUniqueOrThrow({ where: { id: deliveryId } });
    const resend = await attemptDelivery(deliveryId!, { trigger: "MANUAL" });
    expect(resend).toMatchObject({ ok: false, responseStatus: 503, number: 2 });
    expect(await db.delivery.findUniqueOrThrow({ where: { id: deliveryId } })).toMatchObject({
      status: "SUCCEEDED",
      completedAt: before.completedAt,
      attemptCount: 2,
      lastResponseStatus: 503,
    });
  });
});

describe("batched attempts", () => {
  it("sends every delivery of a batch with its own endpoint's URL, secret, scheme and headers, not only each endpoint's first", async () => {
    // The claim returns an endpoint's columns on one of its rows (lib/delivery/attempt.ts, claim):
    // the rest must get them too, whatever the order of the batch.
    const ctx = await makeWorkspace();
    const target = await startReceiver();
    const standard = await createEndpoint(ctx, { title: "standard", url: `${target.url}/standard`, eventTypes: ["mixed"], headers: { "X-Tenant": "t-standard" } });
    const stripe = await createEndpoint(ctx, {
      title: "stripe",
      url: `${target.url}/stripe`,
      eventTypes: ["mixed"],
      signature: { scheme: "stripe" },
      headers: { "X-Tenant": "t-stripe" },
    });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(...(await publish(ctx, { eventType: "mixed", payload: { i } })).deliveries.map((delivery) => delivery.id));
    const outcomes = await attemptBatch(items(ids.reverse()));
    expect(outcomes.filter((outcome) => outcome.next.action === "succeeded")).toHaveLength(10);
    const to = (path: string) => target.requests.filter((request) => request.path === path);
    expect(to("/standard")).toHaveLength(5);
    expect(to("/stripe")).toHaveLength(5);
    for (const request of to("/standard")) {
      expect(request.headers["x-tenant"]).toBe("t-standard");
      const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
      expect(() => new StandardWebhook(standard.secret).verify(request.body.toString("utf8"), headers)).not.toThrow();
    }
    for (const request of to("/stripe")) {
      expect(request.headers["x-tenant"]).toBe("t-stripe");
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(request.headers["stripe-signature"]))!;
      expect(crypto.createHmac("sha256", stripe.secret).update(`${t}.${request.body.toString("utf8")}`).digest("hex")).toBe(v1);
    }
  });

  it("holds the endpoint's maxConcurrency and rateLimitPerSecond, and records every result", async () => {
    const ctx = await makeWorkspace();
    const slow = await receiver({ delayMs: 150 });
    const limited = await createEndpoint(ctx, { title: "two at a time", url: slow.url, eventTypes: ["slow"], maxConcurrency: 2 });
    const paced = await receiver();
    const rated = await createEndpoint(ctx, { title: "four per second", url: paced.url, eventTypes: ["paced"], rateLimitPerSecond: 4 });
    const slowIds = await deliveriesTo(ctx, limited.id, 8, "slow");
    const pacedIds = await deliveriesTo(ctx, rated.id, 6, "paced");
    const outcomes = await attemptBatch(items([...slowIds, ...pacedIds]));
    expect(outcomes.every((outcome) => outcome.next.action === "succeeded")).toBe(true);
    expect(slow.stats.maxInFlight).toBe(2);
    // 6 starts at 4 per second: the last starts at least 1.25 s after the first.
    expect(paced.stats.hits.at(-1)! - paced.stats.hits[0]!).toBeGreaterThanOrEqual(1_200);
    expect(await db.delivery.count({ where: { id: { in: [...slowIds, ...pacedIds] }, status: "SUCCEEDED" } })).toBe(14);
    expect(await db.attempt.count({ where: { deliveryId: { in: [...slowIds, ...pacedIds] } } })).toBe(14);
  });

  it("writes the results of one endpoint's batch in a few statements, and frees each request's slot before its record", async () => {
    const ctx = await makeWorkspace();
    // One request at a time, each answered after 3 ms: the results come one by one, ~4 ms apart.
    const target = await receiver({ delayMs: 3 });
    const endpoint = await createEndpoint(ctx, { title: "one at a time", url: target.url, eventTypes: ["serial"], maxConcurrency: 1 });
    const ids = await deliveriesTo(ctx, endpoint.id, 12, "serial");
    const outcomes = await attemptBatch(items(ids));
    expect(outcomes.every((outcome) => outcome.next.action === "succeeded")).toBe(true);
    expect(target.stats.maxInFlight).toBe(1);
    // Records wait up to 10 ms for company, so a dozen results share a few statements (rows one
    // statement wrote share its transaction id). Written one per result, they took 12; and had
    // each request held the endpoint's one slot until its record was written, the next could not
    // start meanwhile and every record would have gone alone (12 again).
    const [{ n }] = await db.$queryRawUnsafe<Array<{ n: number }>>(
      `SELECT count(DISTINCT xmin::text)::int AS n FROM "Attempt" WHERE "deliveryId" = ANY($1::text[])`,
      ids,
    );
    expect(n).toBeLessThanOrEqual(6);
    expect(await db.delivery.count({ where: { id: { in: ids }, status: "SUCCEEDED" } })).toBe(12);
  });

  it("records fast results while a hanging endpoint's attempt is in flight, and leaves that one to finish late", async () => {
    const ctx = await makeWorkspace();
    const hanging = await receiver({ status: () => "hang" });
    const healthy = await receiver();
    const stuck = await createEndpoint(ctx, { title: "hangs", url: hanging.url, eventTypes: ["mixed"], timeoutMs: 1000 });
    const fine = await createEndpoint(ctx, { title: "fine", url: healthy.url, eventTypes: ["mixed"] });
    const published = await publish(ctx, { eventType: "mixed", payload: { x: 1 } });
    const ids = published.deliveries.map((delivery) => delivery.id);
    const late: BatchOutcome[] = [];
    const started = Date.now();
    const outcomes = await attemptBatch(items(ids), { patienceMs: 300, onLate: async (outcome) => void late.push(outcome) });
    // The batch came back at its patience, with the healthy result only, already recorded.
    expect(Date.now() - started).toBeLessThan(1000);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ endpointId: fine.id, next: { action: "succeeded" } });
    const stuckDelivery = published.deliveries.find((delivery) => delivery.endpointId === stuck.id)!;
    expect(await db.delivery.findUniqueOrThrow({ where: { id: stuckDelivery.id } })).toMatchObject({ status: "SENDING" });
    // The hanging attempt times out on its own, is recorded, and hands its retry to onLate.
    await vi.waitFor(() => expect(late).toHaveLength(1), { timeout: 5_000 });
    expect(late[0]).toMatchObject({ deliveryId: stuckDelivery.id, errorCode: "TIMEOUT", next: { action: "retry" } });
    expect(await db.delivery.findUniqueOrThrow({ where: { id: stuckDelivery.id } })).toMatchObject({ status: "PENDING", attemptCount: 1 });
  });

  it("claims for a slow endpoint only what its lane can start soon, and hands the rest back to wait in its backlog", async () => {
    // Two at a time, each answered after 400 ms: the lane starts about 5 requests a second.
    const { slow, endpoint, ids } = await slowLane({ delayMs: 400, maxConcurrency: 2, count: 42, learnFrom: 2 });
    const started = Date.now();
    const backlog = ids.slice(2);
    const deferredBefore = (await metrics().deliveriesDeferred.get()).values[0]?.value ?? 0;
    const outcomes = await attemptBatch(items(backlog), { patienceMs: 300, onLate: async () => {} });
    const deferred = outcomes.filter((outcome) => outcome.next.action === "deferred");
    // Operators see them in /metrics: deferred so far, and waiting in a backlog now.
    expect((await metrics().deliveriesDeferred.get()).values[0]?.value).toBe(deferredBefore + deferred.length);
    const scraped = await metrics().scrape();
    expect(Number(/hookline_delivery_backlog\{state="deferred"\} (\d+)/.exec(scraped)?.[1])).toBeGreaterThanOrEqual(deferred.length);
    // How far behind: published before this test began.
    const behind = Number(/hookline_delivery_backlog_oldest_seconds ([\d.e+-]+)/.exec(scraped)?.[1]);
    expect(behind).toBeGreaterThan(0);
    expect(behind).toBeGreaterThanOrEqual((Date.now() - started) / 1000 - 0.5);
    // About two seconds of work at 5 a second was taken; the rest was never claimed into memory.
    const admitted = backlog.length - deferred.length;
    expect(admitted).toBeGreaterThanOrEqual(6);
    expect(admitted).toBeLessThanOrEqual(12);
    expect(deferred.every((outcome) => outcome.attemptId === null && retryOf(outcome) === undefined)).toBe(true);
    // Each waits for its turn: later for each one further back, seconds ahead, not the whole
    // backlog at once.
    const turns = deferred.map((outcome) => Date.parse((outcome.next as { retryAt: string }).retryAt));
    expect(turns).toEqual([...turns].sort((a, b) => a - b));
    expect(turns[0]! - started).toBeGreaterThanOrEqual(1_000);
    expect(turns.at(-1)! - started).toBeGreaterThanOrEqual(7_000);
    expect(turns.at(-1)! - started).toBeLessThan(20_000);
    // The backlog wakes up at the earliest turn (whole seconds), once: a later deferral finds that
    // wake-up coming and asks for none.
    const [wakeUp, ...more] = backlogEvents(outcomes);
    expect(more).toEqual([]);
    expect(wakeUp!.data).toEqual({ endpointId: endpoint.id, at: new Date(Math.ceil(turns[0]! / 1000) * 1000).toISOString() });
    expect(wakeUp!.id).toBe(`${endpoint.id}:backlog:${wakeUp!.data.at}`);
    expect(backlogEvents(outcomes)).toEqual([]);
    // They are PENDING again, unleased, in the backlog until their turn (also their next attempt); none was sent.
    const rows = await db.delivery.findMany({ where: { id: { in: deferred.map((outcome) => outcome.deliveryId) } } });
    expect(rows.every((row) => row.status === "PENDING" && row.leaseExpiresAt === null && row.attemptCount === 0)).toBe(true);
    expect(rows.every((row) => row.deferredUntil!.getTime() === row.nextAttemptAt!.getTime())).toBe(true);
    expect(rows.map((row) => row.nextAttemptAt!.getTime()).sort()).toEqual([...turns].sort());
    // As after an outage, every turn is overdue at once: the backlog's requests (without a
    // position) get only the lane's room too, and the rest new turns, after those handed out.
    const overdue = new Date(Date.now() - 1000);
    await db.delivery.updateMany({ where: { id: { in: rows.map((row) => row.id) } }, data: { nextAttemptAt: overdue, deferredUntil: overdue } });
    const again = await attemptBatch(
      deferred.map(({ deliveryId }) => ({ deliveryId })),
      { patienceMs: 300, onLate: async () => {} },
    );
    const deferredAgain = again.filter((outcome) => outcome.next.action === "deferred");
    expect(deferredAgain.length).toBeGreaterThanOrEqual(deferred.length - 4);
    const turnsAgain = deferredAgain.map((outcome) => Date.parse((outcome.next as { retryAt: string }).retryAt));
    expect(Math.min(...turnsAgain)).toBeGreaterThan(turns.at(-1)!);
    const sent = 2 + admitted + deferred.length - deferredAgain.length;
    await vi.waitFor(async () => expect(await db.attempt.count({ where: { deliveryId: { in: ids } } })).toBe(sent), { timeout: 10_000 });
    expect(slow.stats.hits).toHaveLength(sent);
    // The backlog's wake-up requests only those whose turn came, each for its turn; the sweep leaves
    // the others to it.
    const due = await db.delivery.updateManyAndReturn({
      where: { id: { in: deferredAgain.slice(0, 3).map((outcome) => outcome.deliveryId) } },
      data: { nextAttemptAt: overdue, deferredUntil: overdue },
    });
    const { inngest } = await import("@/inngest/client");
    const send = vi.spyOn(inngest, "send").mockResolvedValue({ ids: [] });
    // An event stands for its deliveryId and those in its `more`.
    const requested = () =>
      new Set(send.mock.calls.flatMap(([events]) => [events].flat().flatMap((event) => [event.data.deliveryId as string, ...((event.data.more as string[] | undefined) ?? [])])));
    try {
      expect(await requestBacklog(endpoint.id)).toEqual({ requested: 3, more: true });
      expect(requested()).toEqual(new Set(due.map((row) => row.id)));
      const pokes = send.mock.calls.flatMap(([events]) => [events].flat());
      expect(pokes.every((event) => event.data.backlog === true && event.data.retryAt === overdue.toISOString())).toBe(true);
      await requestUnsentDeliveries(0);
      expect(deferredAgain.slice(3).filter((outcome) => requested().has(outcome.deliveryId))).toEqual([]);
    } finally {
      send.mockRestore();
    }
    // With nothing due, a wake-up pokes the backlog's head.
    await db.delivery.updateMany({ where: { id: { in: due.map((row) => row.id) } }, data: { deferredUntil: null } });
    const probe = vi.spyOn(inngest, "send").mockResolvedValue({ ids: [] });
    try {
      expect(await requestBacklog(endpoint.id)).toEqual({ requested: 1, more: true });
      expect(probe.mock.calls.flatMap(([events]) => [events].flat()).map((event) => event.data.deliveryId)).toEqual([deferredAgain[3]!.deliveryId]);
    } finally {
      probe.mockRestore();
    }
    // A poke's batch fills the lane's spare room from the backlog, oldest turn first: the idle
    // lane (about 9 in two seconds) takes the poked head and the next ones, ahead of their turns.
    const remaining = deferredAgain.slice(3).map((outcome) => outcome.deliveryId);
    const poked = await attemptBatch([{ deliveryId: remaining[0]!, backlog: true, dueAt: new Date(turnsAgain[3]!).toISOString() }]);
    expect(poked.length).toBeGreaterThanOrEqual(5);
    expect(poked.length).toBeLessThanOrEqual(12);
    expect(poked.every((outcome) => outcome.next.action === "succeeded" && outcome.number === 1)).toBe(true);
    expect(new Set(poked.map((outcome) => outcome.deliveryId))).toEqual(new Set(remaining.slice(0, poked.length)));
    expect(await db.delivery.count({ where: { id: { in: remaining.slice(0, poked.length) }, deferredUntil: { not: null } } })).toBe(0);
  });

  it("keeps a slow endpoint's slots busy: its free slots count as room besides those its pace frees", async () => {
    // Four at a time, each answered after 1.2 s: in 2 s the lane starts its 4 free slots and about 6 more.
    const { slow: target, ids } = await slowLane({ delayMs: 1_200, maxConcurrency: 4, count: 15, learnFrom: 1 });
    const outcomes = await attemptBatch(items(ids.slice(1)), { patienceMs: 100, onLate: async () => {} });
    const admitted = 14 - outcomes.filter((outcome) => outcome.next.action === "deferred").length;
    expect(admitted).toBeGreaterThanOrEqual(9);
    expect(admitted).toBeLessThanOrEqual(11);
    await vi.waitFor(() => expect(target.stats.maxInFlight).toBe(4), { timeout: 3_000 });
  });

  it("holds back a lane whose requests began to hang, though its average still says fast", async () => {
    const ctx = await makeWorkspace();
    // Fast at first, then every request hangs (until its 2 s timeout).
    const target = await receiver({ status: (n) => (n <= 4 ? 200 : "hang") });
    const endpoint = await createEndpoint(ctx, { title: "turns bad", url: target.url, eventTypes: ["turns"], maxConcurrency: 2, timeoutMs: 2000 });
    const ids = await deliveriesTo(ctx, endpoint.id, 26, "turns");
    await attemptBatch(items(ids.slice(0, 4)));
    await attemptBatch(items(ids.slice(4, 6)), { patienceMs: 100, onLate: async () => {} });
    // Both slots are held well past the typical few ms: the lane starts nothing before they time out.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const outcomes = await attemptBatch(items(ids.slice(6)), { patienceMs: 100, onLate: async () => {} });
    const deferred = outcomes.filter((outcome) => outcome.next.action === "deferred");
    // Both slots free within the 2 s window (at the timeout): two go in, the rest wait.
    expect(deferred.length).toBeGreaterThanOrEqual(17);
    expect(target.stats.hits.length).toBeLessThanOrEqual(9);
  });

  it("counts the requests another worker holds for the endpoint against its maxConcurrency: claims only its free slots, and waits for theirs", async () => {
    // Two at a time, each answered after 1 s; the lane knows that pace from a first batch.
    const { slow, ids } = await slowLane({ delayMs: 1_000, maxConcurrency: 2, count: 11, learnFrom: 1 });
    // Another worker, alive (a connection carries its mark, as its pool's do), and its claim of one
    // (its batch ran out of patience; the request is still in flight there).
    const other = new pg.Client({ connectionString: url, application_name: "hookline-worker-9#424242" });
    await other.connect();
    const elsewhere = { status: "SENDING" as const, leaseOwner: 424242, leaseExpiresAt: new Date(Date.now() + 30_000) };
    await db.delivery.update({ where: { id: ids[1] }, data: elsewhere });
    // This worker's claim sees it: it takes only the one slot left, and the rest waits in the
    // endpoint's backlog (its turns ahead, one after another), not in this worker's memory.
    const first = await attemptBatch(items(ids.slice(2, 5)));
    expect(first.map((outcome) => outcome.next.action).sort()).toEqual(["deferred", "deferred", "succeeded"]);
    expect(slow.stats.maxInFlight).toBe(1);
    const turns = first.flatMap((outcome) => (outcome.next.action === "deferred" ? [Date.parse(outcome.next.retryAt)] : []));
    expect(turns[0]).toBeGreaterThan(Date.now() - 1_000);
    expect(turns[1]).toBeGreaterThan(turns[0]!);
    // Its requests still waiting for a slot learn of another worker's with its next claim, and wait
    // for both slots' owners: the other worker's request ends, and within a recount the slot is its.
    await db.delivery.update({ where: { id: ids[1] }, data: { status: "SUCCEEDED", leaseExpiresAt: null } });
    const sent = slow.stats.hits.length;
    const second = attemptBatch(items(ids.slice(5, 9))); // two start, two wait in the lane
    await vi.waitFor(() => expect(slow.stats.hits).toHaveLength(sent + 2));
    await db.delivery.update({ where: { id: ids[1] }, data: elsewhere });
    // (Its next claim: one of the deliveries it deferred, due or not; nothing more is sent for it.)
    const deferredId = first.find((outcome) => outcome.next.action === "deferred")!.deliveryId;
    const [again] = await attemptBatch([{ deliveryId: deferredId, scheduleAttempt: 1 }]);
    expect(again!.next.action).not.toBe("succeeded");
    // Both answer after 1 s: one slot is the other worker's, so one more starts, the last waits.
    await vi.waitFor(() => expect(slow.stats.hits).toHaveLength(sent + 3), { timeout: 3_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(slow.stats.hits).toHaveLength(sent + 3);
    const released = Date.now();
    await db.delivery.update({ where: { id: ids[1] }, data: { status: "SUCCEEDED", leaseExpiresAt: null } });
    expect((await second).every((outcome) => outcome.next.action === "succeeded")).toBe(true);
    // The last started within a recount of the release, while the third was still in flight.
    expect(slow.stats.hits.at(-1)! - released).toBeLessThan(600);
    expect(slow.stats.hits.at(-1)! - slow.stats.hits.at(-2)!).toBeLessThan(900);
    expect(slow.stats.maxInFlight).toBe(2);
    // Its own scheduled claims carry its mark; a manual resend's carries none (not held back, not counted).
    const [own] = await db.$queryRaw<Array<{ leaseOwner: number | null }>>`SELECT "leaseOwner" FROM "Delivery" WHERE id = ${ids[5]}`;
    expect(own!.leaseOwner).toEqual(expect.any(Number));
    expect(own!.leaseOwner).not.toBe(424242);
    await attemptDelivery(ids[5]!, { trigger: "MANUAL" });
    expect((await db.delivery.findUniqueOrThrow({ where: { id: ids[5] } })).leaseOwner).toBeNull();
    // A dead worker's claims hold nothing in flight: once its connections are gone they no longer
    // count, long before their leases run out (alive, this claim would take one and defer one).
    await db.delivery.update({ where: { id: ids[1] }, data: elsewhere });
    await other.end();
    await vi.waitFor(async () => {
      const [alive] = await db.$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'hookline-worker-9#424242'`;
      expect(alive!.n).toBe(0);
    });
    const afterDeath = await attemptBatch(items(ids.slice(9, 11)));
    expect(afterDeath.map((outcome) => outcome.next.action)).toEqual(["succeeded", "succeeded"]);
  });

  it("applies a lowered maxConcurrency to the requests already in its lane: the new limit waits for them", async () => {
    const { slow, endpoint, ids } = await slowLane({ delayMs: 600, maxConcurrency: 3, count: 6, learnFrom: 1 });
    const first = attemptBatch(items(ids.slice(1, 4)), { patienceMs: 100, onLate: async () => {} });
    await vi.waitFor(() => expect(slow.stats.hits).toHaveLength(4));
    await db.endpoint.update({ where: { id: endpoint.id }, data: { maxConcurrency: 1 } });
    const second = await attemptBatch(items(ids.slice(4, 6)));
    await first;
    // Three were in flight under the old limit; the next started only once they had ended, one at a time.
    expect(slow.stats.maxInFlight).toBe(3);
    expect(second.map((outcome) => outcome.next.action)).toEqual(["succeeded", "succeeded"]);
    const [, a, b, c, d, e] = slow.stats.hits;
    expect(d! - Math.max(a!, b!, c!)).toBeGreaterThanOrEqual(550);
    expect(e! - d!).toBeGreaterThanOrEqual(550);
  });

  it("extends the lease of a request that waited in its lane past it, and does not send one whose lease was taken over", async () => {
    const ctx = await makeWorkspace();
    const target = await receiver({ delayMs: 300 });
    const endpoint = await createEndpoint(ctx, { title: "one slot", url: target.url, eventTypes: ["queued"], maxConcurrency: 1, timeoutMs: 1000 });
    const ids = await deliveriesTo(ctx, endpoint.id, 3, "queued");
    // A clock the test moves on: the second and third requests get their slot 10 s after the claim.
    let skew = 0;
    const batch = attemptBatch(items(ids), { now: () => new Date(Date.now() + skew) });
    await vi.waitFor(() => expect(target.stats.hits).toHaveLength(1));
    skew = 10_000;
    // Meanwhile another attempt takes the third over (its lease is no longer the batch's).
    await db.$executeRaw`UPDATE "Delivery" SET "leaseExpiresAt" = "leaseExpiresAt" + interval '1 minute' WHERE id = ${ids[2]}`;
    const outcomes = await batch;
    const actions = new Map(outcomes.map((outcome) => [outcome.deliveryId, outcome.next.action]));
    expect(ids.map((id) => actions.get(id))).toEqual(["succeeded", "succeeded", "skipped"]);
    // The second was sent under its extended lease and recorded; the third was never sent.
    expect(target.stats.hits).toHaveLength(2);
    expect(await db.delivery.findUniqueOrThrow({ where: { id: ids[1] } })).toMatchObject({ status: "SUCCEEDED", attemptCount: 1 });
    expect(await db.attempt.count({ where: { deliveryId: ids[1] } })).toBe(1);
    expect(await db.delivery.findUniqueOrThrow({ where: { id: ids[2] } })).toMatchObject({ status: "SENDING", attemptCount: 0 });
  });

  it("leaves a delivery whose next attempt is not due for then, and attempts it when its retry comes", async () => {
    const ctx = await makeWorkspace();
    const target = await receiver({ status: (n) => (n === 1 ? 500 : 200) });
    const endpoint = await createEndpoint(ctx, { title: "later", url: target.url, eventTypes: ["later"], retryPolicy: { preset: "custom", delaysMs: [60_000] } });
    const [deliveryId] = await deliveriesTo(ctx, endpoint.id, 1, "later");
    const [failed] = await attemptBatch(items([deliveryId!]));
    expect(failed!.next.action).toBe("retry");
    const retryAt = (failed!.next as { retryAt: string }).retryAt;
    // A repeated request (a replayed batch run, a sweep) does not attempt early: it is told when.
    const [early] = await attemptBatch(items([deliveryId!]));
    expect(early).toMatchObject({ attemptId: null, next: { action: "retry", retryAt } });
    expect(target.stats.hits).toHaveLength(1);
    // A replay of the batch that made attempt 1 stands for the retry that batch scheduled (attempt
    // 2 at retryAt): the same retry event, so a run retried after its attempts were recorded does
    // not schedule a second wake-up, nor one that would restart the schedule at attempt 1.
    expect(early!.scheduleAttempt).toBe(2);
    const scheduled = retryEvent(retryOf(failed!)!);
    expect(scheduled.data).toMatchObject({ deliveryId, attempt: 2, retryAt });
    const replayed = retryEvent(retryOf(early!)!);
    expect({ id: replayed.id, data: replayed.data }).toEqual({ id: scheduled.id, data: scheduled.data });
    // Nor once the retry is due (a run retried 10 s later, or resumed after its worker died): the
    // replay still stands for attempt 2, is not attempted, and asks for the very same retry event.
    const [late] = await attemptBatch(items([deliveryId!]), { now: () => new Date(Date.parse(retryAt) + 10_000) });
    expect(late).toMatchObject({ attemptId: null, scheduleAttempt: 2, next: { action: "retry", retryAt } });
    expect(retryEvent(retryOf(late!)!).id).toBe(scheduled.id);
    expect(target.stats.hits).toHaveLength(1);
    // The request made for that retry is the scheduled attempt, even if its wake-up came early.
    const [retried] = await attemptBatch([{ deliveryId: deliveryId!, scheduleAttempt: 2, dueAt: retryAt }]);
    expect(retried).toMatchObject({ ok: true, number: 2, next: { action: "succeeded" } });
  });

  it("goes on with the delivery's own schedule position for a request without one (a sweep's), and recovery starts it over", async () => {
    const ctx = await makeWorkspace();
    const target = await receiver({ status: () => 500 });
    const endpoint = await createEndpoint(ctx, {
      title: "positions",
      url: target.url,
      eventTypes: ["positions"],
      retryPolicy: { preset: "custom", delaysMs: [60_000, 60_000], jitter: false },
    });
    const [deliveryId] = await deliveriesTo(ctx, endpoint.id, 1, "positions");
    const [first] = await attemptBatch(items([deliveryId!]));
    expect(first).toMatchObject({ number: 1, scheduleAttempt: 1, next: { action: "retry" } });
    expect(await db.delivery.findUniqueOrThrow({ where: { id: deliveryId } })).toMatchObject({ status: "PENDING", schedulePosition: 2 });
    // Stranded past its retry (its wake-up lost): the sweep's request carries no position.
    await db.$executeRaw`UPDATE "Delivery" SET "nextAttemptAt" = now() AT TIME ZONE 'UTC' - interval '1 second' WHERE id = ${deliveryId}`;
    const [swept] = await attemptBatch([{ deliveryId: deliveryId! }]);
    // Attempt 2 of the schedule (one retry left after it), not attempt 1 over again.
    expect(swept).toMatchObject({ number: 2, scheduleAttempt: 2, next: { action: "retry" } });
    expect(retryOf(swept!)).toMatchObject({ attempt: 3 });
    expect(await db.delivery.findUniqueOrThrow({ where: { id: deliveryId } })).toMatchObject({ schedulePosition: 3 });
    // Recovery runs the whole schedule again.
    await db.delivery.update({ where: { id: deliveryId }, data: { status: "FAILED", nextAttemptAt: null } });
    const { requeueFailedBatch } = await import("@/lib/delivery/resend");
    await requeueFailedBatch(endpoint.id, new Date(0), null, "recover-test");
    expect(await db.delivery.findUniqueOrThrow({ where: { id: deliveryId } })).toMatchObject({ status: "PENDING", schedulePosition: null });
    const [recovered] = await attemptBatch([{ deliveryId: deliveryId! }]);
    expect(recovered).toMatchObject({ number: 3, scheduleAttempt: 1, next: { action: "retry" } });
  });
});

describe("the endpoint's backlog", () => {
  /** As deferBeyondLanes leaves it: PENDING, waiting in the backlog for `turn`. */
  const inBacklog = (id: string, turn: Date) => db.delivery.update({ where: { id }, data: { deferredUntil: turn, nextAttemptAt: turn } });
  const poke = (id: string, turn: Date) => ({ deliveryId: id, backlog: true, dueAt: turn.toISOString() });

  it("takes a delivery for its turn only while it waits in the backlog: a retry it scheduled is not pulled forward", async () => {
    const ctx = await makeWorkspace();
    const target = await receiver({ status: () => 500 });
    const endpoint = await createEndpoint(ctx, { title: "poked", url: target.url, eventTypes: ["poked"], retryPolicy: { preset: "custom", delaysMs: [60_000] } });
    const [deliveryId] = await deliveriesTo(ctx, endpoint.id, 1, "poked");
    const turn = new Date(Date.now() + 3_600_000);
    await inBacklog(deliveryId!, turn);
    const [first] = await attemptBatch([poke(deliveryId!, turn)]);
    expect(first).toMatchObject({ number: 1, responseStatus: 500, next: { action: "retry" } });
    expect(await db.delivery.findUniqueOrThrow({ where: { id: deliveryId } })).toMatchObject({ status: "PENDING", deferredUntil: null });
    // A second wake-up poked it meanwhile, for the same (far) turn: the retry a minute ahead is not sent now.
    const [second] = await attemptBatch([poke(deliveryId!, turn)]);
    expect(second).toMatchObject({ attemptId: null, next: { action: "skipped" } });
    expect(target.stats.hits).toHaveLength(1);
  });

  it("never sends a delivery twice in one batch: what the batch was asked for is not backfilled as well", async () => {
    const ctx = await makeWorkspace();
    const target = await receiver();
    const endpoint = await createEndpoint(ctx, { title: "twice", url: target.url, eventTypes: ["twice"] });
    const [deliveryId] = await deliveriesTo(ctx, endpoint.id, 1, "twice");
    // Deferred again to a later turn since this poke was sent: the poke is not its turn any more.
    const later = new Date(Date.now() + 60_000);
    await inBacklog(deliveryId!, later);
    const outcomes = await attemptBatch([poke(deliveryId!, new Date(Date.now() - 1_000))]);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ attemptId: null, next: { action: "skipped" } });
    expect(target.stats.hits).toHaveLength(0);
    expect(await db.delivery.findUniqueOrThrow({ where: { id: deliveryId } })).toMatchObject({ status: "PENDING", deferredUntil: later });
  });

  it("keeps a delivery's place in the backlog when a manual resend of it fails", async () => {
    const ctx = await makeWorkspace();
    const target = await receiver({ status: () => 503 });
    const endpoint = await createEndpoint(ctx, { title: "resent", url: target.url, eventTypes: ["resent"] });
    const [deliveryId] = await deliveriesTo(ctx, endpoint.id, 1, "resent");
    const turn = new Date(Date.now() + 60_000);
    await inBacklog(deliveryId!, turn);
    expect(await attemptDelivery(deliveryId!, { trigger: "MANUAL" })).toMatchObject({ ok: false, responseStatus: 503 });
    expect(await db.delivery.findUniqueOrThrow({ where: { id: deliveryId } })).toMatchObject({ status: "PENDING", deferredUntil: turn, nextAttemptAt: turn });
  });
});
