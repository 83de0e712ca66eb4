import "server-only";
import { LRUCache } from "lru-cache";
import { assertCanWrite, type ServiceContext } from "@/lib/context";
import { Coalescer } from "@/lib/db/coalesce";
import { query } from "@/lib/db/pool";
import { explainMatch } from "@/lib/delivery/filter";
import { directRequests, requestDeliveries, staleDirectRequests } from "@/lib/delivery/requests";
import type { Filter } from "@/lib/delivery/schemas";
import { env } from "@/lib/env";
import { AppError, errors } from "@/lib/errors";
import { assertPublishable, type PublishableEventType } from "@/lib/features/event-types/service";
import { newId } from "@/lib/ids";
import { admit, noteAccepted } from "@/lib/features/messages/admission";
import { storePublish } from "@/lib/features/messages/store";
import { publishBatchSchema, publishSchema, type PublishInput } from "@/lib/features/messages/schema";
import { parseWith } from "@/lib/validation";
import { recordPublish } from "@/lib/metrics";
import { inSpan } from "@/lib/tracing";

export type PublishResult = {
  created: boolean; // false: the idempotency key matched an earlier message, which is returned
  message: { id: string; eventType: string; account: string | null; idempotencyKey: string | null; createdAt: string };
  deliveries: Array<{ id: string; endpointId: string; status: string }>;
};

type Options = {
  /** The payload's exact source text (API), stored instead of a re-serialization. */
  rawPayload?: string;
  test?: boolean;
};

/** One message ready to store: validated, serialized once, account resolved. */
type Prepared = { index: number; eventType: string; payload: Record<string, unknown>; account: string | null; idempotencyKey: string | null; body: string };

/**
 * The one publish verb (API, server actions, server code): stores the body once, byte for byte,
 * fans out to matching endpoints in the same statement (disabled ones get PAUSED deliveries:
 * nothing is lost), then hands PENDING deliveries to the `deliver` function. One statement on the
 * hot pool (the insert, shared with concurrent publishes under load; routed with the workspace's
 * cached routing, or after a fresh read when the request has idempotency keys) and, unless the
 * insert requested the deliveries itself (local engine), one call to the executor.
 */
export async function publish(ctx: ServiceContext, input: PublishInput, options: Options = {}): Promise<PublishResult> {
  const started = performance.now();
  const result = await inSpan("hookline.publish", { "hookline.workspace_id": ctx.workspaceId }, async (span) => {
    const published = await publishMessage(ctx, input, options);
    span.setAttributes({ "hookline.message_id": published.message.id, "hookline.deliveries": published.deliveries.length, "hookline.created": published.created });
    return published;
  });
  recordPublish([result], (performance.now() - started) / 1000);
  return result;
}

async function publishMessage(ctx: ServiceContext, input: PublishInput, options: Options): Promise<PublishResult> {
  assertCanWrite(ctx);
  const [result] = await publishPrepared(ctx, [prepare(0, input, options.rawPayload)], options.test ?? false, ([problem]) => problem!.error);
  return result!;
}

/**
 * Up to 100 messages in one transaction (one INSERT statement). Validation is all or nothing:
 * when any message is refused, none is stored, and the error's details point at each refused
 * message by its index. Idempotency keys work per message, as in `publish`.
 */
export async function publishBatch(ctx: ServiceContext, input: unknown, options: { rawPayloads?: Array<string | undefined> } = {}) {
  const started = performance.now();
  assertCanWrite(ctx);
  const { messages } = parseWith(publishBatchSchema, input);
  const problems: Problem[] = [];
  const prepared: Prepared[] = [];
  const keys = new Map<string, number>();
  messages.forEach((item, index) => {
    try {
      const one = prepare(index, item, options.rawPayloads?.[index]);
      if (one.idempotencyKey !== null) {
        const earlier = keys.get(one.idempotencyKey);
        if (earlier !== undefined) throw errors.conflict(`The idempotency key "${one.idempotencyKey}" is also used by message ${earlier} of this batch`);
        keys.set(one.idempotencyKey, index);
      }
      prepared.push(one);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      problems.push({ index, error });
    }
  });
  // Items that passed the checks above still go through the lookup's (schema, idempotency), so
  // the refusal lists every refused message at once.
  const results = await publishPrepared(ctx, prepared, false, (all) => batchError(all, messages.length), problems);
  recordPublish(results, (performance.now() - started) / 1000);
  return { created: results.some((result) => result.created), messages: results };
}

