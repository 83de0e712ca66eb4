import { z } from "zod";

export type ParsedJsonObject = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

/** A JSON object typed by a person (payload editors, schema fields), with a message they can act on. */
export function parseJsonObject(text: string): ParsedJsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `Not valid JSON: ${(error as Error).message}` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, message: "Must be a JSON object ({ … })" };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/** zod for such text; with `optional`, empty text means "none". */
export function jsonObjectText({ optional = false } = {}) {
  return z.string().superRefine((text, ctx) => {
    if (optional && !text.trim()) return;
    const parsed = parseJsonObject(text);
    if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.message });
  });
}
