import "server-only";
import type { ServiceContext } from "@/lib/context";
import { publish } from "@/lib/features/messages/publish";
import { explainMessage } from "@/lib/features/playground/explain";
import { playgroundFireSchema, type PlaygroundFireInput } from "@/lib/features/playground/schema";
import { parseWith } from "@/lib/validation";

/**
 * Publishes a sample event exactly as the host application's own server code
 * would (the one publish verb, parsed payload, no raw text), then explains the
 * routing decision for every endpoint of the workspace.
 */
export async function fireSampleEvent(ctx: ServiceContext, input: PlaygroundFireInput) {
  const data = parseWith(playgroundFireSchema, input);
  const payload = JSON.parse(data.payloadText) as Record<string, unknown>;
  const result = await publish(ctx, { eventType: data.eventType, payload, account: data.account || undefined });
  // "Created as" is what publish stored, not what the read below finds: by then the worker may
  // have claimed the delivery (SENDING) or delivered it.
  const created = new Map(result.deliveries.map((delivery) => [delivery.id, delivery.status]));
  const endpoints = await explainMessage(ctx, result.message.id);
  return {
    created: result.created,
    message: result.message,
    endpoints: endpoints.map((endpoint) =>
      endpoint.delivery
        ? { ...endpoint, delivery: { ...endpoint.delivery, status: created.get(endpoint.delivery.id) ?? endpoint.delivery.status, current: endpoint.delivery.status } }
        : endpoint,
    ),
  };
}
export type FireResult = Awaited<ReturnType<typeof fireSampleEvent>>;
