import { deliveryRequested, inngest } from "@/inngest/client";
import { attemptDelivery } from "@/lib/delivery/attempt";
import { env } from "@/lib/env";

// Inngest concurrency limits are static per function, so the per-endpoint cap is one
// number for all endpoints (HOOKLINE_ENDPOINT_CONCURRENCY); a sleeping retry holds no slot.
const ENDPOINT_CONCURRENCY = env().HOOKLINE_ENDPOINT_CONCURRENCY;
// Longest schedule a policy can have (custom: 20 delays, exponential: 30 attempts) plus one.
const MAX_ATTEMPTS = 31;

/**
 * One run per delivery: attempt, sleep the policy's delay, repeat. HTTP
 * failures are step results, not errors, so every attempt is memoized and the
 * schedule is exact; function retries are for infrastructure faults only.
 */
export const deliver = inngest.createFunction(
  {
    id: "deliver",
    name: "Deliver a webhook",
    triggers: [deliveryRequested],
    concurrency: [{ key: "event.data.endpointId", limit: ENDPOINT_CONCURRENCY }],
    retries: 10,
  },
  async ({ event, step }) => {
    const { deliveryId } = event.data;
    for (let n = 1; n <= MAX_ATTEMPTS; n++) {
      const outcome = await step.run(`attempt-${n}`, () =>
        attemptDelivery(deliveryId, { trigger: "SCHEDULED", scheduleAttempt: n }),
      );
      if (outcome.next.action !== "retry") return { deliveryId, attempts: n, result: outcome.next };
      // Until the instant the attempt core computed (and stored as nextAttemptAt): memoized, so
      // replays agree, and exact to the millisecond, where a duration is rounded to seconds by the SDK.
      await step.sleepUntil(`retry-${n}`, outcome.next.retryAt);
    }
    return { deliveryId, attempts: MAX_ATTEMPTS, result: { action: "failed" } };
  },
);
