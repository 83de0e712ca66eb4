import "server-only";
import { hashPassword } from "@/lib/auth/password";
import { assertCanWrite, assertOwner, hasRole, type ServiceContext } from "@/lib/context";
import { db, type Tx } from "@/lib/db/client";
import { errors } from "@/lib/errors";
import type { Role } from "@/lib/generated/prisma/enums";
import { newId } from "@/lib/ids";
import { parseId, parseWith } from "@/lib/validation";
import { changeRoleSchema, inviteMemberSchema, type InviteMemberInput } from "@/lib/features/settings/schema";

export type MemberDto = {
  id: string;
  userId: string;
  email: string;
  role: Role;
  joinedAt: string;
  isYou: boolean;
};

export async function listMembers(ctx: ServiceContext): Promise<MemberDto[]> {
  const rows = await db().membership.findMany({
    where: { workspaceId: ctx.workspaceId },
    include: { user: { select: { email: true } } },
    orderBy: { createdAt: "asc" },
  });
  const you = ctx.actor.type === "user" ? ctx.actor.id : null;
  return rows.map((row) => ({
    id: row.id,
    userId: row.userId,
    email: row.user.email,
    role: row.role as Role,
    joinedAt: row.createdAt.toISOString(),
    isYou: row.userId === you,
  }));
}

/**
 * Adds someone to the workspace. A new email gets an account with the password
 * the inviter chose (to be shared out of band); an existing account only gains
 * the membership — its password is never touched, or an invite could take it over.
 * Admins invite admins and viewers; only an owner can make another owner.
 */
export async function inviteMember(ctx: ServiceContext, input: InviteMemberInput) {
  assertCanWrite(ctx);
  const { email, password, role } = parseWith(inviteMemberSchema, input);
  if (role === "OWNER") assertOwner(ctx);
  // Hash outside the transaction: argon2 is deliberately slow.
  const passwordHash = await hashPassword(password);
  try {
    return await db().$transaction(async (tx) => {
      const existing = await tx.user.findUnique({ where: { email } });
      if (existing) {
        const already = await tx.membership.findUnique({ where: { workspaceId_userId: { workspaceId: ctx.workspaceId, userId: existing.id } } });
        if (already) throw errors.conflict(`${email} is already a member of this workspace`);
      }
      const user = existing ?? (await tx.user.create({ data: { id: newId("usr"), email, passwordHash } }));
      const membership = await tx.membership.create({ data: { id: newId("mem"), workspaceId: ctx.workspaceId, userId: user.id, role } });
      return { membershipId: membership.id, userId: user.id, email, role, createdUser: !existing };
    });
  } catch (error) {
    // Two invites of the same email racing: the unique index decides, the loser hears why.
    if ((error as { code?: string }).code === "P2002") throw errors.conflict(`${email} was just added by someone else`);
    throw error;
  }
}

/** Locks the workspace's owner rows so two owners demoting each other at once cannot leave none. */
async function lockOwners(tx: Tx, workspaceId: string): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "Membership" WHERE "workspaceId" = ${workspaceId} AND role = 'OWNER' FOR UPDATE`;
  return rows.map((row) => row.id);
}

async function findMembership(tx: Tx, ctx: ServiceContext, membershipId: string) {
  const membership = await tx.membership.findFirst({ where: { id: parseId(membershipId, "membershipId"), workspaceId: ctx.workspaceId } });
  if (!membership) throw errors.notFound("Member");
  return membership;
}

export async function changeMemberRole(ctx: ServiceContext, input: { membershipId: string; role: Role }) {
  assertOwner(ctx);
  const { membershipId, role } = parseWith(changeRoleSchema, input);
  return db().$transaction(async (tx) => {
    const owners = await lockOwners(tx, ctx.workspaceId);
    const membership = await findMembership(tx, ctx, membershipId);
    if (membership.role === role) return { id: membership.id, role };
    if (membership.role === "OWNER" && owners.length <= 1) {
      throw errors.conflict("A workspace needs at least one owner: make someone else an owner first");
    }
    await tx.membership.update({ where: { id: membership.id }, data: { role } });
    return { id: membership.id, role };
  });
}

export async function removeMember(ctx: ServiceContext, membershipId: string) {
  assertOwner(ctx);
  await db().$transaction(async (tx) => {
    const owners = await lockOwners(tx, ctx.workspaceId);
    const membership = await findMembership(tx, ctx, membershipId);
    if (membership.role === "OWNER" && owners.length <= 1) {
      throw errors.conflict("A workspace needs at least one owner: make someone else an owner first");
    }
    // The account stays (it may belong to other workspaces); without a membership it can no longer sign in here.
    await tx.membership.delete({ where: { id: membership.id } });
  });
}

/** What the members UI may offer this caller; the verbs above check again. */
export function memberPermissions(ctx: ServiceContext) {
  return { canInvite: hasRole(ctx, "ADMIN"), canManage: hasRole(ctx, "OWNER"), canInviteOwner: hasRole(ctx, "OWNER") };
}
