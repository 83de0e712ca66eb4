import { endpointRecoverRequested, inngest } from "@/inngest/client";
import { requeueFailedBatch } from "@/lib/delivery/resend";

const MAX_BATCHES = 1000; // 100 000 deliveries per recovery request

/** Bulk re-delivery of an endpoint's failed deliveries since a time, a batch per step (the run shows progress). */
export const recover = inngest.createFunction(
  {
    id: "recover",
    name: "Recover failed deliveries",
    triggers: [endpointRecoverRequested],
    concurrency: [{ key: "event.data.endpointId", limit: 1 }],
    retries: 5,
  },
  async ({ event, step, runId }) => {
    const since = new Date(event.data.since);
    let total = 0;
    let afterId: string | null = null;
    for (let batch = 1; batch <= MAX_BATCHES; batch++) {
      const cursor: string | null = afterId;
      const result: { count: number; lastId: string | null } = await step.run(`requeue-${batch}`, () =>
        requeueFailedBatch(event.data.endpointId, since, cursor, `recover-${runId}`),
      );
      total += result.count;
      afterId = result.lastId;
      if (result.count === 0) break;
    }
    return { endpointId: event.data.endpointId, requeued: total };
  },
);
