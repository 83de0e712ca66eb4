import "server-only";
import { z } from "zod";
import { listRuns, type RunView } from "@/inngest/engine/runs";
import { hasRole, type ServiceContext } from "@/lib/context";
import { db } from "@/lib/db/client";
import { env, usesLocalEngine } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { parseWith } from "@/lib/validation";

export const listRunsSchema = z.object({
  status: z.enum(["RUNNING", "SLEEPING", "COMPLETED", "FAILED", "CANCELLED"]).optional(),
  functionId: z.string().max(200).optional(),
  eventName: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(100).optional(),
});

/**
 * Runs of the local engine that belong to the caller's workspace (by the
 * event's workspaceId or endpointId). Workspace-less runs (the cron sweep) are
 * shown to owners. With Inngest Cloud or a self-hosted server, runs live in its dashboard.
 */
export async function listWorkspaceRuns(ctx: ServiceContext, input: z.input<typeof listRunsSchema>) {
  const query = parseWith(listRunsSchema, input);
  if (env().HOOKLINE_EXECUTOR !== "local-engine" && !usesLocalEngine()) {
    throw new AppError("not_available", "Runs are listed by the local engine only; with Inngest, open its dashboard", 404);
  }
  const page = await listRuns(env().DATABASE_URL!, query);
  const endpointIds = new Set(
    (await db().endpoint.findMany({ where: { workspaceId: ctx.workspaceId }, select: { id: true } })).map((endpoint) => endpoint.id),
  );
  const mine = (run: RunView) => {
    const data = (run.event.data ?? {}) as { workspaceId?: string; endpointId?: string };
    if (data.workspaceId) return data.workspaceId === ctx.workspaceId;
    if (data.endpointId) return endpointIds.has(data.endpointId);
    return hasRole(ctx, "OWNER");
  };
  return { data: page.data.filter(mine), nextCursor: page.nextCursor };
}
