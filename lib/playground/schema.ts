import { z } from "zod";
import { eventTypeNameSchema } from "@/lib/delivery/schemas";

/** The playground form: the payload is edited as text, so it is parsed here with a message people can act on. */
export const playgroundFireSchema = z.object({
  eventType: eventTypeNameSchema,
  account: z.string().trim().max(200).optional(),
  payloadText: z.string().superRefine((text, ctx) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: `Not valid JSON: ${(error as Error).message}` });
      return;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      ctx.addIssue({ code: "custom", message: "The payload must be a JSON object" });
    }
  }),
});
export type PlaygroundFireInput = z.input<typeof playgroundFireSchema>;
