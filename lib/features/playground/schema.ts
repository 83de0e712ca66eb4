import { z } from "zod";
import { eventTypeNameSchema } from "@/lib/delivery/schemas";
import { jsonObjectText } from "@/lib/json-object";

/** The playground form: the payload is edited as text, so it is parsed here with a message people can act on. */
export const playgroundFireSchema = z.object({
  eventType: eventTypeNameSchema,
  account: z.string().trim().max(200).optional(),
  payloadText: jsonObjectText(),
});
export type PlaygroundFireInput = z.input<typeof playgroundFireSchema>;
