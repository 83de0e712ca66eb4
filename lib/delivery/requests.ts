import "server-only";
import { deliveryRequested, inngest } from "@/inngest/client";
import { EngineWaker, intakeCtes, intakeParams, isStalePlan, loadIntakePlan, type IntakePlan } from "@/inngest/engine/intake";
import { Coalescer } from "@/lib/db/coalesce";
import { query } from "@/lib/db/pool";
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
export async function requestDeliveries(deliveries: Array<{ id: string; endpointId: string }>, round = "initial") {
  if (deliveries.length === 0) return;
  try {
    await sendCoalesced(requestEvents(deliveries, round));
  } catch (error) {
    logger().warn({ err: error, deliveries: deliveries.length }, "could not request deliveries; sweep will retry");
    // Not requested: make sure the sweep sees that (a requeue may have left an old timestamp).
    await query("delivery.unrequested", `UPDATE "Delivery" SET "requestedAt" = NULL WHERE id = ANY($1::text[]) AND status = 'PENDING'::"DeliveryStatus"`, [
      deliveries.map((d) => d.id),
    ]).catch(() => undefined);
  }
}

/**
 * Requests the deliveries of an endpoint's backlog whose turn came (deferred by the batch path
 * because the endpoint's lane was full: PENDING, not requested, `nextAttemptAt` passed; see
 * deferBeyondLanes in lib/delivery/attempt.ts), oldest turn first, at most `limit`. The requests
 * carry no schedule position (they stand for the delivery's own) and go through the lane's
 * admission like any. Returns how many it requested and the next turn still ahead in the backlog
 * (now, when more than `limit` were due).
 */
export async function requestBacklog(endpointId: string, limit = 1000): Promise<{ requested: number; next: Date | null }> {
  const { rows } = await query<{ due: Array<{ id: string; endpointId: string }> | null; next: Date | null }>(
    "delivery.backlog",
    `WITH backlog AS (
       SELECT id, "endpointId", "nextAttemptAt" FROM "Delivery"
        WHERE "endpointId" = $1 AND status = 'PENDING'::"DeliveryStatus" AND "requestedAt" IS NULL AND "nextAttemptAt" IS NOT NULL
     ), due AS (
       SELECT id, "endpointId" FROM backlog WHERE "nextAttemptAt" <= now() AT TIME ZONE 'UTC' ORDER BY "nextAttemptAt" LIMIT $2
     )
     SELECT (SELECT json_agg(due) FROM due) AS due,
            (SELECT min("nextAttemptAt") AT TIME ZONE 'UTC' FROM backlog WHERE id NOT IN (SELECT id FROM due)) AS next`,
    [endpointId, limit],
  );
  const due = rows[0]?.due ?? [];
  await requestDeliveries(due, `backlog-${Date.now().toString(36)}`);
  return { requested: due.length, next: rows[0]?.next ?? null };
}

type RequestEvent = ReturnType<typeof deliveryRequested.create>;

/**
 * The publish's own request is for attempt 1 of the schedule, so a replay of its batch run after
 * that attempt was recorded is known as one (lib/delivery/attempt.ts, `stale`). The sweep's and
 * recovery's requests carry no position: they stand for the delivery's own.
 */
function requestEvents(deliveries: Array<{ id: string; endpointId: string }>, round: string): RequestEvent[] {
  const traceparent = currentTraceparent();
  const position = round === "initial" ? { attempt: 1 } : {};
  return deliveries.map((delivery) =>
    deliveryRequested.create(
      { deliveryId: delivery.id, endpointId: delivery.endpointId, ...position, ...(traceparent ? { traceparent } : {}) },
      { id: `${delivery.id}:${round}` },
    ),
  );
}

/**
 * What a statement that creates deliveries passes to request them itself (see directRequests):
 * the parameters of `directRequestCtes`; `committed()` wakes the engine once it committed.
 */
export type DirectRequests = { params: unknown[]; committed: () => void };

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
  return {
    params: intakeParams(plan, requestEvents(deliveries, round).map(({ name, data, id }) => ({ name, data, id: id! }))),
    committed: () => waker().wake(),
  };
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
      const all = groups.flat();
      await inngest.send(all).catch((error: unknown) => {
        throw error ?? new Error("the event send failed");
      });
      await markRequested(all);
      return groups.map(() => ({ status: "fulfilled", value: undefined }));
    },
  });
  return globalForSends.hooklineSends.add(events);
}

/** The executor has these deliveries' events: one statement for the whole send. */
async function markRequested(events: RequestEvent[]) {
  await query("delivery.requested", `UPDATE "Delivery" SET "requestedAt" = now() AT TIME ZONE 'UTC' WHERE id = ANY($1::text[])`, [
    events.map((event) => event.data.deliveryId),
  ]).catch((error: unknown) => {
    // Sent but not marked: the sweep's unsent rule requests them once more (a no-op for their runs).
    logger().warn({ err: error, deliveries: events.length }, "could not mark deliveries requested");
  });
}
