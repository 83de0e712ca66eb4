import type { ActionResult } from "@/lib/actions/safe-action";
import { ApiError } from "@/lib/api-client";

/**
 * A server action's result as its data, or thrown as the same `ApiError` a failed /api/v1 read
 * throws (code, message, details): the console's hooks (`lib/features/<feature>/api/`) see one
 * error shape whichever way they reached the server.
 */
export async function unwrap<T>(result: Promise<ActionResult<T>>): Promise<T> {
  const settled = await result;
  if (!settled.ok) throw new ApiError(null, settled.error.code, settled.error.message, settled.error.details);
  return settled.data;
}
