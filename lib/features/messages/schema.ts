import { z } from "zod";
import { eventTypeNameSchema } from "@/lib/delivery/schemas";

/** A message's idempotency key, in the body or as the `Idempotency-Key` header. */
export const idempotencyKeySchema = z.string().min(1).max(200);

export const publishSchema = z
  .object({
    eventType: eventTypeNameSchema,
    payload: z.record(z.string(), z.unknown(), { error: "payload must be a JSON object" }),
    account: z.string().trim().min(1).max(200).nullish(),
    idempotencyKey: idempotencyKeySchema.nullish(),
  })
  .strict();
export type PublishInput = z.input<typeof publishSchema>;

export const MAX_BATCH_MESSAGES = 100;
/** Items are checked one by one with publishSchema, so each refusal can name its index. */
export const publishBatchSchema = z
  .object({
    messages: z
      .array(z.unknown(), { error: "messages must be an array of messages" })
      .min(1, "messages must hold at least one message")
      .max(MAX_BATCH_MESSAGES, `at most ${MAX_BATCH_MESSAGES} messages per batch`),
  })
  .strict();

export const DELIVERY_STATUSES = ["PENDING", "SENDING", "SUCCEEDED", "FAILED", "PAUSED", "CANCELLED"] as const;

export const listMessagesSchema = z.object({
  eventType: eventTypeNameSchema.optional(),
  account: z.string().max(200).optional(),
  status: z.enum(DELIVERY_STATUSES).optional(),
  endpointId: z.string().max(64).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  includeTests: z.enum(["true", "false"]).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(100).optional(),
});
export type ListMessagesInput = z.input<typeof listMessagesSchema>;
