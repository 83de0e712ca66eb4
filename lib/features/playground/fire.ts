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
  return {
    created: result.created,
    message: result.message,
    endpoints: await explainMessage(ctx, result.message.id),
  };
}
export type FireResult = Awaited<ReturnType<typeof fireSampleEvent>>;
