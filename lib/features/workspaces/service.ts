import "server-only";
import type { ServiceContext } from "@/lib/context";
import { db } from "@/lib/db/client";
import { errors } from "@/lib/errors";
import type { Role } from "@/lib/generated/prisma/enums";
import { newId } from "@/lib/ids";
import { parseWith } from "@/lib/validation";
import { createWorkspaceSchema, switchWorkspaceSchema, type CreateWorkspaceInput, type SwitchWorkspaceInput } from "@/lib/features/workspaces/schema";
import type { WorkspaceChoice } from "@/lib/features/workspaces/types";

/**
 * Workspaces are chosen per user, not per browser: the membership the user switched to last
 * (`Membership.selectedAt`) is their current workspace on every device, and the session code
 * (lib/auth/session.ts) reads it from the membership rows on each request. Switching is
 * therefore one UPDATE of the user's own membership row: a workspace they are not a member of
 * has no row to update, so it cannot become current.
 */
function userOf(ctx: ServiceContext): string {
  if (ctx.actor.type !== "user") throw errors.forbidden("Only a signed-in person can choose workspaces");
  return ctx.actor.id;
}

/** The workspaces the signed-in user belongs to, with their role in each, oldest first. */
export async function listMyWorkspaces(ctx: ServiceContext): Promise<WorkspaceChoice[]> {
  const rows = await db().membership.findMany({
    where: { userId: userOf(ctx) },
    select: { role: true, workspace: { select: { id: true, name: true } } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map((row) => ({ id: row.workspace.id, name: row.workspace.name, role: row.role as Role, current: row.workspace.id === ctx.workspaceId }));
}

/** An owner of any workspace may create more (one per product, staging beside production). */
export async function canCreateWorkspace(ctx: ServiceContext): Promise<boolean> {
  if (ctx.actor.type !== "user") return false;
  return (await db().membership.count({ where: { userId: ctx.actor.id, role: "OWNER" } })) > 0;
}

/**
 * Creates an empty workspace (no endpoints, event types, keys or members but its creator, who
 * owns it) and makes it the creator's current one. A name the user already has is refused, so
 * the switcher never shows two workspaces they cannot tell apart.
 */
export async function createWorkspace(ctx: ServiceContext, input: CreateWorkspaceInput) {
  const userId = userOf(ctx);
  const { name } = parseWith(createWorkspaceSchema, input);
  if (!(await canCreateWorkspace(ctx))) throw errors.forbidden("Only a workspace owner can create workspaces");
  return db().$transaction(async (tx) => {
    // One user creating twice at once (a double submit) must not get two workspaces of one name.
    await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${userId} FOR UPDATE`;
    const same = await tx.membership.findFirst({
      where: { userId, workspace: { name: { equals: name, mode: "insensitive" } } },
      select: { id: true },
    });
    if (same) throw errors.conflict(`You already have a workspace named “${name}”: choose another name`);
    const workspace = await tx.workspace.create({ data: { id: newId("ws"), name }, select: { id: true, name: true } });
    await tx.membership.create({ data: { id: newId("mem"), workspaceId: workspace.id, userId, role: "OWNER", selectedAt: new Date() } });
    return { ...workspace, role: "OWNER" as Role };
  });
}

/** Makes one of the user's workspaces their current one; any other id is "not found" (it may not exist). */
export async function switchWorkspace(ctx: ServiceContext, input: SwitchWorkspaceInput) {
  const userId = userOf(ctx);
  const { workspaceId } = parseWith(switchWorkspaceSchema, input);
  const { count } = await db().membership.updateMany({ where: { userId, workspaceId }, data: { selectedAt: new Date() } });
  if (count === 0) throw errors.notFound("Workspace");
  const workspace = await db().workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { id: true, name: true } });
  return workspace;
}

/** The email of a signed-in user (null once the account itself is gone), for the no-workspace page. */
export async function signedInEmail(userId: string): Promise<string | null> {
  return (await db().user.findUnique({ where: { id: userId }, select: { email: true } }))?.email ?? null;
}
