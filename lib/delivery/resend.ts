import "server-only";
import { deliveriesResendRequested, endpointRecoverRequested, inngest } from "@/inngest/client";
import { assertCanWrite, deliveryScope, type ServiceContext } from "@/lib/context";
import { db } from "@/lib/db/client";
import { strandedWhere, withoutLiveRun } from "@/lib/delivery/maintenance";
import { requestDeliveries } from "@/lib/delivery/requests";
import { AppError, errors } from "@/lib/errors";
import { logger } from "@/lib/log";
import { recoverSchema } from "@/lib/features/endpoints/schema";
import { assertEndpointInScope } from "@/lib/features/endpoints/scope";
import { parseWith } from "@/lib/validation";

/** Nothing was written yet: when the executor cannot take the request, say so (503) instead of a 500. */
async function sendOrUnavailable<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    logger().warn({ err: error }, "the executor did not take a request");
    throw new AppError("executor_unavailable", "The delivery executor is not reachable right now; nothing was queued. Try again in a moment.", 503, undefined, 5);
  }
}

/** Queues one manual attempt per delivery (the `resend` function runs them). */
export async function resendDeliveries(ctx: ServiceContext, deliveryIds: string[]) {
  assertCanWrite(ctx);
  const found = await db().delivery.findMany({
    where: { id: { in: deliveryIds }, ...deliveryScope(ctx) },
    select: { id: true, status: true },
  });
  if (found.length !== deliveryIds.length) throw errors.notFound("Delivery");
  const busy = found.find((delivery) => delivery.status === "SENDING");
  if (busy) throw errors.conflict(`Delivery ${busy.id} is being attempted right now`);
  const { ids } = await sendOrUnavailable(() => inngest.send(deliveriesResendRequested.create({ workspaceId: ctx.workspaceId, deliveryIds })));
  return { queued: found.length, eventId: ids[0] ?? null };
}

// PAUSED deliveries (held while the endpoint was disabled) come back with recovery too: it is
// their only way back after re-enabling, and what makes "nothing is lost" true.
const RECOVERABLE = ["FAILED", "PAUSED"] as const;

/**
 * Re-delivers an endpoint's FAILED and PAUSED deliveries since a time, each with the full
 * retry schedule again (Svix's "recover"). The `recover` function does the work
 * in batches; its run shows the progress.
 */
export async function recoverEndpoint(ctx: ServiceContext, endpointId: string, input: { since: string }) {
  assertCanWrite(ctx);
  const { since } = parseWith(recoverSchema, input);
  await assertEndpointInScope(ctx, endpointId);
  const pending = await db().delivery.count({ where: { endpointId, status: { in: [...RECOVERABLE] }, createdAt: { gte: new Date(since) } } });
  const { ids } = await sendOrUnavailable(() => inngest.send(
    endpointRecoverRequested.create({
      workspaceId: ctx.workspaceId,
      endpointId,
      since,
      requestedBy: ctx.actor.type === "system" ? undefined : ctx.actor.id,
    }),
  ));
  return { deliveries: pending, eventId: ids[0] ?? null };
}

/**
 * One batch of recovery: FAILED/PAUSED → PENDING, then a fresh `deliver` round for
 * each. Walks by id (ids are time-ordered) so a delivery that fails again
 * during the recovery is not picked up twice.
 */
export async function requeueFailedBatch(endpointId: string, since: Date, afterId: string | null, round: string, batchSize = 100) {
  const page = await db().delivery.findMany({
    where: {
      endpointId,
      createdAt: { gte: since },
      ...(afterId ? { id: { gt: afterId } } : {}),
      // Stranded PENDING deliveries (no run holds them, nothing is scheduled) are recovered too.
      OR: [{ status: { in: [...RECOVERABLE] } }, strandedWhere(STRANDED_GRACE_MS)],
    },
    select: { id: true, endpointId: true, status: true },
    orderBy: { id: "asc" },
    take: batchSize,
  });
  if (!page.length) return { count: 0, lastId: afterId };
  const stranded = new Set((await withoutLiveRun(page.filter((row) => row.status === "PENDING"))).map((row) => row.id));
  const rows = page.filter((row) => row.status !== "PENDING" || stranded.has(row.id));
  await db().delivery.updateMany({
    where: { id: { in: rows.map((row) => row.id) }, status: { in: [...RECOVERABLE, "PENDING"] } },
    data: { status: "PENDING", completedAt: null, requestedAt: null, schedulePosition: null }, // the whole schedule again
  });
  await requestDeliveries(rows, round);
  return { count: page.length, lastId: page.at(-1)!.id };
}

const STRANDED_GRACE_MS = 5 * 60_000;
