import { inngest } from "@/inngest/client";
import { applyRetention, requestUnsentDeliveries, requeueExpiredLeases } from "@/lib/delivery/maintenance";

/** Every minute: repairs what a crash can leave behind, and applies retention. */
export const sweep = inngest.createFunction(
  { id: "sweep", name: "Sweep deliveries", triggers: [{ cron: "* * * * *" }], concurrency: 1 },
  async ({ step }) => {
    const requested = await step.run("request-unsent", () => requestUnsentDeliveries());
    const requeued = await step.run("requeue-expired-leases", () => requeueExpiredLeases());
    const deleted = await step.run("retention", () => applyRetention());
    return { requested, requeued, deleted };
  },
);
