import "server-only";
import { assertCanWrite, assertOperator, type ServiceContext } from "@/lib/context";
import { db } from "@/lib/db/client";
import { errors } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { parseWith } from "@/lib/validation";
import { readPortalSettings } from "./links";
import { portalSettingsSchema, type PortalSettingsInput } from "./schema";

export async function getPortalSettings(ctx: ServiceContext) {
  const workspace = await db().workspace.findUnique({ where: { id: ctx.workspaceId }, select: { portal: true } });
  if (!workspace) throw errors.notFound("Workspace");
  return readPortalSettings(workspace.portal);
}

export async function updatePortalSettings(ctx: ServiceContext, input: PortalSettingsInput) {
  assertCanWrite(ctx);
  assertOperator(ctx);
  const settings = parseWith(portalSettingsSchema, input);
  settings.allowedOrigins = [...new Set(settings.allowedOrigins.map((origin) => new URL(origin).origin))];
  await db().workspace.update({ where: { id: ctx.workspaceId }, data: { portal: settings as Prisma.InputJsonValue } });
  return settings;
}
