import "@/tests/helpers/no-executor-env";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "@/lib/db/client";
import { resetEnv } from "@/lib/env";
import { createEndpoint } from "@/lib/features/endpoints/service";
import { publish } from "@/lib/features/messages/publish";
import { storePublish, type StoreJob } from "@/lib/features/messages/store";
import { newId } from "@/lib/ids";
import { makeWorkspace } from "@/tests/helpers/factories";
import { useTestDb } from "@/tests/helpers/services";

// Group commit of publishes (lib/features/messages/store.ts): concurrent publishes share
// statements, each keeps its own rows, and a statement PostgreSQL refuses is split up.
process.env.HOOKLINE_ALLOW_PRIVATE_NETWORKS = "true";
let db: Db;

beforeAll(async () => {
  vi.spyOn(console, "error").mockImplementation(() => {}); // no executor: the publish's send fails, as expected
  resetEnv();
  ({ db } = await useTestDb());
});

/** How many transactions stored these messages (rows written by one statement share its xmin). */
async function transactions(messageIds: string[]) {
  const rows = await db.$queryRawUnsafe<Array<{ n: number }>>(`SELECT count(DISTINCT xmin::text)::int AS n FROM "Message" WHERE id = ANY($1::text[])`, messageIds);
  return rows[0]!.n;
}

describe("publishing under concurrency", () => {
  it("stores concurrent publishes of two workspaces in fewer statements, each message with its own workspace, flags and matching endpoints", async () => {
    const a = await makeWorkspace();
    const b = await makeWorkspace();
    const endpointsOf = async (ctx: typeof a) => [
      await createEndpoint(ctx, { title: "One", url: "http://127.0.0.1:9/one", eventTypes: [] }),
      await createEndpoint(ctx, { title: "Two", url: "http://127.0.0.1:9/two", eventTypes: ["thing.happened"] }),
    ];
    const [[allA, thingA], [allB, thingB]] = [await endpointsOf(a), await endpointsOf(b)];
    // What each publish must reach: its own workspace's endpoints that want its event type (the
    // lookups of one workspace's publishes are shared, so each picks its own).
    const wanted = (workspaceId: string, eventType: string) =>
      (workspaceId === a.workspaceId ? [allA!, ...(eventType === "thing.happened" ? [thingA!] : [])] : [allB!, ...(eventType === "thing.happened" ? [thingB!] : [])])
        .map((endpoint) => endpoint.id)
        .sort();

    const burst = Array.from({ length: 24 }, (_, i) => ({ ctx: i % 2 ? b : a, test: i % 3 === 0, n: i, eventType: i % 4 < 2 ? "thing.happened" : "other.happened" }));
    const published = await Promise.all(burst.map(({ ctx, test, n, eventType }) => publish(ctx, { eventType, payload: { n } }, { test })));

    const ids = published.map((result) => result.message.id);
    expect(new Set(ids).size).toBe(24);
    const stored = await db.message.findMany({ where: { id: { in: ids } }, include: { deliveries: true } });
    expect(stored).toHaveLength(24);
    for (const [index, { ctx, test, n, eventType }] of burst.entries()) {
      const message = stored.find((candidate) => candidate.id === ids[index])!;
      expect(message.workspaceId).toBe(ctx.workspaceId);
      expect(message.test).toBe(test);
      expect(JSON.parse(message.body)).toEqual({ n });
      expect(message.eventType).toBe(eventType);
      expect(message.deliveries.map((delivery) => delivery.endpointId).sort()).toEqual(wanted(ctx.workspaceId, eventType));
      expect(message.deliveries.every((delivery) => delivery.workspaceId === ctx.workspaceId && delivery.status === "PENDING")).toBe(true);
      expect(message.deliveries.every((delivery) => delivery.createdAt.getTime() === message.createdAt.getTime())).toBe(true);
      // No executor: nothing requested the deliveries, so the sweep will.
      expect(message.deliveries.every((delivery) => delivery.requestedAt === null)).toBe(true);
    }
    expect(await transactions(ids)).toBeLessThan(24);
  });

  it("two concurrent publishes with one new idempotency key store one message and both answer with it", async () => {
    const ctx = await makeWorkspace();
    await createEndpoint(ctx, { title: "One", url: "http://127.0.0.1:9/one", eventTypes: [] });
    const input = (n: number, idempotencyKey?: string) => ({ eventType: "thing.happened", payload: { n }, ...(idempotencyKey ? { idempotencyKey } : {}) });
    const results = await Promise.all([
      ...Array.from({ length: 6 }, (_, n) => publish(ctx, input(n))),
      publish(ctx, input(100, "order-7")),
      publish(ctx, input(100, "order-7")),
      ...Array.from({ length: 6 }, (_, n) => publish(ctx, input(n + 6))),
    ]);
    const keyed = results.slice(6, 8);
    expect(keyed[0]!.message.id).toBe(keyed[1]!.message.id);
    expect(keyed.map((result) => result.created).sort()).toEqual([false, true]);
    expect(await db.message.count({ where: { workspaceId: ctx.workspaceId } })).toBe(13);
    expect(await db.delivery.count({ where: { workspaceId: ctx.workspaceId } })).toBe(13);
  });
});

describe("storePublish", () => {
  it("splits a refused statement: the others of its group are stored, the refused publish alone gets the error", async () => {
    const ctx = await makeWorkspace();
    const endpoint = await createEndpoint(ctx, { title: "One", url: "http://127.0.0.1:9/one", eventTypes: [] });
    const job = (messageId: string): StoreJob => ({
      workspaceId: ctx.workspaceId,
      test: false,
      createdAt: new Date().toISOString(),
      messages: [{ id: messageId, eventType: "thing.happened", account: null, body: "{}", idempotencyKey: null }],
      deliveries: [{ id: newId("dlv"), messageId, endpointId: endpoint.id, status: "PENDING" }],
    });
    const ids = Array.from({ length: 5 }, () => newId("msg"));
    // Two statements go at once; the next three wait and leave together. The fourth repeats the
    // third's message id, so that statement is refused whole (unique violation) and split up.
    const jobs = [job(ids[0]!), job(ids[1]!), job(ids[2]!), job(ids[2]!), job(ids[4]!)];
    const settled = await Promise.allSettled(jobs.map((one) => storePublish(one)));

    expect(settled.map((outcome) => outcome.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "rejected", "fulfilled"]);
    expect((settled[3] as PromiseRejectedResult).reason).toMatchObject({ code: "23505" });
    const stored = await db.message.findMany({ where: { id: { in: ids } }, include: { deliveries: true } });
    expect(stored.map((message) => message.id).sort()).toEqual([ids[0], ids[1], ids[2], ids[4]].sort());
    // The refused publish wrote nothing: its delivery is not there either.
    expect(await db.delivery.findUnique({ where: { id: jobs[3]!.deliveries[0]!.id } })).toBeNull();
    expect(stored.every((message) => message.deliveries.length === 1)).toBe(true);
  });
});
