import "server-only";
import { createHash } from "node:crypto";
import { DELIVERIES_PER_REQUEST, deliveryRequested, inngest, requestedDeliveryIds } from "@/inngest/client";
import { EngineWaker, intakeCtes, intakeParams, isStalePlan, loadIntakePlan, type IntakePlan } from "@/inngest/engine/intake";
import { backlogHead } from "@/lib/delivery/attempt";
import { Coalescer } from "@/lib/db/coalesce";
import { query, UTC_IN } from "@/lib/db/pool";
import { usesLocalEngine } from "@/lib/env";
import { logger } from "@/lib/log";
import { currentTraceparent } from "@/lib/tracing";

/**
 * Hands deliveries to the `deliver` function. Called after the transaction that
 * created them committed; if this fails (crash, executor down) `requestedAt`
 * stays null and the `sweep` function sends it within seconds (its unsent rule), so nothing is
 * lost. The event id makes a repeated request for the same round a no-op on Inngest.
 *
 * `requestedAt` is set once the executor took the events: one statement per coalesced send (see
 * sendCoalesced), however many publishes went out in it. A crash between the send and that
 * statement only makes the sweep request the delivery once more, which its run then finds
 * claimed or finished.
 */
export async function requestDeliveries(deliveries: RequestedDelivery[], round = "initial", options: { backlog?: boolean } = {}) {
  if (deliveries.length === 0) return;
  try {
    await sendCoalesced(requestEvents(deliveries, round, options.backlog));
  } catch (error) {
    logger().warn({ err: error, deliveries: deliveries.length }, "could not request deliveries; sweep will retry");
    // Not requested: make sure the sweep sees that (a requeue may have left an old timestamp).
    await unrequest(deliveries.map((d) => d.id)).catch(() => undefined);
  }
}

/** Marks PENDING deliveries as not requested: the sweep's unsent rule requests them again. */
export async function unrequest(ids: string[]) {
  await query("delivery.unrequested", `UPDATE "Delivery" SET "requestedAt" = NULL WHERE id = ANY($1::text[]) AND status = 'PENDING'::"DeliveryStatus"`, [ids]);
}

/** Most deliveries one wake-up of an endpoint's backlog requests (more go through backfill). */
const BACKLOG_REQUESTS = 100;

/**
 * One wake-up of an endpoint's backlog (deliveries the batch path deferred because the endpoint's
 * lane was full; see deferBeyondLanes in lib/delivery/attempt.ts): requests those whose turn came,
 * oldest turn first, at most BACKLOG_REQUESTS, or else the head of the backlog as a probe. The
 * requests are marked as the backlog's: their batch fills the lane's spare room from the backlog,
 * so a lane that has room again drains it at its own pace. Each request carries its turn as the
 * instant it is for. Returns how many it requested and whether more are waiting in the backlog.
 */
export async function requestBacklog(endpointId: string): Promise<{ requested: number; more: boolean }> {
  const head = await backlogHead(endpointId, BACKLOG_REQUESTS + 1);
  const now = Date.now();
  const picked = head.filter((row, n) => n === 0 || (n < BACKLOG_REQUESTS && row.deferredUntil.getTime() <= now));
  await requestDeliveries(
    picked.map((row) => ({ id: row.id, endpointId: row.endpointId, dueAt: row.turn.toISOString() })),
    `backlog-${Date.now().toString(36)}`,
    { backlog: true },
  );
  return { requested: picked.length, more: head.length > picked.length };
}

/** Most retries one wake-up of an endpoint's retries requests; with more due, the next comes at once. */
const RETRY_REQUESTS = 1000;

/**
 * One wake-up of an endpoint's retries (deliver-retries in inngest/functions/deliver.ts), the one
 * for `until`: requests the deliveries whose scheduled retry is due (PENDING, not in the backlog,
 * `nextAttemptAt` at or before the later of now and `until`, so a wake-up the engine ran a little
 * early is still the one for its instant, as the claim has it) and not requested for it yet,
 * earliest first, at most RETRY_REQUESTS, through the partial index Delivery_retry_idx. Each
 * request is the one a per-delivery `deliver` run makes: for the delivery's position in its
 * schedule and the instant it was scheduled for, with its id (retryRequestId; not grouped with
 * others, which would give it another), so two requests of one retry (two wake-ups, or a
 * replayed batch run's `deliver` run) are one. A failed send throws (the
 * wake-up is retried). Returns how many it requested and the instant of the endpoint's next retry:
 * undefined when none waits, and just after this wake-up when more were due than it requested.
 */
