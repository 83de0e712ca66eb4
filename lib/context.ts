import type { Role } from "@/lib/generated/prisma/enums";
import { errors } from "@/lib/errors";

/** Who is calling, on behalf of which workspace: passed into every service verb. */
export type ServiceContext = {
  workspaceId: string;
  role: Role;
  actor:
    | { type: "user"; id: string; email: string }
    | { type: "apiKey"; id: string }
    | { type: "portal"; id: string } // the portal link's id
    | { type: "system" };
  /**
   * Set for a customer-portal session: every verb sees and changes only this account's
   * endpoints, their deliveries and attempts, and the account's messages.
   */
  account?: string;
  /** A portal link may offer only some event types of the catalog (empty or unset: all). */
  eventTypes?: string[];
};

const RANK: Record<Role, number> = { VIEWER: 0, ADMIN: 1, OWNER: 2 };

export function hasRole(ctx: ServiceContext, role: Role): boolean {
  return RANK[ctx.role] >= RANK[role];
}

/** VIEWER can read everything and change nothing; checked server-side in every writing verb. */
export function assertCanWrite(ctx: ServiceContext) {
  if (!hasRole(ctx, "ADMIN")) throw errors.forbidden("Viewers can look but not change anything");
}

export function assertOwner(ctx: ServiceContext) {
  if (!hasRole(ctx, "OWNER")) throw errors.forbidden("Only an owner can do this");
}

/** Endpoints the caller may reach: the workspace's, or only the account's in a portal session. */
export function endpointScope(ctx: ServiceContext) {
  return ctx.account === undefined ? { workspaceId: ctx.workspaceId } : { workspaceId: ctx.workspaceId, account: ctx.account };
}

/** Messages the caller may read: the workspace's, or only the account's in a portal session. */
export function messageScope(ctx: ServiceContext) {
  return endpointScope(ctx);
}

/** Deliveries (and attempts) the caller may reach: those of endpoints in its scope. */
export function deliveryScope(ctx: ServiceContext) {
  return ctx.account === undefined
    ? { workspaceId: ctx.workspaceId }
    : { workspaceId: ctx.workspaceId, endpoint: { account: ctx.account } };
}

/** Operator-only verbs (event type catalog, API keys, members, workspace settings) refuse portal sessions. */
export function assertOperator(ctx: ServiceContext) {
  if (ctx.account !== undefined) throw errors.forbidden("This is not available in the portal");
}
