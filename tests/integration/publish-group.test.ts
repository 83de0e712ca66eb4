import "@/tests/helpers/no-executor-env";
import pg from "pg";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "@/lib/db/client";
import { resetEnv } from "@/lib/env";
import { createEndpoint, deleteEndpoint, setEndpointEnabled, updateEndpoint } from "@/lib/features/endpoints/service";
import { createEventType, updateEventType } from "@/lib/features/event-types/service";
import { publish, publishBatch } from "@/lib/features/messages/publish";
import { storePublish, type StoreJob } from "@/lib/features/messages/store";
import { newId } from "@/lib/ids";
import { waitFor } from "@/tests/fixtures/engine/helpers";
import { makeWorkspace } from "@/tests/helpers/factories";
import { useTestDb } from "@/tests/helpers/services";

// Group commit of publishes (lib/features/messages/store.ts): concurrent publishes share
// statements, each keeps its own rows, and a statement PostgreSQL refuses is split up.
process.env.HOOKLINE_ALLOW_PRIVATE_NETWORKS = "true";
let db: Db;
let url: string;

beforeAll(async () => {
  vi.spyOn(console, "error").mockImplementation(() => {}); // no executor: the publish's send fails, as expected
  resetEnv();
  ({ db, url } = await useTestDb());
});

