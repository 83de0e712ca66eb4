import type { ActionResult } from "@/lib/actions/safe-action";

/** An action's expected failure as an Error, so React Query's mutation error carries the safe message. */
export class ActionError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export async function unwrap<T>(result: Promise<ActionResult<T>>): Promise<T> {
  const settled = await result;
  if (!settled.ok) throw new ActionError(settled.error.code, settled.error.message, settled.error.details);
  return settled.data;
}
