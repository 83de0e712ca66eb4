import "server-only";
import { deliveryRequested, inngest } from "@/inngest/client";
import { query } from "@/lib/db/pool";
import { logger } from "@/lib/log";
import { currentTraceparent } from "@/lib/tracing";

/**
 * Hands deliveries to the `deliver` function. Called after the transaction that
 * created them committed; if this fails (crash, executor down) `requestedAt`
 * stays null and the `sweep` function sends it later, so nothing is lost.
 * The event id makes a repeated request for the same round a no-op on Inngest.
 *
 * `marked`: the caller's transaction already set `requestedAt` (publish does, to save a
 * statement per publish). A failed send still clears it for the sweep; a crash between that
 * commit and the send leaves it set, so the sweep's stranded rule (`strandedWhere`, after its
 * grace period) re-requests it instead of the unsent rule.
 */
export async function requestDeliveries(deliveries: Array<{ id: string; endpointId: string }>, round = "initial", { marked = false } = {}) {
  if (deliveries.length === 0) return;
  const traceparent = currentTraceparent();
  try {
    await inngest.send(
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
    return;
  }
  if (marked) return;
  await query("delivery.requested", `UPDATE "Delivery" SET "requestedAt" = now() AT TIME ZONE 'UTC' WHERE id = ANY($1::text[])`, [
    deliveries.map((d) => d.id),
  ]);
}