export async function requestDueRetries(endpointId: string, until: Date): Promise<{ requested: number; next: Date | undefined }> {
  const { rows } = await query<{ id: string; position: number | null; at: Date }>(
    "delivery.retries.due",
    `SELECT id, "schedulePosition" AS position, "nextAttemptAt" AT TIME ZONE 'UTC' AS at FROM "Delivery"
      WHERE "endpointId" = $1 AND status = 'PENDING' AND "deferredUntil" IS NULL AND "nextAttemptAt" IS NOT NULL
        AND ("requestedAt" IS NULL OR "requestedAt" < "nextAttemptAt")
      ORDER BY "nextAttemptAt", id LIMIT $2`,
    [endpointId, RETRY_REQUESTS + 1],
  );
  const horizon = Math.max(Date.now(), until.getTime());
  const due = rows.filter((row, n) => n < RETRY_REQUESTS && row.at.getTime() <= horizon);
  // Not grouped (groupRequests) and not coalesced with other sends: each keeps its own id.
  const events = due.map((row) => {
    const attempt = row.position ?? 1;
    const retryAt = row.at.toISOString();
    return deliveryRequested.create({ deliveryId: row.id, endpointId, attempt, retryAt }, { id: retryRequestId(row.id, attempt, retryAt) });
  });
  for (let start = 0; start < events.length; start += MAX_EVENTS_PER_SEND) {
    const chunk = events.slice(start, start + MAX_EVENTS_PER_SEND);
    const sentAt = new Date();
    await inngest.send(chunk);
    await markRequested(chunk, sentAt);
  }
  const after = rows[due.length];
  return { requested: due.length, next: after ? new Date(Math.max(after.at.getTime(), horizon + 1)) : undefined };
}

/** The id of the request for a delivery's scheduled retry: one per (delivery, position, instant), whoever sends it. */
export const retryRequestId = (deliveryId: string, attempt: number, retryAt: string) => `${deliveryId}:due:${attempt}:${retryAt}`;

/** A delivery to request; `dueAt`: the instant the request is for (a backlog delivery's turn). */
type RequestedDelivery = { id: string; endpointId: string; dueAt?: string };

type RequestEvent = ReturnType<typeof deliveryRequested.create>;

/**
 * The publish's own request is for attempt 1 of the schedule, so a replay of its batch run after
 * that attempt was recorded is known as one (lib/delivery/attempt.ts, `stale`). The sweep's and
 * recovery's requests carry no position: they stand for the delivery's own.
 */
function requestEvents(deliveries: RequestedDelivery[], round: string, backlog = false): RequestEvent[] {
  const traceparent = currentTraceparent();
  const position = round === "initial" ? { attempt: 1 } : {};
  return deliveries.map((delivery) =>
    deliveryRequested.create(
      {
        deliveryId: delivery.id,
        endpointId: delivery.endpointId,
        ...position,
        ...(delivery.dueAt ? { retryAt: delivery.dueAt } : {}),
        ...(backlog ? { backlog: true } : {}),
        ...(traceparent ? { traceparent } : {}),
      },
      { id: `${delivery.id}:${round}` },
    ),
  );
}

/**
 * What a statement that creates deliveries passes to request them itself (see directRequests): the
 * plan and the events, whose parameters for `directRequestCtes` come from `directRequestParams`
 * (one call for all the publishes a statement stores); `committed()` wakes the engine once it
 * committed.
 */
export type DirectRequests = { plan: IntakePlan; events: RequestEvent[]; committed: () => void };

/**
 * Requests that differ only in their delivery (same endpoint, position, instant, backlog flag and
 * trace) as one event: the first's, with the others' ids in `more`. A statement that stores the
 * publishes of many concurrent clients at fan-out 20 used to queue an event, a batch item and, in
 * the worker, an event to validate for every delivery; now one for each endpoint it reaches
 * (docs/performance.md; with tracing on, each publish has its own trace, so only its own requests
 * share an event). A group's id is its first request's (`<delivery>:<round>`) and a digest of all
 * its deliveries: a repeat of the same group is dropped as a repeat (the engine's and Inngest's
 * 24-hour rule), and a group that only begins with a delivery requested before in that round (a
 * replayed `recover` step) is not.
 */
export function groupRequests(events: RequestEvent[]): RequestEvent[] {
  const groups = new Map<string, RequestEvent>();
  const out: RequestEvent[] = [];
  for (const event of events) {
    const { deliveryId, ...rest } = event.data;
    const key = JSON.stringify(rest);
    const group = groups.get(key);
    if (group && (group.data.more?.length ?? 0) + 1 < DELIVERIES_PER_REQUEST) {
      (group.data.more ??= []).push(deliveryId);
      continue;
    }
    const head = { ...event, data: { ...event.data } };
    groups.set(key, head);
    out.push(head);
  }
  for (const event of out) {
    if (!event.data.more) continue;
    const digest = createHash("sha256").update(requestedDeliveryIds(event.data).join(",")).digest("base64url").slice(0, 16);
    event.id = `${event.id}:${digest}`;
  }
  return out;
}

/** The parameters of `directRequestCtes` for the direct requests of the publishes one statement stores (all of one plan). */
export function directRequestParams(requests: DirectRequests[]): unknown[] {
  const events = groupRequests(requests.flatMap((request) => request.events));
  return intakeParams(requests[0]!.plan, events.map(({ name, data, id }) => ({ name, data, id: id! })));
}

