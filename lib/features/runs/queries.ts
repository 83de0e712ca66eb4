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
  const endpointIds = (await db().endpoint.findMany({ where: { workspaceId: ctx.workspaceId }, select: { id: true } })).map(
    (endpoint) => endpoint.id,
  );
  const page = await listRuns(env().DATABASE_URL!, {
    ...query,
    scope: { workspaceId: ctx.workspaceId, endpointIds, includeUnscoped: hasRole(ctx, "OWNER") },
  });
  return { data: page.data.map(withoutStack), nextCursor: page.nextCursor };
}

/** Stack traces stay on the server (they name files and lines): callers see the error's name and message. */
function withoutStack(run: RunView): RunView {
  return { ...run, error: publicError(run.error), output: run.status === "FAILED" ? publicError(run.output) : run.output };
}

function publicError(error: unknown): unknown {
  if (error === null || typeof error !== "object") return error;
  const { name, message } = error as { name?: unknown; message?: unknown };
  return { name: typeof name === "string" ? name : "Error", message: typeof message === "string" ? message : "The run failed" };
}
