import { z } from "zod";
import { errors } from "@/lib/errors";

/** Parses with a zod schema; a failure becomes a 400 whose details list each issue's path and message. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw errors.validation(
      result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message, code: issue.code })),
    );
  }
  return result.data;
}

/** A record's id as a caller passes it (server actions take whatever the browser sent). */
export const idSchema = z.string("must be an id").min(1, "must be an id").max(100, "must be an id");

/** `value` as an id, or a 400 naming `field`: an id left out must never reach Prisma as `undefined`, which filters nothing. */
export function parseId(value: unknown, field = "id"): string {
  return parseWith(z.object({ [field]: idSchema }), { [field]: value })[field] as string;
}