function prepare(index: number, input: unknown, rawPayload: string | undefined): Prepared {
  const data = parseWith(publishSchema, input);
  const body = rawPayload ?? JSON.stringify(data.payload);
  const maxBytes = env().HOOKLINE_MAX_BODY_BYTES;
  if (Buffer.byteLength(body) > maxBytes) throw errors.tooLarge(`The payload is over the ${Math.round(maxBytes / 1024)} KiB limit`);
  // The message's account, else the payload's own `account` field (call tracking puts it there).
  const account = data.account ?? (typeof data.payload.account === "string" ? data.payload.account : null);
  return { index, eventType: data.eventType, payload: data.payload, account, idempotencyKey: data.idempotencyKey ?? null, body };
}

/** A message refused for an expected reason, by its index in the request. */
type Problem = { index: number; error: AppError };

/** One status for the whole batch: the items' own when they agree (409, 413), else 400. */
function batchError(problems: Problem[], total: number) {
  problems.sort((a, b) => a.index - b.index);
  const details = problems.map(({ index, error }) => ({
    index,
    code: error.code,
    message: error.message,
    ...(error.details === undefined ? {} : { details: error.details }),
  }));
  const codes = new Set(details.map((problem) => problem.code));
  const only = codes.size === 1 ? details[0]!.code : "validation_failed";
  const status = { conflict: 409, payload_too_large: 413 }[only] ?? 400;
  const which = details.map((problem) => problem.index).join(", ");
  return new AppError(status === 400 ? "validation_failed" : only, `${details.length} of ${total} messages refused (index ${which}); nothing was published`, status, details);
}

type RoutedEndpoint = { id: string; enabled: boolean; account: string | null; eventTypes: string[]; filter: Filter };
type Lookup = {
  eventTypes: Record<string, PublishableEventType>;
  endpoints: RoutedEndpoint[];
  existing: Array<PublishResult["message"] & { body: string; deliveries: PublishResult["deliveries"] }>;
  /** The workspace's routing version the endpoints and event types are of; null: read fresh, nothing to check. */
  routingVersion: number | null;
};

// What routing reads of an event type (`t`) and an endpoint (`e`): the same in the fresh lookup and
// in the cached routing, whose version the triggers of migration routing_version move on exactly these.
const EVENT_TYPES_JSON = `json_object_agg(t.name, json_build_object('archived', t."archivedAt" IS NOT NULL, 'schema', t.schema))`;
const ENDPOINT_JSON = `json_build_object('id', e.id, 'enabled', e.enabled, 'account', e.account, 'eventTypes', e."eventTypes", 'filter', e.filter)`;

// One read: the event types (archived? schema?), the endpoints that may want the messages, and
// the messages already stored under the request's idempotency keys. A publish with idempotency
// keys (and the retry of a publish whose routing went stale) reads this fresh; the others route
// with the workspace's cached routing (routingOf), checked by the insert.
const LOOKUP = `
  SELECT coalesce((SELECT ${EVENT_TYPES_JSON}
                     FROM "EventType" t WHERE t."workspaceId" = $1 AND t.name = ANY($2::text[])), '{}'::json) AS "eventTypes",
         coalesce((SELECT json_agg(${ENDPOINT_JSON})
                     FROM "Endpoint" e
                    WHERE e."workspaceId" = $1 AND (cardinality(e."eventTypes") = 0 OR e."eventTypes" && $2::text[])), '[]'::json) AS endpoints,
         coalesce((SELECT json_agg(json_build_object(
                    'id', m.id, 'eventType', m."eventType", 'account', m.account, 'body', m.body, 'idempotencyKey', m."idempotencyKey",
                    'createdAt', to_char(m."createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                    'deliveries', coalesce((SELECT json_agg(json_build_object('id', d.id, 'endpointId', d."endpointId", 'status', d.status)
                                                    ORDER BY d."createdAt", d.id)
                                              FROM "Delivery" d WHERE d."messageId" = m.id), '[]'::json)))
                     FROM "Message" m WHERE m."workspaceId" = $1 AND m."idempotencyKey" = ANY($3::text[])), '[]'::json) AS existing,
         NULL::int AS "routingVersion"`;

