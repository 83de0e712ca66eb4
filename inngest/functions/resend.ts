import { deliveriesResendRequested, inngest } from "@/inngest/client";
import { retryWake } from "@/inngest/functions/deliver";
import { attemptDelivery } from "@/lib/delivery/attempt";

/** Manual resend: one attempt per delivery, no retry schedule (like Stripe's and Svix's resend). */
export const resend = inngest.createFunction(
  { id: "resend", name: "Resend deliveries", triggers: [deliveriesResendRequested], retries: 5 },
  async ({ event, step }) => {
    const results = [];
    for (const deliveryId of event.data.deliveryIds) {
      const outcome = await step.run(`resend-${deliveryId}`, () => attemptDelivery(deliveryId, { trigger: "MANUAL" }));
      // It failed and the delivery waits for its scheduled retry again: a wake-up of the endpoint's
      // retries that read while this attempt held the delivery did not see it, so one comes for it.
      const kept = outcome.retryKept;
      if (kept) await step.sendEvent(`wake-${deliveryId}`, retryWake(kept.endpointId, Math.max(Date.now(), Date.parse(kept.at)), true));
      results.push({ deliveryId, ok: outcome.ok, next: outcome.next.action });
    }
    return results;
  },
);
