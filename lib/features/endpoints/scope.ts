import "server-only";
import { endpointScope, type ServiceContext } from "@/lib/context";
import { db } from "@/lib/db/client";
import { errors } from "@/lib/errors";
import { parseId } from "@/lib/validation";

/**
 * The filter for one endpoint the caller may reach. The id is checked first: one that arrived as
 * `undefined` (a server action's input is whatever the browser sent) would reach Prisma as a
 * filter on nothing, and match every endpoint in scope.
 */
export function endpointWhere(ctx: ServiceContext, id: unknown) {
  return { id: parseId(id), ...endpointScope(ctx) };
}

/** A 404 unless the endpoint exists within the caller's scope (a 400 for an id that is not one). */
export async function assertEndpointInScope(ctx: ServiceContext, id: unknown): Promise<void> {
  const endpoint = await db().endpoint.findFirst({ where: endpointWhere(ctx, id), select: { id: true } });
  if (!endpoint) throw errors.notFound("Endpoint");
}
