import { deliveriesResendRequested, inngest } from "@/inngest/client";
import { keptRetryWake } from "@/inngest/functions/deliver";
import { attemptDelivery } from "@/lib/delivery/attempt";

/** Manual resend: one attempt per delivery, no retry schedule (like Stripe's and Svix's resend). */
export const resend = inngest.createFunction(
  { id: "resend", name: "Resend deliveries", triggers: [deliveriesResendRequested], retries: 5 },
  async ({ event, step }) => {
    const results = [];
    for (const deliveryId of event.data.deliveryIds) {
      const outcome = await step.run(`resend-${deliveryId}`, () => attemptDelivery(deliveryId, { trigger: "MANUAL" }));
      // It failed and the delivery waits for its scheduled retry (or its turn in the endpoint's
      // backlog) again: a wake-up that read while this attempt held the delivery did not see it.
      if (outcome.retryKept) await step.sendEvent(`wake-${deliveryId}`, keptRetryWake(outcome.retryKept));
      results.push({ deliveryId, ok: outcome.ok, next: outcome.next.action });
    }
    return results;
  },
);
