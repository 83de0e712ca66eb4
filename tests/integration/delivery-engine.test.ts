import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnv } from "@/lib/env";
import { makeWorkspace } from "@/tests/helpers/factories";
import { useTestDb } from "@/tests/helpers/services";
import { waitFor } from "@/tests/fixtures/engine/helpers";
import type { Db } from "@/lib/db/client";

process.env.HOOKLINE_ALLOW_PRIVATE_NETWORKS = "true";
process.env.HOOKLINE_ENCRYPTION_KEY = Buffer.alloc(32, 3).toString("base64");
resetEnv();

type Hit = { at: number; headers: http.IncomingHttpHeaders; body: string };

async function receiver(respond: (hit: Hit, count: number) => number | "hang") {
  const hits: Hit[] = [];
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      const hit = { at: Date.now(), headers: request.headers, body };
      hits.push(hit);
      const answer = respond(hit, hits.length);
      if (answer === "hang") return;
      response.writeHead(answer).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, hits };
}

let db: Db;
let url: string;
let services: {
  createEndpoint: typeof import("@/lib/features/endpoints/service").createEndpoint;
  publish: typeof import("@/lib/features/messages/publish").publish;
  publishBatch: typeof import("@/lib/features/messages/publish").publishBatch;
  requestUnsentDeliveries: typeof import("@/lib/delivery/maintenance").requestUnsentDeliveries;
  resendDeliveries: typeof import("@/lib/delivery/resend").resendDeliveries;
};
let stopStack = async () => {};
let pool: pg.Pool;

beforeAll(async () => {
  ({ db, url } = await useTestDb());
  pool = new pg.Pool({ connectionString: url, max: 2 });
  const { startDeliveryStack } = await import("@/tests/fixtures/delivery/stack");
  const stack = await startDeliveryStack({ databaseUrl: url });
  stopStack = stack.stop;
  services = {
    createEndpoint: (await import("@/lib/features/endpoints/service")).createEndpoint,
    publish: (await import("@/lib/features/messages/publish")).publish,
    publishBatch: (await import("@/lib/features/messages/publish")).publishBatch,
    requestUnsentDeliveries: (await import("@/lib/delivery/maintenance")).requestUnsentDeliveries,
    resendDeliveries: (await import("@/lib/delivery/resend")).resendDeliveries,
  };
});
afterAll(async () => {
  await pool.end();
  await stopStack();
});

const deliveryStatus = (id: string) => db.delivery.findUniqueOrThrow({ where: { id } }).then((d) => d.status);

