import "server-only";
import { getSessionContext, type SessionContext } from "@/lib/auth/session";
import { errors, toErrorBody, type ErrorBody } from "@/lib/errors";
import { logger } from "@/lib/log";

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ErrorBody["error"] };

/**
 * The one way to write a server action: resolve the signed-in user's workspace
 * and role, run one service verb (which validates with the shared zod schema and
 * checks the role server-side), and map errors exactly as the API does.
 * Unexpected errors are logged and replaced by a generic message.
 */
export function action<I extends object, O>(handler: (ctx: SessionContext, input: I) => Promise<O>) {
  return async (input: I): Promise<ActionResult<O>> => {
    try {
      const ctx = await getSessionContext();
      if (!ctx) throw errors.unauthorized("Your session ended: sign in again");
      assertObjectInput(input);
      return { ok: true, data: await handler(ctx, input) };
    } catch (error) {
      return { ok: false, error: toErrorBody(error, (err) => logger().error({ err }, "server action failed")).body.error };
    }
  };
}

/**
 * An action's input is whatever the browser sent: every action takes an object, and anything else
 * is a 400 here rather than a TypeError (500) in the verb that reads its fields.
 */
export function assertObjectInput(input: unknown): asserts input is object {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw errors.validation([{ path: "", message: "The input must be an object" }]);
  }
}
