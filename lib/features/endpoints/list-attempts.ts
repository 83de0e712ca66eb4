import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import type { ServiceContext } from "@/lib/context";
import { assertEndpointInScope } from "@/lib/features/endpoints/scope";
import { afterCursor, toPage } from "@/lib/pagination";
import { parseWith } from "@/lib/validation";

type AttemptRow = Awaited<ReturnType<ReturnType<typeof db>["attempt"]["findFirstOrThrow"]>>;

export function toAttemptDto(row: AttemptRow) {
  return {
    id: row.id,
    deliveryId: row.deliveryId,
    messageId: row.messageId,
    endpointId: row.endpointId,
    eventType: row.eventType,
    number: row.number,
    trigger: row.trigger,
    outcome: row.outcome === "SUCCESS" ? ("success" as const) : ("failure" as const),
    requestUrl: row.requestUrl,
    requestHeaders: row.requestHeaders as Record<string, string>,
    requestBody: row.requestBody,
    responseStatus: row.responseStatus,
    responseHeaders: (row.responseHeaders as Record<string, string> | null) ?? null,
    responseBody: row.responseBody,
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    durationMs: row.durationMs,
    createdAt: row.createdAt.toISOString(),
  };
}
export type AttemptDto = ReturnType<typeof toAttemptDto>;

export const listAttemptsSchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(10),
  outcome: z.enum(["success", "failure"]).optional(),
  cursor: z.string().max(100).optional(),
});

/** "Last N attempts of an endpoint": served by the (endpointId, createdAt desc, id desc) index, paged on the same key. */
export async function listEndpointAttempts(ctx: ServiceContext, endpointId: string, input: z.input<typeof listAttemptsSchema>) {
  const query = parseWith(listAttemptsSchema, input);
  await assertEndpointInScope(ctx, endpointId);
  const rows = await db().attempt.findMany({
    where: {
      endpointId,
      ...(query.outcome ? { outcome: query.outcome === "success" ? "SUCCESS" : "FAILURE" } : {}),
      ...afterCursor(query.cursor),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
  });
  const { page, nextCursor } = toPage(rows, query.limit);
  return { data: page.map(toAttemptDto), nextCursor };
}
