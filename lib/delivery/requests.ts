import "server-only";
import { deliveryRequested, inngest } from "@/inngest/client";
import { query } from "@/lib/db/pool";
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
  const traceparent = currentTraceparent();
  try {
    await sendCoalesced(
      deliveries.map((delivery) =>
        deliveryRequested.create(
          { deliveryId: delivery.id, endpointId: delivery.endpointId, ...(traceparent ? { traceparent } : {}) },
          { id: `${delivery.id}:${round}` },
        ),
      ),
    );
  } catch (error) {
    logger().warn({ err: error, deliveries: deliveries.length }, "could not request deliveries; sweep will retry");
    // Not requested: make sure the sweep sees that (a requeue may have left an old timestamp).
    await query("delivery.unrequested", `UPDATE "Delivery" SET "requestedAt" = NULL WHERE id = ANY($1::text[]) AND status = 'PENDING'::"DeliveryStatus"`, [
      deliveries.map((d) => d.id),
    ]).catch(() => undefined);
  }
}

type RequestEvent = ReturnType<typeof deliveryRequested.create>;
type Waiting = { events: RequestEvent[]; settle: (error?: unknown) => void };

/** Events per send: well under the local engine's 4 MiB body and Inngest's per-request limits. */
const MAX_EVENTS_PER_SEND = 500;
/** Sends on their way at once; further requests wait for one of them and go out together. */
const MAX_SENDS_IN_FLIGHT = 2;
const coalescer: { queue: Waiting[]; inFlight: number } = { queue: [], inFlight: 0 };

/**
 * `inngest.send` with group commit: when MAX_SENDS_IN_FLIGHT sends are already on their way,
 * the requests that arrive meanwhile leave together in the next one (one HTTP request and one
 * intake transaction for many publishes under load; no added wait when idle). Each caller still
 * learns whether its own events were accepted: a failed send fails every request in it.
 */
function sendCoalesced(events: RequestEvent[]): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    coalescer.queue.push({ events, settle: (error) => (error === undefined ? resolve() : reject(error)) });
    pumpSends();
  });
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

function pumpSends() {
  while (coalescer.inFlight < MAX_SENDS_IN_FLIGHT && coalescer.queue.length) {
    const group: Waiting[] = [coalescer.queue.shift()!];
    let size = group[0]!.events.length;
    while (coalescer.queue.length && size + coalescer.queue[0]!.events.length <= MAX_EVENTS_PER_SEND) {
      const next = coalescer.queue.shift()!;
      group.push(next);
      size += next.events.length;
    }
    coalescer.inFlight++;
    const events = group.flatMap((waiting) => waiting.events);
    inngest
      .send(events)
      .then(
        () => markRequested(events),
        (error: unknown) => {
          throw error ?? new Error("the event send failed");
        },
      )
      .then(
        () => group.forEach((waiting) => waiting.settle()),
        (error: unknown) => group.forEach((waiting) => waiting.settle(error)),
      )
      .finally(() => {
        coalescer.inFlight--;
        pumpSends();
      });
  }
}