type LookupJob = { workspaceId: string; eventTypes: string[]; keys: string[] };
const globalForLookup = globalThis as unknown as { hooklineLookup?: Coalescer<LookupJob, Lookup> };

/**
 * The lookup of concurrent publishes to one workspace, in one statement (lib/db/coalesce.ts): the
 * union of their event types and keys. Each publish then takes what is its own (its event types'
 * schemas, the endpoints that match its messages, its keys' messages). A statement started after
 * the publish came, so an endpoint created before it is seen.
 */
function lookupFor(job: LookupJob): Promise<Lookup> {
  globalForLookup.hooklineLookup ??= new Coalescer<LookupJob, Lookup>({
    maxInFlight: 2,
    joins: (group, next) => {
      if (next.workspaceId !== group[0]!.workspaceId) return "skip";
      return group.length < 100 && group.reduce((sum, one) => sum + one.keys.length, next.keys.length) <= 1_000;
    },
    run: async (jobs) => {
      const eventTypes = [...new Set(jobs.flatMap((one) => one.eventTypes))];
      const { rows } = await query<Lookup>("publish.lookup", LOOKUP, [jobs[0]!.workspaceId, eventTypes, jobs.flatMap((one) => one.keys)]);
      return jobs.map(() => ({ status: "fulfilled", value: rows[0]! }));
    },
  });
  return globalForLookup.hooklineLookup.add(job);
}

/**
 * A workspace's routing as one statement read it: every event type and every endpoint, with the
 * routing version of that same snapshot. Endpoints are indexed by the event types they name
 * (`any`: those that want every event), so a publish looks at the endpoints a fresh lookup would
 * have returned, not at all of them.
 */
type Routing = {
  version: number;
  eventTypes: Record<string, PublishableEventType>;
  byEventType: Map<string, RoutedEndpoint[]>;
  any: RoutedEndpoint[];
};

const ROUTING = `
  SELECT w."routingVersion" AS version,
         coalesce((SELECT ${EVENT_TYPES_JSON}
                     FROM "EventType" t WHERE t."workspaceId" = w.id), '{}'::json) AS "eventTypes",
         coalesce((SELECT json_agg(${ENDPOINT_JSON}
                                   ORDER BY e."createdAt", e.id)
                     FROM "Endpoint" e WHERE e."workspaceId" = w.id AND e."eventTypes" IS NOT NULL), '[]'::json) AS endpoints
    FROM "Workspace" w WHERE w.id = $1`;

/** Workspaces whose routing this process keeps; past this many the least recently published to goes. */
const ROUTING_CACHE_MAX = 1_000;
const globalForRouting = globalThis as unknown as { hooklineRouting?: LRUCache<string, Promise<Routing | null>> };

/**
 * The workspace's routing, read once and reused until a publish's insert finds its version moved
 * (then `forgetRouting` and read again). The version moves with every change to what routing
 * reads (triggers on Endpoint and EventType, migration routing_version), and the insert checks it
 * in its own snapshot: a publish routed with an old version writes nothing and routes again, so an
 * endpoint created before the publish's statement ran receives the message, as with a fresh read.
 * Concurrent first publishes share one read. Null: no such workspace (the caller reads fresh).
 */
