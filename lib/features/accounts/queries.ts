import "server-only";
import { assertOperator, type ServiceContext } from "@/lib/context";
import { db } from "@/lib/db/client";

const DAY_MS = 24 * 3600 * 1000;

export type AccountSummary = {
  account: string;
  endpoints: number;
  /** Attempts of the account's endpoints in the last 24 h. */
  attempts24h: number;
  /** 0–1, null when there was no attempt in the window. */
  successRate24h: number | null;
  lastFailure: { at: string; endpointId: string; responseStatus: number | null; errorCode: string | null } | null;
  /** Portal links that still open a session (revocable from the accounts page). */
  openLinks: number;
};

/**
 * The accounts page: every account that owns an endpoint or published in the last 24 h,
 * with its endpoint count, 24 h success rate and last failure, in one query.
 */
export async function listAccounts(ctx: ServiceContext): Promise<AccountSummary[]> {
  assertOperator(ctx);
  const now = new Date();
  const since = new Date(now.getTime() - DAY_MS);
  const rows = await db().$queryRaw<
    Array<{ account: string; endpoints: bigint; openLinks: bigint; total: bigint; ok: bigint; failAt: Date | null; failEndpoint: string | null; failStatus: number | null; failCode: string | null }>
  >`
    WITH accounts AS (
      SELECT account FROM "Endpoint" WHERE "workspaceId" = ${ctx.workspaceId} AND account IS NOT NULL
      UNION
      SELECT account FROM "Message" WHERE "workspaceId" = ${ctx.workspaceId} AND account IS NOT NULL AND "createdAt" >= ${since}
      UNION
      SELECT account FROM "PortalLink" WHERE "workspaceId" = ${ctx.workspaceId} AND "expiresAt" > ${now}
    )
    SELECT a.account,
           (SELECT count(*) FROM "Endpoint" e WHERE e."workspaceId" = ${ctx.workspaceId} AND e.account = a.account) AS endpoints,
           (SELECT count(*) FROM "PortalLink" p WHERE p."workspaceId" = ${ctx.workspaceId} AND p.account = a.account AND p."expiresAt" > ${now}) AS "openLinks",
           coalesce(s.total, 0) AS total, coalesce(s.ok, 0) AS ok,
           f."createdAt" AS "failAt", f."endpointId" AS "failEndpoint", f."responseStatus" AS "failStatus", f."errorCode" AS "failCode"
      FROM accounts a
      LEFT JOIN LATERAL (
        SELECT count(*) AS total, count(*) FILTER (WHERE t.outcome = 'SUCCESS') AS ok
          FROM "Attempt" t JOIN "Endpoint" e ON e.id = t."endpointId"
         WHERE e."workspaceId" = ${ctx.workspaceId} AND e.account = a.account AND t."createdAt" >= ${since}
      ) s ON true
      LEFT JOIN LATERAL (
        SELECT t."createdAt", t."endpointId", t."responseStatus", t."errorCode"
          FROM "Attempt" t JOIN "Endpoint" e ON e.id = t."endpointId"
         WHERE e."workspaceId" = ${ctx.workspaceId} AND e.account = a.account AND t.outcome = 'FAILURE'
         ORDER BY t."createdAt" DESC LIMIT 1
      ) f ON true
     ORDER BY a.account`;
  return rows.map((row) => {
    const total = Number(row.total);
    return {
      account: row.account,
      endpoints: Number(row.endpoints),
      openLinks: Number(row.openLinks),
      attempts24h: total,
      successRate24h: total ? Number(row.ok) / total : null,
      lastFailure: row.failAt
        ? { at: row.failAt.toISOString(), endpointId: row.failEndpoint!, responseStatus: row.failStatus, errorCode: row.failCode }
        : null,
    };
  });
}
