import "server-only";
import { assertCanWrite, type ServiceContext } from "@/lib/context";
import { env } from "@/lib/env";
import { shedIfOverloaded } from "@/lib/features/messages/admission";
import { publish, publishBatch } from "@/lib/features/messages/publish";
import { rawElements, rawMember } from "@/lib/features/messages/raw-json";

/** Reads the request's JSON body, refusing more than `maxBytes` (413) and invalid JSON (400). */
export type BodyReader = (maxBytes: number) => Promise<{ text: string; json: unknown }>;
export type Reply = { status: number; body: unknown };

/**
 * POST /api/v1/messages once the caller is known: 202 for a new message; 200 with the original
 * when the idempotency key was seen before. The one core of the Next route and of the direct path
 * (lib/api/direct.ts), so the two cannot answer differently.
 */
export async function publishRequest(ctx: ServiceContext, readBody: BodyReader): Promise<Reply> {
  // A viewer's key is refused before its body is read: a read-only key cannot make us buffer 256 KiB.
  assertCanWrite(ctx);
  shedIfOverloaded(); // an overloaded process answers 503 at once rather than late
  // The envelope may exceed the payload limit a little; publish enforces the limit on the payload itself.
  const { text, json } = await readBody(env().HOOKLINE_MAX_BODY_BYTES + 16 * 1024);
  const result = await publish(ctx, json as never, { rawPayload: rawMember(text, "payload") });
  const { message, deliveries } = result;
  return { status: result.created ? 202 : 200, body: { ...message, deliveries } };
}

/**
 * POST /api/v1/messages/batch once the caller is known: up to 100 messages in one transaction,
 * 202 with every message (200 when each one was an idempotent repeat); any refused message
 * refuses the whole batch, its index in the details.
 */
export async function publishBatchRequest(ctx: ServiceContext, readBody: BodyReader): Promise<Reply> {
  assertCanWrite(ctx);
  shedIfOverloaded(); // before the body is read, as for POST /messages
  const { text, json } = await readBody(env().HOOKLINE_MAX_BATCH_BYTES);
  const messages = rawMember(text, "messages");
  const rawPayloads = messages === undefined ? undefined : rawElements(messages)?.map((item) => rawMember(item, "payload"));
  const result = await publishBatch(ctx, json, { rawPayloads });
  const data = result.messages.map(({ created, message, deliveries }) => ({ ...message, created, deliveries }));
  return { status: result.created ? 202 : 200, body: { data } };
}
