import "server-only";
import { assertObjectInput, type ActionResult } from "@/lib/actions/safe-action";
import type { ServiceContext } from "@/lib/context";
import { toErrorBody } from "@/lib/errors";
import { logger } from "@/lib/log";
import { requirePortalSession } from "@/lib/features/portal/links";

/**
 * The customer portal's counterpart of `action`: the session is the portal token the page
 * passes in (no cookie, so the portal works in a cross-site iframe); the service verb gets a
 * context limited to the link's workspace and account, read-only if the link is.
 */
export function portalAction<I extends object, O>(handler: (ctx: ServiceContext, input: I) => Promise<O>) {
  return async (token: string, input: I): Promise<ActionResult<O>> => {
    try {
      const session = await requirePortalSession(token);
      assertObjectInput(input);
      return { ok: true, data: await handler(session.ctx, input) };
    } catch (error) {
      return { ok: false, error: toErrorBody(error, (err) => logger().error({ err }, "portal action failed")).body.error };
    }
  };
}
