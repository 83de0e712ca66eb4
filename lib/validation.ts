import type { z } from "zod";
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
