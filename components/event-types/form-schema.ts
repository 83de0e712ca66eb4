import { z } from "zod";
import { eventTypeCreateSchema } from "@/lib/event-types/schema";

/** A JSON object typed into a textarea; empty means "none" (both fields are optional). */
const jsonObjectText = z.string().superRefine((text, ctx) => {
  if (!text.trim()) return;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    ctx.addIssue({ code: "custom", message: `Not valid JSON: ${(error as Error).message}` });
    return;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    ctx.addIssue({ code: "custom", message: "Must be a JSON object ({ … })" });
  }
});

// The API's create schema for name and description, with the two JSON fields edited as text.
export const eventTypeFormSchema = eventTypeCreateSchema.pick({ name: true, description: true }).extend({
  description: z.string().trim().max(500),
  exampleText: jsonObjectText,
  schemaText: jsonObjectText,
});
export type EventTypeFormValues = z.input<typeof eventTypeFormSchema>;

export function parseJsonText(text: string): Record<string, unknown> | null {
  return text.trim() ? (JSON.parse(text) as Record<string, unknown>) : null;
}

export function toJsonText(value: unknown): string {
  return value === null || value === undefined ? "" : JSON.stringify(value, null, 2);
}
