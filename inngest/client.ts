/**
 * The one Inngest client and the events it carries. Configuration comes from
 * the environment the SDK reads itself, which is what makes every shape work
 * with the same code:
 * - local engine: INNGEST_DEV=1 + INNGEST_BASE_URL=<engine> (set by the launcher)
 * - self-hosted `inngest start`: INNGEST_BASE_URL + INNGEST_EVENT_KEY + INNGEST_SIGNING_KEY
 * - Inngest Cloud: INNGEST_EVENT_KEY + INNGEST_SIGNING_KEY
 * Nothing but `fetch` and the SDK's logger is passed explicitly here, because options would
 * override the env.
 */
import { eventType, Inngest } from "inngest";
import { z } from "zod";
import { logger } from "@/lib/log";
import { sendFetch } from "./send-fetch";

/**
 * Most deliveries one `hookline/delivery.requested` event stands for (`deliveryId` and `more`; see
 * groupRequests in lib/delivery/requests.ts). With `deliver-batch`'s 50 events per batch, a run
 * takes at most 200 deliveries of its endpoint. Runs of up to ~800 (8 × 100) held four times as
 * many deliveries in flight in the worker, its memory and CPU up
 * (bench/results/2026-12-03T05-22-27-174.md); 25 events of 8 cut what a slow endpoint's retries
 * (one delivery an event) could start a second to a quarter, since its runs end after their 1 s patience. A
 * batch that pokes the endpoint's backlog also fills the lane's spare room from it (backfill,
 * lib/delivery/attempt.ts).
 */
export const DELIVERIES_PER_REQUEST = 4;

/** An attempt of a delivery is due now: the first (publish, sweep, recover), or a retry whose sleep ended. */
export const deliveryRequested = eventType("hookline/delivery.requested", {
  schema: z.object({
    deliveryId: z.string().min(1),
    /** more deliveries of the same endpoint this request stands for, with the same fields (groupRequests in lib/delivery/requests.ts) */
    // Up to DELIVERIES_PER_REQUEST - 1 from this version; more is accepted (an event queued by another version).
    more: z.array(z.string().min(1)).max(99).optional(),
    endpointId: z.string().min(1),
    /** position in the endpoint's retry schedule (1 when absent) */
    attempt: z.number().int().min(1).optional(),
    /** the instant a retry was scheduled for (a retry's request), or a backlog delivery's turn */
    retryAt: z.iso.datetime().optional(),
    /** a request of the endpoint's backlog (deliver-backlog): see BatchItem.backlog in lib/delivery/attempt.ts */
    backlog: z.boolean().optional(),
    /** the publish request's trace (W3C), so attempts join it (lib/tracing.ts) */
    traceparent: z.string().max(128).optional(),
  }),
});

/** A delivery needs another attempt at `retryAt`: a per-delivery run sleeps until then. */
export const deliveryRetry = eventType("hookline/delivery.retry", {
  schema: z.object({
    deliveryId: z.string().min(1),
    endpointId: z.string().min(1),
    attempt: z.number().int().min(1),
    retryAt: z.iso.datetime(),
    traceparent: z.string().max(128).optional(),
  }),
});

/**
 * Deliveries of an endpoint wait in its backlog (PENDING, `deferredUntil` their turn) because its
 * lane was full: wake it up at `at` (deliver-backlog).
 */
export const endpointBacklog = eventType("hookline/endpoint.backlog", {
  schema: z.object({ endpointId: z.string().min(1), at: z.iso.datetime() }),
});

/**
 * An endpoint's deliveries wait for scheduled retries (PENDING, `nextAttemptAt` ahead, not in its
 * backlog): wake up at `at`, the earliest of them, and request those due (deliver-retries).
 */
export const endpointRetries = eventType("hookline/endpoint.retries", {
  schema: z.object({ endpointId: z.string().min(1), at: z.iso.datetime() }),
});

export const endpointRecoverRequested = eventType("hookline/endpoint.recover.requested", {
  schema: z.object({
    workspaceId: z.string().min(1),
    endpointId: z.string().min(1),
    since: z.iso.datetime({ offset: true }),
    requestedBy: z.string().optional(),
  }),
});

export const deliveriesResendRequested = eventType("hookline/deliveries.resend.requested", {
  schema: z.object({ workspaceId: z.string().min(1), deliveryIds: z.array(z.string().min(1)).min(1) }),
});

/** The deliveries a `hookline/delivery.requested` event stands for: its `deliveryId`, then those in `more`. */
export function requestedDeliveryIds(data: { deliveryId: string; more?: string[] }): string[] {
  return [data.deliveryId, ...(data.more ?? [])];
}

type LogLevel = "debug" | "info" | "warn" | "error";

/**
 * The SDK's own messages as Hookline's log lines (lib/log.ts: JSON, scrubbed), one line each, where
 * its default console logger printed multi-line stack traces. A call refused for its signature is
 * the caller's doing, not a fault of ours: one warning with the reason, no stack, so unsigned calls
 * to /api/inngest cannot fill the log with traces.
 */
function sdkLog(level: LogLevel) {
  return (...args: unknown[]) => {
    const [first, second] = args;
    const fields = first && typeof first === "object" && !(first instanceof Error) ? (first as Record<string, unknown>) : undefined;
    const message = String((fields ? second : first) ?? "");
    const err = fields?.err ?? (first instanceof Error ? first : undefined);
    if (message === "Signature validation failed") {
      logger().warn({ component: "inngest", method: fields?.method, reason: err instanceof Error ? err.message : String(err ?? "") }, "refused an Inngest call: signature validation failed");
      return;
    }
    logger()[level]({ component: "inngest", ...(fields && { ...fields, err: undefined }), ...(err !== undefined && { err }) }, message);
  };
}

const internalLogger = { debug: sdkLog("debug"), info: sdkLog("info"), warn: sdkLog("warn"), error: sdkLog("error") };

export const inngest = new Inngest({ id: "hookline", fetch: sendFetch as typeof fetch, internalLogger });

// The SDK rebuilds the headers of every event send from a copy of the whole `process.env` (0.4 ms
// per publish under load). They depend only on the environment, which is fixed once the process
// runs, so the first result is kept.
const sdkHeaders = Object.getOwnPropertyDescriptor(Inngest.prototype, "headers")?.get;
if (sdkHeaders) {
  let headers: Record<string, string> | undefined;
  Object.defineProperty(inngest, "headers", { get: () => (headers ??= sdkHeaders.call(inngest)) });
}