function routingOf(workspaceId: string): Promise<Routing | null> {
  // lru-cache rather than a Map emptied when full: past ROUTING_CACHE_MAX workspaces, one that
  // publishes all the time keeps its routing while ones seldom heard from give way.
  const cache = (globalForRouting.hooklineRouting ??= new LRUCache({ max: ROUTING_CACHE_MAX }));
  const cached = cache.get(workspaceId);
  if (cached) return cached;
  const read = query<{ version: number; eventTypes: Record<string, PublishableEventType>; endpoints: RoutedEndpoint[] }>("publish.routing", ROUTING, [
    workspaceId,
  ]).then(({ rows }) => {
    const row = rows[0];
    if (!row) return null;
    const byEventType = new Map<string, RoutedEndpoint[]>();
    const any: RoutedEndpoint[] = [];
    for (const endpoint of row.endpoints) {
      if (!endpoint.eventTypes.length) any.push(endpoint);
      for (const name of new Set(endpoint.eventTypes)) {
        const wanting = byEventType.get(name);
        if (wanting) wanting.push(endpoint);
        else byEventType.set(name, [endpoint]);
      }
    }
    return { version: row.version, eventTypes: row.eventTypes, byEventType, any };
  });
  cache.set(workspaceId, read);
  // A failed read is not kept; neither is a missing workspace (it may exist by the next publish).
  read.then(
    (routing) => routing === null && forgetRouting(workspaceId, read),
    () => forgetRouting(workspaceId, read),
  );
  return read;
}

/** Drops the workspace's cached routing, unless a newer read replaced `entry` meanwhile. */
function forgetRouting(workspaceId: string, entry: Promise<Routing | null>) {
  const cache = globalForRouting.hooklineRouting;
  if (cache?.peek(workspaceId) === entry) cache.delete(workspaceId); // peek: a check, not a use
}

/** What the lookup would have answered for these event types, from the workspace's routing. */
function routedLookup(routing: Routing, eventTypes: string[]): Lookup {
  const endpoints = new Set(routing.any);
  for (const name of eventTypes) for (const endpoint of routing.byEventType.get(name) ?? []) endpoints.add(endpoint);
  const types = Object.fromEntries(eventTypes.flatMap((name) => (routing.eventTypes[name] ? [[name, routing.eventTypes[name]!]] : [])));
  return { eventTypes: types, endpoints: [...endpoints], existing: [], routingVersion: routing.version };
}

/** The statement refused a publish routed with an out-of-date routing version (nothing was written). */
function staleRouting(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === "HL409";
}

