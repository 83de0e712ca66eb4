import "server-only";
import { assertCanWrite, type ServiceContext } from "@/lib/context";
import { db } from "@/lib/db/client";
import { errors } from "@/lib/errors";
import { parseWith } from "@/lib/validation";
import { renameWorkspaceSchema, type RenameWorkspaceInput } from "@/lib/features/settings/schema";

export async function getWorkspace(ctx: ServiceContext) {
  const workspace = await db().workspace.findUnique({ where: { id: ctx.workspaceId }, select: { id: true, name: true, createdAt: true } });
  if (!workspace) throw errors.notFound("Workspace");
  return { id: workspace.id, name: workspace.name, createdAt: workspace.createdAt.toISOString() };
}

/** Admins and owners may rename; the name shows in the console shell and nowhere on the wire. */
export async function renameWorkspace(ctx: ServiceContext, input: RenameWorkspaceInput) {
  assertCanWrite(ctx);
  const { name } = parseWith(renameWorkspaceSchema, input);
  const workspace = await db().workspace.update({ where: { id: ctx.workspaceId }, data: { name }, select: { id: true, name: true } });
  return workspace;
}
