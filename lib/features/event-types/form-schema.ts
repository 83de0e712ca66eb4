import { z } from "zod";
import { eventTypeCreateSchema } from "@/lib/features/event-types/schema";
import { jsonObjectText } from "@/lib/json-object";

/** A JSON object typed into a textarea; empty means "none" (both fields are optional). */
const jsonObjectTextSchema = jsonObjectText({ optional: true });

// The API's create schema for name and description, with the two JSON fields edited as text.
export const eventTypeFormSchema = eventTypeCreateSchema.pick({ name: true, description: true }).extend({
  description: z.string().trim().max(500),
  exampleText: jsonObjectTextSchema,
  schemaText: jsonObjectTextSchema,
});
export type EventTypeFormValues = z.input<typeof eventTypeFormSchema>;

export function parseJsonText(text: string): Record<string, unknown> | null {
  return text.trim() ? (JSON.parse(text) as Record<string, unknown>) : null;
}

export function toJsonText(value: unknown): string {
  return value === null || value === undefined ? "" : JSON.stringify(value, null, 2);
}