/** The CTEs a statement appends to its WITH list to request deliveries itself, using $firstParam…; see directRequests. */
export const directRequestCtes: (firstParam: number) => string = intakeCtes;

/** A plan that is null (the functions are not synced yet, or need a send) is read again after this. */
const NULL_PLAN_MS = 5_000;
const globalForIntake = globalThis as unknown as { hooklineIntake?: { plan: Promise<IntakePlan | null>; at: number }; hooklineWaker?: EngineWaker };

function waker(): EngineWaker {
  return (globalForIntake.hooklineWaker ??= new EngineWaker(
    (name, text, values) => query(name, text, values),
    (error) => logger().warn({ err: error }, "could not wake the engine; it finds the deliveries at its next poll"),
  ));
}

function intakePlan(): Promise<IntakePlan | null> {
  const cached = globalForIntake.hooklineIntake;
  if (cached && Date.now() - cached.at < NULL_PLAN_MS) return cached.plan;
  const plan = loadIntakePlan((name, text, values) => query(name, text, values), deliveryRequested.name);
  const entry = { plan, at: Date.now() };
  globalForIntake.hooklineIntake = entry;
  // A plan is kept until a statement finds it stale; a null one (or a failed read) only briefly.
  void plan.then(
    (value) => value && (entry.at = Infinity),
    () => globalForIntake.hooklineIntake === entry && (globalForIntake.hooklineIntake = undefined),
  );
  return plan;
}

/**
 * On the local engine, the events that request these deliveries are written by the statement that
 * creates the deliveries (inngest/engine/intake.ts): requested atomically with their creation, so
 * no send follows the commit and no crash can leave them stored but unrequested. The statement
 * appends `directRequestCtes(n)` to its WITH list, passes `params` as $n…, and calls `committed()`
 * once it committed. Undefined when requests must be sent after the commit instead (`requestDeliveries`): on
 * Inngest, or while the engine's functions are not synced.
 */
export async function directRequests(deliveries: Array<{ id: string; endpointId: string }>, round = "initial"): Promise<DirectRequests | undefined> {
  if (!deliveries.length || !usesLocalEngine()) return undefined;
  const plan = await intakePlan();
  if (!plan) return undefined;
  return { plan, events: requestEvents(deliveries, round), committed: () => waker().wake() };
}

/**
 * The statement carrying `directRequests` failed because the engine's functions were re-synced
 * since its plan was read: nothing was written; forget the plan and run the statement again.
 */
export function staleDirectRequests(error: unknown): boolean {
  if (!isStalePlan(error)) return false;
  globalForIntake.hooklineIntake = undefined;
  return true;
}
/** Events per send: well under the local engine's 4 MiB body and Inngest's per-request limits. */
const MAX_EVENTS_PER_SEND = 500;
const globalForSends = globalThis as unknown as { hooklineSends?: Coalescer<RequestEvent[], void> };

/**
 * `inngest.send` with group commit (lib/db/coalesce.ts): when two sends are already on their way,
 * the requests that arrive meanwhile leave together in the next one (one HTTP request and one
 * intake transaction for many publishes under load; no added wait when idle). Each caller still
 * learns whether its own events were accepted: a failed send fails every request in it.
 */
function sendCoalesced(events: RequestEvent[]): Promise<void> {
  globalForSends.hooklineSends ??= new Coalescer<RequestEvent[], void>({
    maxInFlight: 2,
    joins: (group, next) => group.reduce((sum, one) => sum + one.length, next.length) <= MAX_EVENTS_PER_SEND,
    run: async (groups) => {
      const all = groupRequests(groups.flat());
      const sentAt = new Date();
      await inngest.send(all).catch((error: unknown) => {
        throw error ?? new Error("the event send failed");
      });
      await markRequested(all, sentAt);
      return groups.map(() => ({ status: "fulfilled", value: undefined }));
    },
  });
  return globalForSends.hooklineSends.add(events);
}

/**
 * The executor has these deliveries' events: one statement for the whole send. `requestedAt` is
 * when the send began, not when this lands: an attempt the request caused ends after that, so its
 * retry's instant is later than `requestedAt` however late this lands, and the wake-up of its
 * retries still sees it as not requested for that retry (requestDueRetries).
 */
async function markRequested(events: RequestEvent[], sentAt: Date) {
  await query(
    "delivery.requested",
    `UPDATE "Delivery" SET "requestedAt" = ${UTC_IN("$2")} WHERE id = ANY($1::text[])`,
    [events.flatMap((event) => requestedDeliveryIds(event.data)), sentAt.toISOString()],
  ).catch((error: unknown) => {
    // Sent but not marked: the sweep's unsent rule requests them once more (a no-op for their
    // runs); a retry's next wake-up requests it again (the same id: one request).
    logger().warn({ err: error, deliveries: events.length }, "could not mark deliveries requested");
  });
}