async function publishPrepared(
  ctx: ServiceContext,
  items: Prepared[],
  test: boolean,
  refuse: (problems: Problem[]) => AppError,
  earlierProblems: Problem[] = [],
  retried = false,
  /** Route with a fresh read (not the cached routing): the cached one was stale or refused something. */
  freshRouting = false,
): Promise<PublishResult[]> {
  const problems = [...earlierProblems];
  const keys = items.flatMap((item) => (item.idempotencyKey === null ? [] : [item.idempotencyKey]));
  // Without idempotency keys nothing can be answered from storage: refuse before any query.
  if (!keys.length) await admit();
  const eventTypeNames = [...new Set(items.map((item) => item.eventType))];
  const cached = keys.length || freshRouting ? null : routingOf(ctx.workspaceId);
  const routing = cached && (await cached);
  const lookup = routing ? routedLookup(routing, eventTypeNames) : await lookupFor({ workspaceId: ctx.workspaceId, eventTypes: eventTypeNames, keys });
  const existing = new Map(lookup.existing.map((message) => [message.idempotencyKey!, message]));

  const results: PublishResult[] = [];
  const fresh: Array<{ result: PublishResult; item: Prepared }> = [];
  for (const item of items) {
    const earlier = item.idempotencyKey === null ? undefined : existing.get(item.idempotencyKey);
    if (earlier) {
      // Like Stripe: a key names one request; reusing it for a different event is a client bug, not a retry.
      if (earlier.eventType !== item.eventType || earlier.body !== item.body) {
        const error = errors.conflict(`The idempotency key "${item.idempotencyKey}" was already used for a different message (${earlier.id})`);
        problems.push({ index: item.index, error });
        continue;
      }
      const { id, eventType, account, idempotencyKey, createdAt, deliveries } = earlier;
      results.push({ created: false, message: { id, eventType, account, idempotencyKey, createdAt }, deliveries });
      continue;
    }
    try {
      assertPublishable(item.eventType, lookup.eventTypes[item.eventType] ?? null, item.payload);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      problems.push({ index: item.index, error });
      continue;
    }
    const deliveries = lookup.endpoints
      .filter((endpoint) => explainMatch(endpoint, item).matched)
      .map((endpoint) => ({ id: newId("dlv"), endpointId: endpoint.id, status: endpoint.enabled ? "PENDING" : "PAUSED" }));
    const message = { id: newId("msg"), eventType: item.eventType, account: item.account, idempotencyKey: item.idempotencyKey, createdAt: "" };
    const result = { created: true, message, deliveries };
    results.push(result);
    fresh.push({ result, item });
  }
  if (problems.length && routing) {
    // A refusal is never made on cached routing alone (only the insert checks its version, and a
    // refused publish inserts nothing): the event type may have been unarchived or its schema
    // changed since. Route again with a fresh read, which decides (and lists every refused
    // message of a batch); the next publish reads the routing again.
    forgetRouting(ctx.workspaceId, cached!);
    return publishPrepared(ctx, items, test, refuse, earlierProblems, retried, true);
  }
  if (problems.length) throw refuse(problems);
  if (!fresh.length) return results;
  if (keys.length) await admit();

  const createdAt = new Date().toISOString();
  const deliveries = fresh.flatMap(({ result }) => result.deliveries.map((delivery) => ({ ...delivery, messageId: result.message.id })));
  const pending = deliveries.filter((delivery) => delivery.status === "PENDING");
  const direct = await directRequests(pending);
  try {
    await storePublish({
      workspaceId: ctx.workspaceId,
      test,
      createdAt,
      routingVersion: lookup.routingVersion,
      messages: fresh.map(({ result, item }) => ({ id: result.message.id, eventType: item.eventType, account: item.account, body: item.body, idempotencyKey: item.idempotencyKey })),
      deliveries,
      direct,
    });
  } catch (error) {
    // Whatever failed (a stale version, an endpoint deleted meanwhile), the next publish reads the
    // routing again. A stale version wrote nothing: route again, this time with a fresh read (which
    // the insert does not check, so this happens once; the other causes keep their own retry).
    if (routing) forgetRouting(ctx.workspaceId, cached!);
    if (staleRouting(error) && routing) return publishPrepared(ctx, items, test, refuse, earlierProblems, retried, true);
    // The engine's functions were re-synced since the plan was read: nothing was written; again.
    if (direct && staleDirectRequests(error)) {
      if (!retried) return publishPrepared(ctx, items, test, refuse, earlierProblems, true, freshRouting);
      throw errors.unavailable("engine_resyncing", "The delivery engine is being re-synced; nothing was published. Retry shortly", 1);
    }
    // An endpoint was deleted after this publish read its routing (a fresh read: the insert checks
    // only a cached routing's version): the statement wrote nothing. Route again, once.
    const { code, constraint } = error as { code?: string; constraint?: string };
    if (code === "23503" && constraint === "Delivery_endpointId_fkey") {
      if (retried) throw errors.conflict("The workspace's endpoints changed while this was published; nothing was published. Retry");
      return publishPrepared(ctx, items, test, refuse, earlierProblems, true, true);
    }
    // A concurrent publish stored one of the keys first: nothing of ours was written; read again.
    if ((error as { code?: string }).code === "23505" && keys.length) {
      if (retried) throw errors.conflict("An idempotency key of this request is being used by another request; retry");
      return publishPrepared(ctx, items, test, refuse, earlierProblems, true, freshRouting);
    }
    throw error;
  }
  for (const { result } of fresh) result.message.createdAt = createdAt;
  noteAccepted(pending.length);
  // Requested by the insert itself, or handed to the executor now (lib/delivery/requests.ts).
  if (direct) direct.committed();
  else await requestDeliveries(pending);
  return results;
}
