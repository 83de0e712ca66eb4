import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { ServiceContext } from "@/lib/context";
import type { Db } from "@/lib/db/client";
import { makeWorkspace } from "@/tests/helpers/factories";
import { useTestDb } from "@/tests/helpers/services";

/**
 * A real HTTP event API in place of the executor (what `inngest.send` talks to): it records
 * the events, can be made to fail, and drops a repeated event id like Inngest does for 24 h.
 */
const sink = {
  failing: false,
  /** Take the request but answer only when released: the moment between publish's commit and a send the executor confirms. */
  hold: undefined as Promise<void> | undefined,
  seen: new Set<string>(),
  accepted: [] as Array<{ id: string; deliveryId: string }>,
};
const server = http.createServer((request, response) => {
  let body = "";
  request.on("data", (chunk) => (body += chunk));
  request.on("end", async () => {
    if (sink.hold) await sink.hold;
    if (sink.failing) return response.writeHead(503).end("down");
    const events = JSON.parse(body) as Array<{ id: string; data: { deliveryId: string; more?: string[] } }>;
    for (const event of events) {
      if (sink.seen.has(event.id)) continue; // deduplicated: no run starts
      sink.seen.add(event.id);
      // An event stands for its deliveryId and those in its `more` (lib/delivery/requests.ts).
      for (const deliveryId of [event.data.deliveryId, ...(event.data.more ?? [])]) sink.accepted.push({ id: event.id, deliveryId });
    }
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ids: events.map((e) => e.id), status: 200 }));
  });
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
process.env.INNGEST_DEV = "1";
process.env.INNGEST_BASE_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
process.env.HOOKLINE_ENCRYPTION_KEY = Buffer.alloc(32, 9).toString("base64");
process.env.HOOKLINE_ALLOW_PRIVATE_NETWORKS = "true";

const { resetEnv } = await import("@/lib/env");
resetEnv();
const { sweepDeliveries, requeueExpiredLeases } = await import("@/lib/delivery/maintenance");
const { requeueFailedBatch } = await import("@/lib/delivery/resend");
const { publish } = await import("@/lib/features/messages/publish");
const { createEndpoint } = await import("@/lib/features/endpoints/service");

let db: Db;
let ctx: ServiceContext;
let endpointId: string;
const MINUTE = 60_000;
const ago = (ms: number) => new Date(Date.now() - ms);

beforeAll(async () => {
  vi.spyOn(console, "error").mockImplementation(() => {});
  ({ db } = await useTestDb());
  ctx = await makeWorkspace("OWNER");
  endpointId = (await createEndpoint(ctx, { title: "E", url: "http://127.0.0.1:9/e" })).id;
});
beforeEach(() => {
  sink.failing = false;
  sink.accepted.length = 0;
});

async function published() {
  const result = await publish(ctx, { eventType: "call:completed", payload: { n: Math.random() } });
  return result.deliveries[0]!.id;
}
const requested = (id: string) => sink.accepted.filter((event) => event.deliveryId === id);
const age = (id: string, data: Record<string, unknown>) => db.delivery.update({ where: { id }, data: { updatedAt: ago(10 * MINUTE), createdAt: ago(10 * MINUTE), ...data } });

describe("no stranded deliveries: every unfinished delivery is running or due (finding 2)", () => {
  it("a swallowed send error at publish is repaired by the sweep", async () => {
    sink.failing = true;
    const id = await published();
    sink.failing = false;
    expect((await db.delivery.findUniqueOrThrow({ where: { id } })).requestedAt).toBeNull();
    await age(id, {});
    await sweepDeliveries();
    expect(requested(id)).toHaveLength(1);
  });

  it("a publish cut off between its commit and the executor's answer is requested by the sweep's unsent rule, within seconds", async () => {
    let release = () => {};
    sink.hold = new Promise<void>((resolve) => (release = resolve));
    const publishing = published();
    let unsent: Array<{ id: string }>;
    try {
      // Committed, its send not yet answered: had the process died right here, only the sweep could
      // find the delivery, and it must read as not requested (not "requested, wait 5 min").
      await expect.poll(async () => (await db.delivery.findMany({ where: { requestedAt: null, status: "PENDING" }, select: { id: true } })).length).toBeGreaterThan(0);
      unsent = await db.delivery.findMany({ where: { requestedAt: null, status: "PENDING" }, select: { id: true } });
    } finally {
      sink.hold = undefined;
      release();
    }
    const id = await publishing;
    expect(unsent.map((row) => row.id)).toContain(id);
    // Once the executor took it, it is marked requested (one statement per send).
    expect((await db.delivery.findUniqueOrThrow({ where: { id } })).requestedAt).not.toBeNull();
  });

  it("a lease requeued while the executor is down is requested on a later pass (requestedAt cleared)", async () => {
    const id = await published();
    await age(id, { status: "SENDING", leaseExpiresAt: ago(10 * MINUTE), requestedAt: ago(10 * MINUTE) });
    sink.failing = true;
    expect(await requeueExpiredLeases()).toBe(1);
    sink.failing = false;
    sink.accepted.length = 0;
    await age(id, {});
    await sweepDeliveries();
    expect(requested(id)).toHaveLength(1);
    expect((await db.delivery.findUniqueOrThrow({ where: { id } })).status).toBe("PENDING");
  });

  it("a killed worker's SENDING delivery is handed back shortly after its lease ran out, not before", async () => {
    const running = await published();
    const gone = await published();
    await age(running, { status: "SENDING", leaseExpiresAt: new Date(Date.now() + 10_000) });
    await age(gone, { status: "SENDING", leaseExpiresAt: ago(30_000) });
    sink.accepted.length = 0;
    await sweepDeliveries();
    expect(requested(gone)).toHaveLength(1);
    expect(requested(running)).toHaveLength(0);
    expect((await db.delivery.findUniqueOrThrow({ where: { id: running } })).status).toBe("SENDING");
  });

  it("a re-request is never dropped as a duplicate of the first request's event id", async () => {
    const id = await published();
    expect(requested(id)).toHaveLength(1);
    // The send reached the executor but recording it did not (a crash): requestedAt is still null.
    await age(id, { requestedAt: null });
    await sweepDeliveries();
    expect(requested(id)).toHaveLength(2);
  });

  it("a deliver run that gave up (retries out during an outage) hands the delivery back to the sweep", async () => {
    const id = await published();
    // PENDING, requested long ago, its next attempt long overdue, no run holds it.
    await age(id, { requestedAt: ago(10 * MINUTE), nextAttemptAt: ago(9 * MINUTE), attemptCount: 2 });
    sink.accepted.length = 0;
    const result = await sweepDeliveries();
    expect(result.stranded).toBeGreaterThanOrEqual(1);
    expect(requested(id)).toHaveLength(1);
  });

  it("leaves alone a delivery that is due later or was just requested", async () => {
    const due = await published();
    await age(due, { requestedAt: ago(10 * MINUTE), nextAttemptAt: new Date(Date.now() + 60 * MINUTE) });
    const fresh = await published();
    sink.accepted.length = 0;
    await sweepDeliveries();
    expect(requested(due)).toHaveLength(0);
    expect(requested(fresh)).toHaveLength(0);
  });

  it("recover includes stranded PENDING deliveries", async () => {
    const id = await published();
    await age(id, { requestedAt: ago(10 * MINUTE), nextAttemptAt: null });
    sink.accepted.length = 0;
    await requeueFailedBatch(endpointId, ago(60 * MINUTE), null, `recover-${Date.now()}`);
    expect(requested(id)).toHaveLength(1);
  });
});
