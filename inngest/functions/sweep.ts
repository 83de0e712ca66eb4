import { inngest } from "@/inngest/client";
import { applyEngineRetention, applyRetention, sweepDeliveries } from "@/lib/delivery/maintenance";
import { pruneRateLimits } from "@/lib/rate-limit";

/** Every minute: repairs what a crash can leave behind, and applies retention. */
export const sweep = inngest.createFunction(
  { id: "sweep", name: "Sweep deliveries", triggers: [{ cron: "* * * * *" }], concurrency: 1 },
  async ({ step }) => {
    // Every unfinished delivery is either running or due; the sweep re-requests the rest.
    const requested = await step.run("running-or-due", () => sweepDeliveries());
    const deleted = await step.run("retention", () => applyRetention());
    const engineDeleted = await step.run("engine-retention", () => applyEngineRetention());
    await step.run("prune-rate-limits", () => pruneRateLimits());
    return { ...requested, deleted, engineDeleted };
  },
);
