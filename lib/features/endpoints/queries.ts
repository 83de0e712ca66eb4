import "server-only";
import { z } from "zod";
import type { ServiceContext } from "@/lib/context";
import { db } from "@/lib/db/client";
import { assertEndpointInScope } from "@/lib/features/endpoints/scope";
import { listEndpoints } from "@/lib/features/endpoints/service";
import { parseWith } from "@/lib/validation";

const DAY_MS = 24 * 3600 * 1000;

export type EndpointStats = {
  /** Attempts of the last 24 h (tests included: they are real requests to the receiver). */
  attempts24h: number;
  succeeded24h: number;
  /** 0–1, null when there was no attempt in the window. */
  successRate24h: number | null;
  lastAttemptAt: string | null;
  lastAttemptOk: boolean | null;
};

/**
 * The endpoints list: every endpoint with its 24 h success rate and last attempt,
 * in two queries whatever the number of endpoints (the aggregate is served by the
 * (workspaceId, createdAt) index of Attempt). The rate leaves "Send test" out, as the
 * overview does; the last attempt may be one.
 */
export async function listEndpointsWithStats(ctx: ServiceContext, options: { account?: string } = {}) {
  const since = new Date(Date.now() - DAY_MS);
  const [endpoints, rows] = await Promise.all([
    listEndpoints(ctx, options),
    db().$queryRaw<Array<{ endpointId: string; total: bigint; ok: bigint; lastAt: Date; lastOk: boolean }>>`
      SELECT "endpointId",
             count(*) FILTER (WHERE trigger <> 'TEST') AS total,
             count(*) FILTER (WHERE outcome = 'SUCCESS' AND trigger <> 'TEST') AS ok,
             max("createdAt") AS "lastAt",
             (array_agg(outcome = 'SUCCESS' ORDER BY "createdAt" DESC, id DESC))[1] AS "lastOk"
        FROM "Attempt"
       WHERE "workspaceId" = ${ctx.workspaceId} AND "createdAt" >= ${since}
       GROUP BY "endpointId"`,
  ]);
  const byEndpoint = new Map(rows.map((row) => [row.endpointId, row]));
  return endpoints.map((endpoint) => {
    const row = byEndpoint.get(endpoint.id);
    const total = Number(row?.total ?? 0);
    const ok = Number(row?.ok ?? 0);
    const stats: EndpointStats = {
      attempts24h: total,
      succeeded24h: ok,
      successRate24h: total ? ok / total : null,
      // Older than 24 h: the endpoint row remembers when, not how it went.
      lastAttemptAt: row ? row.lastAt.toISOString() : endpoint.lastAttemptAt,
      lastAttemptOk: row ? row.lastOk : null,
    };
    return { ...endpoint, stats };
  });
}
export type EndpointListItem = Awaited<ReturnType<typeof listEndpointsWithStats>>[number];

export const recoveryProgressSchema = z
  .object({ since: z.iso.datetime({ offset: true }), startedAt: z.iso.datetime({ offset: true }) })
  .strict();

/**
 * Progress of "Recover failed since…": deliveries of the window still FAILED (or
 * PAUSED) and untouched since the recovery started are waiting; the others were requeued
 * and are pending, delivered, or failed again.
 */
export async function getRecoveryProgress(ctx: ServiceContext, endpointId: string, input: z.input<typeof recoveryProgressSchema>) {
  const { since, startedAt } = parseWith(recoveryProgressSchema, input);
  await assertEndpointInScope(ctx, endpointId);
  const start = new Date(startedAt);
  const rows = await db().$queryRaw<Array<{ touched: boolean; status: string; count: bigint }>>`
    SELECT ("updatedAt" >= ${start}) AS touched, status::text AS status, count(*) AS count
      FROM "Delivery"
     WHERE "endpointId" = ${endpointId} AND "createdAt" >= ${new Date(since)} AND "createdAt" < ${start}
       AND (status IN ('FAILED', 'PAUSED') OR "updatedAt" >= ${start})
     GROUP BY 1, 2`;
  const count = (touched: boolean, statuses: string[]) =>
    rows.filter((row) => row.touched === touched && statuses.includes(row.status)).reduce((sum, row) => sum + Number(row.count), 0);
  return {
    waiting: count(false, ["FAILED", "PAUSED"]),
    inFlight: count(true, ["PENDING", "SENDING"]),
    succeeded: count(true, ["SUCCEEDED"]),
    failedAgain: count(true, ["FAILED"]),
  };
}
export type RecoveryProgress = Awaited<ReturnType<typeof getRecoveryProgress>>;
