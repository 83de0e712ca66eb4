import "server-only";
import { assertCanWrite, type ServiceContext } from "@/lib/context";
import { env } from "@/lib/env";
import { errors } from "@/lib/errors";
import { shedIfOverloaded } from "@/lib/features/messages/admission";
import { publish, publishBatch } from "@/lib/features/messages/publish";
import { rawElements, rawMember } from "@/lib/features/messages/raw-json";
import { idempotencyKeySchema } from "@/lib/features/messages/schema";

/** Reads the request's JSON body, refusing more than `maxBytes` (413) and invalid JSON (400). */
export type BodyReader = (maxBytes: number) => Promise<{ text: string; json: unknown }>;
export type Reply = { status: number; body: unknown };

/** The request's `Idempotency-Key` header (Stripe's and Svix's way to send the key), when it has one. */
export type RequestKey = string | null | undefined;

/**
 * The idempotency key sent as a header (`Idempotency-Key`, as Stripe and Svix take it) goes into
 * the body's `idempotencyKey`, where publish reads it; both given must agree. A header that is
 * empty, too long or differs from the body's key is refused (400), never ignored: a client retrying
 * with a key that was dropped would publish twice.
 */
function withHeaderKey(json: unknown, key: RequestKey): unknown {
  if (key === null || key === undefined) return json;
  const problem = (message: string) => errors.validation([{ path: "Idempotency-Key", message }], `The Idempotency-Key header is not valid: ${message}`);
  if (!idempotencyKeySchema.safeParse(key).success) throw problem("it must be 1 to 200 characters");
  if (!json || typeof json !== "object" || Array.isArray(json)) return json; // publish refuses the body itself
  const body = json as { idempotencyKey?: unknown };
  if (body.idempotencyKey !== undefined && body.idempotencyKey !== null && body.idempotencyKey !== key) {
    throw problem("the body's idempotencyKey is a different key; send one of them");
  }
  return { ...body, idempotencyKey: key };
}

/**
 * POST /api/v1/messages once the caller is known: 202 for a new message; 200 with the original
 * when the idempotency key (the body's `idempotencyKey` or the `Idempotency-Key` header) was seen
 * before. The one core of the Next route and of the direct path (lib/api/direct.ts), so the two
 * cannot answer differently.
 */
export async function publishRequest(ctx: ServiceContext, readBody: BodyReader, headerKey?: RequestKey): Promise<Reply> {
  // A viewer's key is refused before its body is read: a read-only key cannot make us buffer 256 KiB.
  assertCanWrite(ctx);
  shedIfOverloaded(); // an overloaded process answers 503 at once rather than late
  // The envelope may exceed the payload limit a little; publish enforces the limit on the payload itself.
  const { text, json } = await readBody(env().HOOKLINE_MAX_BODY_BYTES + 16 * 1024);
  const result = await publish(ctx, withHeaderKey(json, headerKey) as never, { rawPayload: rawMember(text, "payload") });
  const { message, deliveries } = result;
  return { status: result.created ? 202 : 200, body: { ...message, deliveries } };
}

/**
 * POST /api/v1/messages/batch once the caller is known: up to 100 messages in one transaction,
 * 202 with every message (200 when each one was an idempotent repeat); any refused message
 * refuses the whole batch, its index in the details. Each message carries its own
 * `idempotencyKey`: one `Idempotency-Key` header cannot name 100 messages, so it is refused
 * rather than ignored.
 */
export async function publishBatchRequest(ctx: ServiceContext, readBody: BodyReader, headerKey?: RequestKey): Promise<Reply> {
  assertCanWrite(ctx);
  if (headerKey !== null && headerKey !== undefined) {
    throw errors.validation(
      [{ path: "Idempotency-Key", message: "give each message its own idempotencyKey" }],
      "The Idempotency-Key header does not apply to a batch: give each message its own idempotencyKey",
    );
  }
  shedIfOverloaded(); // before the body is read, as for POST /messages
  const { text, json } = await readBody(env().HOOKLINE_MAX_BATCH_BYTES);
  const messages = rawMember(text, "messages");
  const rawPayloads = messages === undefined ? undefined : rawElements(messages)?.map((item) => rawMember(item, "payload"));
  const result = await publishBatch(ctx, json, { rawPayloads });
  const data = result.messages.map(({ created, message, deliveries }) => ({ ...message, created, deliveries }));
  return { status: result.created ? 202 : 200, body: { data } };
}
