import { z } from "zod";
import { eventTypeNameSchema } from "@/lib/delivery/schemas";

const jsonObject = z.record(z.string(), z.unknown());

export const eventTypeCreateSchema = z.object({
  name: eventTypeNameSchema,
  description: z.string().trim().max(500).default(""),
  schema: jsonObject.nullish(),
  examplePayload: jsonObject.nullish(),
});
export type EventTypeCreateInput = z.input<typeof eventTypeCreateSchema>;

export const eventTypeUpdateSchema = z
  .object({
    description: z.string().trim().max(500),
    schema: jsonObject.nullable(),
    examplePayload: jsonObject.nullable(),
    archived: z.boolean(),
  })
  .partial()
  .strict();
export type EventTypeUpdateInput = z.input<typeof eventTypeUpdateSchema>;

export const importPresetSchema = z.object({ preset: z.string().min(1) });
