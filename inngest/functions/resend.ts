import { deliveriesResendRequested, inngest } from "@/inngest/client";
import { attemptDelivery } from "@/lib/delivery/attempt";

/** Manual resend: one attempt per delivery, no retry schedule (like Stripe's and Svix's resend). */
export const resend = inngest.createFunction(
  { id: "resend", name: "Resend deliveries", triggers: [deliveriesResendRequested], retries: 5 },
  async ({ event, step }) => {
    const results = [];
    for (const deliveryId of event.data.deliveryIds) {
      const outcome = await step.run(`resend-${deliveryId}`, () => attemptDelivery(deliveryId, { trigger: "MANUAL" }));
      results.push({ deliveryId, ok: outcome.ok, next: outcome.next.action });
    }
    return results;
  },
);