describe("delivery on the local engine", () => {
  it("retries a receiver that fails twice on the endpoint's schedule, with one webhook-id", async () => {
    const ctx = await makeWorkspace();
    const target = await receiver((_hit, count) => (count <= 2 ? 500 : 200));
    const endpoint = await services.createEndpoint(ctx, {
      title: "flaky",
      url: target.url,
      retryPolicy: { preset: "custom", delaysMs: [1000, 2000, 5000] },
    });
    const published = await services.publish(ctx, { eventType: "call:completed", payload: { account: "acc_1", duration: 45 } });
    const deliveryId = published.deliveries[0]!.id;
    await waitFor(async () => (await deliveryStatus(deliveryId)) === "SUCCEEDED", 20_000, "the delivery to succeed");

    expect(target.hits).toHaveLength(3);
    expect(new Set(target.hits.map((hit) => hit.headers["webhook-id"]))).toEqual(new Set([published.message.id]));
    expect(target.hits.map((hit) => hit.headers["x-hookline-attempt"])).toEqual(["1", "2", "3"]);
    const gaps = [target.hits[1]!.at - target.hits[0]!.at, target.hits[2]!.at - target.hits[1]!.at];
    // Each retry waited at least its delay (±20 % jitter). How much longer it took is the
    // machine's speed, which bench/ measures; the exact schedule is checked in the next test.
    expect(gaps[0]).toBeGreaterThanOrEqual(800);
    expect(gaps[1]).toBeGreaterThanOrEqual(1_600);
    const attempts = await db.attempt.findMany({ where: { deliveryId }, orderBy: { number: "asc" } });
    expect(attempts.map((a) => [a.number, a.outcome, a.responseStatus])).toEqual([
      [1, "FAILURE", 500],
      [2, "FAILURE", 500],
      [3, "SUCCESS", 200],
    ]);
    const fromApi = await db.attempt.count({ where: { endpointId: endpoint.id } });
    expect(fromApi).toBe(3);
  });

  it("sleeps exactly seed 000's schedule (1m, 5m, 30m, 2h) and then fails", async () => {
    const ctx = await makeWorkspace();
    const target = await receiver(() => 503);
    await services.createEndpoint(ctx, { title: "meetings", url: target.url, retryPolicy: { preset: "fixed" }, timeoutMs: 5000 });
    const published = await services.publish(ctx, { eventType: "meeting_booked", payload: { event: "meeting_booked" } });
    const deliveryId = published.deliveries[0]!.id;
    const pool = new pg.Pool({ connectionString: url });
    const expected = [60_000, 300_000, 1_800_000, 7_200_000];
    try {
      for (const [index, delay] of expected.entries()) {
        // The endpoint's retries wake up (deliver-retries sleeps on `due`) exactly `delay` after the attempt ended (fixed has no jitter).
        const job = await waitFor(async () => {
          const { rows } = await pool.query(
            `SELECT j.id, j.due_at, j.name FROM inngest_engine.jobs j JOIN inngest_engine.runs r ON r.id = j.run_id
             WHERE j.kind = 'wake' AND r.event_id IN (SELECT id FROM inngest_engine.events
                                                       WHERE name = 'hookline/endpoint.retries' AND payload->'data'->>'endpointId' = $1)`,
            [published.deliveries[0]!.endpointId],
          );
          return rows[0] as { id: string; due_at: Date; name: string } | undefined;
        }, 15_000, `sleep ${index + 1}`);
        expect(job.name).toBe("due");
        const attempt = await db.attempt.findFirstOrThrow({ where: { deliveryId, number: index + 1 } });
        const asked = job.due_at.getTime() - (attempt.createdAt.getTime() + attempt.durationMs);
        expect(asked).toBe(delay);
        expect(await deliveryStatus(deliveryId)).toBe("PENDING");
        // Fast-forward the sleep instead of waiting for it.
        await pool.query(`UPDATE inngest_engine.jobs SET due_at = now() WHERE id = $1`, [job.id]);
        await waitFor(async () => (await db.attempt.count({ where: { deliveryId } })) === index + 2, 15_000, `attempt ${index + 2}`);
      }
      await waitFor(async () => (await deliveryStatus(deliveryId)) === "FAILED", 15_000, "the delivery to fail");
      expect(target.hits).toHaveLength(5);
    } finally {
      await pool.end();
    }
  });

  it("keeps a hanging endpoint from delaying a healthy one", async () => {
    const ctx = await makeWorkspace();
    const hanging = await receiver(() => "hang");
    const healthy = await receiver(() => 200);
    const hangingEndpoint = await services.createEndpoint(ctx, { title: "hangs", url: hanging.url, eventTypes: ["slow"], timeoutMs: 10_000, retryPolicy: { preset: "none" } });
    await services.createEndpoint(ctx, { title: "fine", url: healthy.url, eventTypes: ["fast"] });
    for (let i = 0; i < 15; i++) await services.publish(ctx, { eventType: "slow", payload: { i } });
    await waitFor(async () => hanging.hits.length >= 10, 10_000, "the hanging endpoint to be busy");
    for (let i = 0; i < 5; i++) await services.publish(ctx, { eventType: "fast", payload: { i } });
    await waitFor(async () => healthy.hits.length === 5, 30_000, "the healthy deliveries");
    // Every healthy message arrived while the hanging calls were still open: none of them has
    // timed out (10 s) and been recorded yet. Ordered by cause, not by a stopwatch.
    expect(await db.attempt.count({ where: { endpointId: hangingEndpoint.id } })).toBe(0);
    expect(hanging.hits.length).toBeLessThanOrEqual(10); // its concurrency limit holds the rest back
  });

  it("keeps a slow endpoint's backlog in PostgreSQL, not claimed into the worker, and delivers it in turn, each once", async () => {
    const ctx = await makeWorkspace();
    // Four at a time, each answered after 300 ms: about 13 requests a second.
    const hits: string[] = [];
    const server = http.createServer((request, response) => {
      hits.push(String(request.headers["webhook-id"]));
      request.resume();
      request.on("end", () => setTimeout(() => response.writeHead(200).end("{}"), 300));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const endpoint = await services.createEndpoint(ctx, {
        title: "slow with a backlog",
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
        eventTypes: ["backlog"],
        maxConcurrency: 4,
      });
      const publishMany = (count: number) =>
        services.publishBatch(ctx, { messages: Array.from({ length: count }, (_, i) => ({ eventType: "backlog", payload: { i } })) });
      await publishMany(100);
      await waitFor(async () => hits.length >= 4, 10_000, "the endpoint to be busy");
      const first = new Set((await db.delivery.findMany({ where: { endpointId: endpoint.id }, select: { id: true } })).map(({ id }) => id));
      await publishMany(60);
      const second = (await db.delivery.findMany({ where: { endpointId: endpoint.id }, select: { id: true } })).map(({ id }) => id).filter((id) => !first.has(id));
      expect(second).toHaveLength(60);
      // The lane has about a hundred queued at 13 a second: the next batch is handed back to wait
      // in the endpoint's backlog (PENDING, its turn ahead), not claimed behind them.
      await waitFor(
        async () =>
          (await db.delivery.count({ where: { id: { in: second }, status: "PENDING", deferredUntil: { gt: new Date(Date.now() + 2_000) } } })) === 60,
        10_000,
        "the second batch to wait in the backlog",
      );
      expect(await db.delivery.count({ where: { endpointId: endpoint.id, status: "SENDING" } })).toBeLessThanOrEqual(100);
      const turns = new Map((await db.delivery.findMany({ where: { id: { in: second } } })).map((row) => [row.id, row.nextAttemptAt!.getTime()]));
      // Its wake-ups request them (and their batches backfill the lane): all 160 delivered, each
      // exactly once.
      await waitFor(async () => (await db.delivery.count({ where: { endpointId: endpoint.id, status: "SUCCEEDED" } })) === 160, 40_000, "the whole backlog");
      expect(hits).toHaveLength(160);
      expect(new Set(hits).size).toBe(160);
      const attempts = await db.attempt.findMany({ where: { deliveryId: { in: second } } });
      expect(attempts).toHaveLength(60);
      expect(attempts.every((attempt) => attempt.number === 1)).toBe(true);
      expect(turns.size).toBe(60);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("schedules the retries of attempts that finish after their batch, several in one send, on the endpoint's schedule", async () => {
    const ctx = await makeWorkspace();
    // The first five requests answer 500 together, 1.3 s after the fifth came: past the 1 s
    // patience of whichever batch each came in (a loaded machine may spread them over several), and
    // finishing together, as a hanging endpoint's requests time out. Later ones answer 200.
    const hits: number[] = [];
    const held: http.ServerResponse[] = [];
    const server = http.createServer((request, response) => {
      request.resume();
      request.on("end", () => {
        hits.push(Date.now());
        if (hits.length > 5) return void response.writeHead(200).end("{}");
        held.push(response);
        if (held.length === 5) setTimeout(() => held.forEach((one) => one.writeHead(500).end("{}")), 1_300);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { inngest } = await import("@/inngest/client");
    const send = vi.spyOn(inngest, "send");
    try {
      const endpoint = await services.createEndpoint(ctx, {
        title: "slow then fine",
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
        timeoutMs: 5_000, // were fewer than five to come, the held ones time out well before the test does
        eventTypes: ["late"],
        retryPolicy: { preset: "custom", delaysMs: [1000], jitter: false },
      });
      await Promise.all([0, 1, 2, 3, 4].map((i) => services.publish(ctx, { eventType: "late", payload: { i } })));
      const all = await db.delivery.findMany({ where: { endpointId: endpoint.id }, select: { id: true } });
      expect(all).toHaveLength(5);
      for (const { id } of all) await waitFor(async () => (await deliveryStatus(id)) === "SUCCEEDED", 20_000, `delivery ${id}`);
      const attempts = await db.attempt.findMany({ where: { endpointId: endpoint.id }, orderBy: { createdAt: "asc" } });
      // Each delivery: the late 500, then one retry that succeeded, 1 s after the failure at the earliest.
      for (const { id } of all) {
        const mine = attempts.filter((attempt) => attempt.deliveryId === id);
        expect(mine.map((attempt) => [attempt.number, attempt.responseStatus])).toEqual([[1, 500], [2, 200]]);
        expect(mine[1]!.createdAt.getTime()).toBeGreaterThanOrEqual(mine[0]!.createdAt.getTime() + mine[0]!.durationMs + 1_000 - 5);
      }
      // The five retries were asked for in fewer sends than five (they finished together), as
      // wake-ups of the endpoint's retries, not a run each.
      const sent = send.mock.calls.flatMap(([payload]) => [payload].flat());
      expect(sent.filter((event) => event.name === "hookline/delivery.retry")).toEqual([]);
      const wakes = sent.filter((event) => event.name === "hookline/endpoint.retries");
      expect(wakes.length).toBeGreaterThanOrEqual(1);
      // The first wake-up covers the later retries: theirs are left out, not sent one each.
      expect(wakes.length).toBeLessThanOrEqual(2);
      expect(wakes.every((event) => event.data.endpointId === endpoint.id)).toBe(true);
      const wakeSends = send.mock.calls.filter(([payload]) => [payload].flat().some((event) => event.name === "hookline/endpoint.retries"));
      expect(wakeSends.length).toBeLessThan(5);
    } finally {
      send.mockRestore();
      server.closeAllConnections();
      server.close();
    }
  });

  it("requests a burst's retries through a few wake-ups of their endpoint, each at or after its instant", async () => {
    const ctx = await makeWorkspace();
    // Every first attempt fails, every second succeeds: 40 retries fall due within the burst's span.
    const target = await receiver((hit) => (hit.headers["x-hookline-attempt"] === "1" ? 500 : 200));
    const endpoint = await services.createEndpoint(ctx, {
      title: "fails first",
      url: target.url,
      eventTypes: ["burst"],
      retryPolicy: { preset: "custom", delaysMs: [1500], jitter: false },
    });
    await services.publishBatch(ctx, { messages: Array.from({ length: 40 }, (_, i) => ({ eventType: "burst", payload: { i } })) });
    await waitFor(async () => (await db.delivery.count({ where: { endpointId: endpoint.id, status: "SUCCEEDED" } })) === 40, 30_000, "every retry");
    const attempts = await db.attempt.findMany({ where: { endpointId: endpoint.id }, orderBy: [{ deliveryId: "asc" }, { number: "asc" }] });
    expect(attempts).toHaveLength(80);
    for (let i = 0; i < attempts.length; i += 2) {
      const [first, second] = [attempts[i]!, attempts[i + 1]!];
      expect([first.deliveryId, first.number, first.responseStatus, second.number, second.responseStatus]).toEqual([second.deliveryId, 1, 500, 2, 200]);
      // Never before its instant (attempt 1's end + 1.5 s; durations are stored rounded to the ms).
      expect(second.createdAt.getTime()).toBeGreaterThanOrEqual(first.createdAt.getTime() + first.durationMs + 1_500 - 1);
    }
    // One wake-up served many retries: no run of its own per retry.
    const { rows } = await pool.query<{ name: string; runs: number }>(
      `SELECT e.name, count(*)::int AS runs FROM inngest_engine.runs r JOIN inngest_engine.events e ON e.id = r.event_id
        WHERE e.name IN ('hookline/endpoint.retries', 'hookline/delivery.retry') AND e.payload->'data'->>'endpointId' = $1 GROUP BY e.name`,
      [endpoint.id],
    );
    const runs = Object.fromEntries(rows.map((row) => [row.name, row.runs]));
    expect(runs["hookline/delivery.retry"]).toBeUndefined();
    expect(runs["hookline/endpoint.retries"]).toBeGreaterThanOrEqual(1);
    expect(runs["hookline/endpoint.retries"]).toBeLessThan(20);
  });

  it("keeps a retry that a failed manual resend held through its instant", async () => {
    const ctx = await makeWorkspace();
    // 1: the scheduled attempt fails; 2: the manual resend is held past the retry's instant, then fails; 3: fine.
    const target = await receiver((_hit, count) => (count === 2 ? "hang" : count === 1 ? 500 : 200));
    const endpoint = await services.createEndpoint(ctx, {
      title: "resent while waiting",
      url: target.url,
      eventTypes: ["resent"],
      timeoutMs: 2_500,
      retryPolicy: { preset: "custom", delaysMs: [1000], jitter: false },
    });
    const published = await services.publish(ctx, { eventType: "resent", payload: { x: 1 } });
    const deliveryId = published.deliveries[0]!.id;
    await waitFor(async () => (await db.attempt.count({ where: { deliveryId } })) === 1, 10_000, "the first attempt");
    await services.resendDeliveries(ctx, [deliveryId]);
    // The endpoint's retries wake up while the resend holds the delivery (SENDING): they cannot
    // request it then. Once the resend failed (timed out) the delivery waits for its retry again,
    // and it still comes, without the sweep.
    await waitFor(async () => (await deliveryStatus(deliveryId)) === "SUCCEEDED", 15_000, "the kept retry");
    const attempts = await db.attempt.findMany({ where: { deliveryId }, orderBy: { number: "asc" } });
    expect(attempts.map((a) => [a.number, a.trigger, a.responseStatus, a.errorCode])).toEqual([
      [1, "SCHEDULED", 500, "HTTP_ERROR"],
      [2, "MANUAL", null, "TIMEOUT"],
      [3, "SCHEDULED", 200, null],
    ]);
    const first = attempts[0]!;
    expect(attempts[2]!.createdAt.getTime()).toBeGreaterThanOrEqual(first.createdAt.getTime() + first.durationMs + 1_000 - 1);
    expect(target.hits).toHaveLength(3);
    expect(endpoint.id).toBe(published.deliveries[0]!.endpointId);
  });

  it("delivers a delivery that was committed but never requested, once sweep runs", async () => {
    const ctx = await makeWorkspace();
    const target = await receiver(() => 200);
    const endpoint = await services.createEndpoint(ctx, { title: "orphan", url: target.url });
    // As if the process died between the publish transaction and inngest.send.
    const message = await db.message.create({ data: { id: "msg_orphan_1", workspaceId: ctx.workspaceId, eventType: "x", body: '{"x":1}' } });
    const delivery = await db.delivery.create({
      data: { id: "dlv_orphan_1", workspaceId: ctx.workspaceId, messageId: message.id, endpointId: endpoint.id, createdAt: new Date(Date.now() - 60_000) },
    });
    expect(await services.requestUnsentDeliveries()).toBeGreaterThanOrEqual(1);
    await waitFor(async () => (await deliveryStatus(delivery.id)) === "SUCCEEDED", 10_000, "the swept delivery");
    expect(target.hits.map((hit) => hit.body)).toEqual(['{"x":1}']);
    // Sweeping again sends nothing new: the delivery is requested now.
    expect(await services.requestUnsentDeliveries()).toBe(0);
  });

  it("requests a publish's deliveries in the publish's own statement on the local engine: no send, nothing left unrequested", async () => {
    const ctx = await makeWorkspace();
    const target = await receiver(() => 200);
    const endpoints = await Promise.all(["a", "b", "c"].map((title) => services.createEndpoint(ctx, { title, url: target.url, eventTypes: ["direct"] })));
    const paused = await services.createEndpoint(ctx, { title: "off", url: target.url, eventTypes: ["direct"], enabled: false });
    const { inngest } = await import("@/inngest/client");
    const send = vi.spyOn(inngest, "send");
    // The engine is woken after the commit (a NOTIFY outside the publish's transaction).
    const listener = new pg.Client({ connectionString: url });
    await listener.connect();
    const wakes: string[] = [];
    listener.on("notification", (message) => wakes.push(message.payload ?? ""));
    await listener.query("LISTEN inngest_engine");
    try {
      const published = await services.publish(ctx, { eventType: "direct", payload: { n: 1 } });
      expect(send).not.toHaveBeenCalled();
      await waitFor(async () => wakes.includes(""), 5_000, "the engine to be woken");
      const pending = published.deliveries.filter((d) => d.status === "PENDING");
      expect(pending.map((d) => d.endpointId).sort()).toEqual(endpoints.map((e) => e.id).sort());
      // Requested with their creation: the sweep's unsent rule never sees them.
      const rows = await db.delivery.findMany({ where: { messageId: published.message.id } });
      for (const row of rows) expect(row.requestedAt === null).toBe(row.endpointId === paused.id);
      // The engine's events, as `inngest.send` would have stored them (same id, same data).
      const { rows: events } = await pool.query(`SELECT name, payload, external_id FROM inngest_engine.events WHERE external_id = ANY($1) ORDER BY external_id`, [
        pending.map((d) => `${d.id}:initial`),
      ]);
      expect(events).toHaveLength(3);
      for (const event of events) {
        expect(event.name).toBe("hookline/delivery.requested");
        expect(event.payload).toMatchObject({ name: event.name, id: event.external_id, data: { deliveryId: event.external_id.split(":")[0] } });
      }
      await waitFor(async () => (await db.delivery.count({ where: { messageId: published.message.id, status: "SUCCEEDED" } })) === 3, 10_000, "3 SUCCEEDED");
      // A later request of the same round (the sweep's) is dropped by the engine as a repeat.
      await inngest.send(pending.map((d) => ({ name: "hookline/delivery.requested", data: { deliveryId: d.id, endpointId: d.endpointId }, id: `${d.id}:initial` })));
      const { rows: again } = await pool.query(`SELECT count(*)::int AS n FROM inngest_engine.events WHERE external_id = ANY($1)`, [pending.map((d) => `${d.id}:initial`)]);
      expect(again[0].n).toBe(3);
      expect(await db.attempt.count({ where: { delivery: { messageId: published.message.id } } })).toBe(3);
    } finally {
      send.mockRestore();
      await listener.end();
    }
  });

  it("requests the deliveries one statement stores with one event per endpoint, and delivers each of them once", async () => {
    const ctx = await makeWorkspace();
    const target = await receiver(() => 200);
    const endpoints = await Promise.all(["a", "b"].map((title) => services.createEndpoint(ctx, { title, url: target.url, eventTypes: ["grouped"] })));
    // 30 messages in one statement: 60 deliveries, 30 per endpoint; an event stands for at most 4.
    const { messages } = await services.publishBatch(ctx, { messages: Array.from({ length: 30 }, (_, n) => ({ eventType: "grouped", payload: { n } })) });
    const deliveries = messages.flatMap((m) => m.deliveries);
    expect(deliveries).toHaveLength(60);
    const { rows: events } = await pool.query<{ payload: { id: string; data: { deliveryId: string; more?: string[]; endpointId: string; attempt: number } } }>(
      `SELECT payload FROM inngest_engine.events WHERE payload->'data'->>'endpointId' = ANY($1)`,
      [endpoints.map((e) => e.id)],
    );
    expect(events).toHaveLength(16); // 7 × 4 + 2 for each endpoint
    const requested = events.flatMap(({ payload }) => [payload.data.deliveryId, ...(payload.data.more ?? [])]);
    expect(requested.sort()).toEqual(deliveries.map((d) => d.id).sort());
    for (const { payload } of events) {
      // The first request's id and a digest of the group's deliveries: a repeat of the group is a repeat.
      expect(payload.id).toMatch(new RegExp(`^${payload.data.deliveryId}:initial:[A-Za-z0-9_-]{16}$`));
      expect(payload.data.attempt).toBe(1);
      const mine = deliveries.filter((d) => d.endpointId === payload.data.endpointId).map((d) => d.id);
      for (const id of payload.data.more ?? []) expect(mine).toContain(id);
    }
    await waitFor(async () => (await db.delivery.count({ where: { id: { in: requested }, status: "SUCCEEDED" } })) === 60, 15_000, "60 SUCCEEDED");
    expect(await db.attempt.count({ where: { deliveryId: { in: requested } } })).toBe(60);
    // Each message once at each endpoint (webhook-id is the message's id, the same at both).
    expect(target.hits).toHaveLength(60);
    const perMessage = new Map<unknown, number>();
    for (const hit of target.hits) perMessage.set(hit.headers["webhook-id"], (perMessage.get(hit.headers["webhook-id"]) ?? 0) + 1);
    expect([...perMessage.values()]).toEqual(Array(30).fill(2));
  });

  it("reads the engine's functions again when they were re-synced since publish last looked (nothing half-written)", async () => {
    const ctx = await makeWorkspace();
    const target = await receiver(() => 200);
    await services.createEndpoint(ctx, { title: "resync", url: target.url, eventTypes: ["resync"] });
    await services.publish(ctx, { eventType: "resync", payload: { n: 0 } }); // the plan is read and kept
    const { rows: before } = await pool.query(`SELECT id, config FROM inngest_engine.functions WHERE config->'events' ? 'hookline/delivery.requested'`);
    // A re-sync that changed the function: its batches are now keyed by delivery, not endpoint.
    await pool.query(`UPDATE inngest_engine.functions SET config = jsonb_set(config, '{batch,key}', '"event.data.deliveryId"') WHERE id = ANY($1)`, [
      before.map((row) => row.id),
    ]);
    try {
      // A plan read before the re-sync no longer fits: its statement fails whole, writing nothing.
      const { intakeCtes, intakeParams, isStalePlan, loadIntakePlan } = await import("@/inngest/engine/intake");
      const read = (name: string, text: string, values: unknown[]) => pool.query({ name, text, values });
      const stale = { ...(await loadIntakePlan(read, "hookline/delivery.requested"))!, digest: "before the re-sync" };
      const event = { name: "hookline/delivery.requested", data: { deliveryId: "dlv_stale", endpointId: "ep_stale" }, id: "dlv_stale:initial" };
      const statement = `WITH ${intakeCtes(1)} SELECT (SELECT count(*) FROM intake_items)::int AS n`;
      const failure = await pool.query(statement, intakeParams(stale, [event])).catch((error: unknown) => error);
      expect(isStalePlan(failure)).toBe(true);
      expect((await pool.query(`SELECT count(*)::int AS n FROM inngest_engine.events WHERE external_id = 'dlv_stale:initial'`)).rows[0].n).toBe(0);

      const published = await services.publish(ctx, { eventType: "resync", payload: { n: 1 } });
      const deliveryId = published.deliveries[0]!.id;
      const { rows } = await pool.query(`SELECT id FROM inngest_engine.events WHERE external_id = $1`, [`${deliveryId}:initial`]);
      expect(rows).toHaveLength(1);
      // Queued under the re-synced key: publish read the plan again.
      const { rows: keys } = await pool.query(
        `SELECT batch_key FROM inngest_engine.batch_items WHERE event_id = $1
         UNION ALL SELECT batch_key FROM inngest_engine.runs WHERE $1 = ANY(batch_event_ids)`,
        [rows[0].id],
      );
      expect(keys).toEqual([{ batch_key: deliveryId }]);
      expect(await db.message.count({ where: { workspaceId: ctx.workspaceId } })).toBe(2);
      await waitFor(async () => target.hits.length === 2, 10_000, "both delivered");
    } finally {
      for (const row of before) await pool.query(`UPDATE inngest_engine.functions SET config = $2 WHERE id = $1`, [row.id, row.config]);
    }
  });

  it("sends the requests of concurrent publishes together (group commit) and delivers each once, when the executor is Inngest", async () => {
    const ctx = await makeWorkspace();
    const target = await receiver(() => 200);
    await services.createEndpoint(ctx, { title: "burst", url: target.url, eventTypes: ["burst"] });
    const { inngest } = await import("@/inngest/client");
    const send = vi.spyOn(inngest, "send");
    // With Inngest (Cloud or self-hosted), the requests are sent after the publish committed.
    process.env.HOOKLINE_EXECUTOR = "inngest";
    resetEnv();
    try {
      const published = await Promise.all(Array.from({ length: 30 }, (_, i) => services.publish(ctx, { eventType: "burst", payload: { i } })));
      // Two sends may be on their way at once; the rest of the 30 requests wait and go out together.
      const burstSends = send.mock.calls.filter(([events]) => JSON.stringify(events).includes(published[0]!.deliveries[0]!.endpointId));
      expect(burstSends.length).toBeLessThan(30);
      // Requests of one endpoint that went out together are one event, standing for up to 4 (`more`).
      const sentEvents = burstSends.flatMap(([events]) => (Array.isArray(events) ? events : [events]));
      const sentIds = sentEvents.flatMap((event) => [event.data.deliveryId as string, ...((event.data.more as string[] | undefined) ?? [])]);
      expect(sentIds.sort()).toEqual(published.map((p) => p.deliveries[0]!.id).sort());
      expect(sentEvents.length).toBeLessThan(30);
      await waitFor(async () => new Set(target.hits.map((hit) => hit.headers["webhook-id"])).size === 30, 20_000, "the 30 deliveries");
      const ids = published.map((p) => p.deliveries[0]!.id);
      await waitFor(async () => (await db.delivery.count({ where: { id: { in: ids }, status: "SUCCEEDED" } })) === 30, 10_000, "30 SUCCEEDED");
      expect(await db.attempt.count({ where: { deliveryId: { in: ids } } })).toBe(30);
    } finally {
      send.mockRestore();
      process.env.HOOKLINE_EXECUTOR = "local-engine";
      resetEnv();
    }
  });
});
