import type { Role } from "@/lib/generated/prisma/enums";
import { errors } from "@/lib/errors";

/** Who is calling, on behalf of which workspace: passed into every service verb. */
export type ServiceContext = {
  workspaceId: string;
  role: Role;
  actor: { type: "user"; id: string; email: string } | { type: "apiKey"; id: string } | { type: "system" };
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