/** Backends of this database waiting for a lock while running a statement LIKE `like`. */
async function waitingOnLock(like: string) {
  const rows = await db.$queryRawUnsafe<Array<{ n: number }>>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE $1`,
    like,
  );
  return rows[0]!.n;
}

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
      routingVersion: null,
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

// Publish routes with each workspace's cached routing (lib/features/messages/publish.ts, routingOf)
// and the insert checks its version (migration routing_version): whatever changed before a publish
// came must route it exactly as a fresh read of the endpoints and event types would.
type Ctx = Awaited<ReturnType<typeof makeWorkspace>>;
const send = (ctx: Ctx, payload: Record<string, unknown> = {}, eventType = "call.completed") => publish(ctx, { eventType, payload });
const routed = async (ctx: Ctx, payload: Record<string, unknown> = {}, eventType = "call.completed") =>
  Object.fromEntries((await send(ctx, payload, eventType)).deliveries.map((delivery) => [delivery.endpointId, delivery.status]));
const version = async (workspaceId: string) => (await db.workspace.findUniqueOrThrow({ where: { id: workspaceId } })).routingVersion;

describe("publish routing", () => {
  it("routes the next publish after each endpoint change, made through the services or straight in the database", async () => {
    const ctx = await makeWorkspace();
    const first = await createEndpoint(ctx, { title: "First", url: "http://127.0.0.1:9/first", eventTypes: [] });
    expect(await routed(ctx)).toEqual({ [first.id]: "PENDING" }); // the routing is cached from here

    const second = await createEndpoint(ctx, { title: "Second", url: "http://127.0.0.1:9/second", eventTypes: ["call.completed"] });
    expect(await routed(ctx)).toEqual({ [first.id]: "PENDING", [second.id]: "PENDING" });

    await setEndpointEnabled(ctx, first.id, false);
    expect(await routed(ctx)).toEqual({ [first.id]: "PAUSED", [second.id]: "PENDING" });

    await updateEndpoint(ctx, second.id, { eventTypes: ["lead.created"] });
    expect(await routed(ctx)).toEqual({ [first.id]: "PAUSED" });
    expect(await routed(ctx, {}, "lead.created")).toEqual({ [first.id]: "PAUSED", [second.id]: "PENDING" });

    await updateEndpoint(ctx, second.id, { eventTypes: [], filter: { rules: [{ path: "duration", op: "gte", value: 60 }] } });
    expect(await routed(ctx, { duration: 30 })).toEqual({ [first.id]: "PAUSED" });
    expect(await routed(ctx, { duration: 90 })).toEqual({ [first.id]: "PAUSED", [second.id]: "PENDING" });

    await deleteEndpoint(ctx, first.id);
    expect(await routed(ctx, { duration: 90 })).toEqual({ [second.id]: "PENDING" });

    // Not through the services: a row written by anything else (another instance, a script, SQL).
    const third = newId("ep");
    await db.endpoint.create({
      data: { id: third, workspaceId: ctx.workspaceId, title: "Third", url: "http://127.0.0.1:9/third", eventTypes: [], secretEnc: "v1.x.y.z", account: "acme" },
    });
    expect(await routed(ctx, { duration: 90 })).toEqual({ [second.id]: "PENDING" }); // no account: not acme's
    expect(await routed(ctx, { duration: 90, account: "acme" })).toEqual({ [second.id]: "PENDING", [third]: "PENDING" });
  });

  it("refuses the next publish once its event type is archived, and checks a schema added meanwhile", async () => {
    const ctx = await makeWorkspace();
    await createEndpoint(ctx, { title: "All", url: "http://127.0.0.1:9/all", eventTypes: [] });
    await createEventType(ctx, { name: "call.completed" });
    await send(ctx, { duration: 5 });

    await updateEventType(ctx, "call.completed", { schema: { type: "object", required: ["duration"], properties: { duration: { type: "number" } } } });
    await expect(send(ctx, { duration: "long" })).rejects.toMatchObject({ status: 400 });
    await expect(send(ctx, { duration: 7 })).resolves.toMatchObject({ created: true });

    await updateEventType(ctx, "call.completed", { archived: true });
    await expect(send(ctx, { duration: 7 })).rejects.toMatchObject({ status: 400, message: expect.stringContaining("archived") });
    expect(await db.message.count({ where: { workspaceId: ctx.workspaceId } })).toBe(2); // the refused publishes wrote nothing

    // A refusal is the cached routing's only decision no insert checks: undone, it must not stick.
    await updateEventType(ctx, "call.completed", { archived: false });
    await expect(send(ctx, { duration: 8 })).resolves.toMatchObject({ created: true });
    await updateEventType(ctx, "call.completed", { schema: null });
    await expect(send(ctx, { duration: "long" })).resolves.toMatchObject({ created: true });
    expect(await db.message.count({ where: { workspaceId: ctx.workspaceId } })).toBe(4);
  });

  it("a batch refused for one message's shape also lists a message whose event type was archived since the routing was cached", async () => {
    const ctx = await makeWorkspace();
    await createEndpoint(ctx, { title: "All", url: "http://127.0.0.1:9/all", eventTypes: [] });
    await createEventType(ctx, { name: "lead.created" });
    await publishBatch(ctx, { messages: [{ eventType: "lead.created", payload: { n: 1 } }] }); // cached from here
    await updateEventType(ctx, "lead.created", { archived: true });
    const refused = await publishBatch(ctx, {
      messages: [{ eventType: "call.completed", payload: "not an object" }, { eventType: "lead.created", payload: { n: 2 } }],
    }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 400, details: [{ index: 0 }, { index: 1, message: expect.stringContaining("archived") }] });
    expect(await db.message.count({ where: { workspaceId: ctx.workspaceId } })).toBe(1);
  });

  it("an endpoint stored without event types (NULL, not an empty list) receives nothing and breaks nothing, as with a fresh read", async () => {
    const ctx = await makeWorkspace();
    const endpoint = await createEndpoint(ctx, { title: "All", url: "http://127.0.0.1:9/all", eventTypes: [] });
    await db.$executeRaw`INSERT INTO "Endpoint" (id, "workspaceId", title, url, "eventTypes", "secretEnc", "updatedAt")
                         VALUES (${newId("ep")}, ${ctx.workspaceId}, 'Legacy', 'http://127.0.0.1:9/legacy', NULL, 'v1.x.y.z', now())`;
    expect(await routed(ctx)).toEqual({ [endpoint.id]: "PENDING" });
  });

  it("routes every publish that comes after an endpoint was created, however many are in flight", async () => {
    const ctx = await makeWorkspace();
    const first = await createEndpoint(ctx, { title: "First", url: "http://127.0.0.1:9/first", eventTypes: [] });
    await Promise.all(Array.from({ length: 20 }, (_, n) => send(ctx, { n })));
    const second = await createEndpoint(ctx, { title: "Second", url: "http://127.0.0.1:9/second", eventTypes: [] });
    const results = await Promise.all(Array.from({ length: 40 }, (_, n) => send(ctx, { n })));
    for (const result of results) expect(result.deliveries.map((delivery) => delivery.endpointId).sort()).toEqual([first.id, second.id].sort());
    const rows = await db.delivery.count({ where: { messageId: { in: results.map((result) => result.message.id) } } });
    expect(rows).toBe(80);
  });

  it("moves the version on routing changes only: an attempt's counters leave it, so the cache stays warm under delivery", async () => {
    const ctx = await makeWorkspace();
    const endpoint = await createEndpoint(ctx, { title: "One", url: "http://127.0.0.1:9/one", eventTypes: [] });
    const before = await version(ctx.workspaceId);
    // What the attempt record and the console's rename write.
    await db.$executeRaw`UPDATE "Endpoint" SET "lastAttemptAt" = now(), "consecutiveFailures" = "consecutiveFailures" + 1 WHERE id = ${endpoint.id}`;
    await updateEndpoint(ctx, endpoint.id, { title: "Renamed", url: "http://127.0.0.1:9/renamed" });
    expect(await version(ctx.workspaceId)).toBe(before);
    await setEndpointEnabled(ctx, endpoint.id, false);
    expect(await version(ctx.workspaceId)).toBe(before + 1);
    // Another workspace's change leaves this one's version alone.
    const other = await makeWorkspace();
    await createEndpoint(other, { title: "Theirs", url: "http://127.0.0.1:9/theirs", eventTypes: [] });
    expect(await version(ctx.workspaceId)).toBe(before + 1);
  });

  it.each([
    // The deletion moves the routing version, so the insert refuses the cached routing (HL409).
    ["routed with the cached routing", undefined],
    // A fresh read has no version to check: the insert fails on the foreign key (23503).
    ["routed with a fresh read (an idempotency key)", "order-deleted-endpoint"],
  ])("an endpoint deleted between routing and the insert (%s): the publish routes again and is stored without it", async (_, idempotencyKey) => {
    const ctx = await makeWorkspace();
    const doomed = await createEndpoint(ctx, { title: "Doomed", url: "http://127.0.0.1:9/doomed", eventTypes: [] });
    const kept = await createEndpoint(ctx, { title: "Kept", url: "http://127.0.0.1:9/kept", eventTypes: [] });
    await send(ctx); // the routing is cached from here
    // Hold the insert: publish can still read (route, look its key up) but not write a Message.
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    try {
      await other.query("BEGIN");
      await other.query(`LOCK TABLE "Message" IN EXCLUSIVE MODE`);
      const publishing = publish(ctx, { eventType: "call.completed", payload: { n: 1 }, ...(idempotencyKey ? { idempotencyKey } : {}) });
      await waitFor(async () => (await waitingOnLock('%INSERT INTO "Message"%')) === 1, 2000, "the publish's insert to wait for the lock");
      await other.query(`DELETE FROM "Endpoint" WHERE id = $1`, [doomed.id]);
      await other.query("COMMIT");
      const result = await publishing;
      expect(result.deliveries.map((delivery) => delivery.endpointId)).toEqual([kept.id]);
      const stored = await db.delivery.findMany({ where: { messageId: result.message.id } });
      expect(stored.map((delivery) => delivery.endpointId)).toEqual([kept.id]);
    } finally {
      await other.end();
    }
  });

  it("an endpoint deleted again before the second try's insert: 409, and nothing is stored", async () => {
    const ctx = await makeWorkspace();
    const first = await createEndpoint(ctx, { title: "First doomed", url: "http://127.0.0.1:9/first", eventTypes: [] });
    const second = await createEndpoint(ctx, { title: "Second doomed", url: "http://127.0.0.1:9/second", eventTypes: [] });
    await createEndpoint(ctx, { title: "Kept", url: "http://127.0.0.1:9/kept", eventTypes: [] });
    const idempotencyKey = "order-deleted-twice"; // routed with a fresh read each time: the insert meets the foreign key
    const [holder, next] = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })];
    await Promise.all([holder.connect(), next.connect()]);
    try {
      // The holder keeps publish from writing a Message; the next holder queues behind the
      // publish's insert, so it takes the table as soon as that insert has failed, before the retry's.
      await holder.query("BEGIN");
      await holder.query(`LOCK TABLE "Message" IN EXCLUSIVE MODE`);
      const publishing = publish(ctx, { eventType: "call.completed", payload: { n: 1 }, idempotencyKey }).then(
        () => undefined,
        (error: unknown) => error,
      );
      await waitFor(async () => (await waitingOnLock('%INSERT INTO "Message"%')) === 1, 2000, "the publish's insert to wait for the lock");
      await next.query("BEGIN");
      const queued = next.query(`LOCK TABLE "Message" IN EXCLUSIVE MODE`);
      await waitFor(async () => (await waitingOnLock("LOCK TABLE%")) === 1, 2000, "the next holder to queue");
      await holder.query(`DELETE FROM "Endpoint" WHERE id = $1`, [first.id]);
      await holder.query("COMMIT");
      await queued; // the first insert failed on the foreign key; the publish routes again
      await waitFor(async () => (await waitingOnLock('%INSERT INTO "Message"%')) === 1, 2000, "the second try's insert to wait for the lock");
      await next.query(`DELETE FROM "Endpoint" WHERE id = $1`, [second.id]);
      await next.query("COMMIT");
      const error = (await publishing) as { status?: number; code?: string; message?: string } | undefined;
      expect(error).toMatchObject({ status: 409, code: "conflict" });
      expect(error?.message).toMatch(/endpoints changed.*nothing was published/);
      expect(await db.message.count({ where: { workspaceId: ctx.workspaceId, idempotencyKey } })).toBe(0);
      // Retried, the publish goes through to the endpoint that is left.
      const retried = await publish(ctx, { eventType: "call.completed", payload: { n: 1 }, idempotencyKey });
      expect(retried.deliveries).toHaveLength(1);
    } finally {
      await Promise.all([holder.end(), next.end()]);
    }
  });
});
