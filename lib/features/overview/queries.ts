import "server-only";
import type { ServiceContext } from "@/lib/context";
import { db } from "@/lib/db/client";

/*
 * The overview's numbers: a handful of aggregate queries over Attempt (served by
 * its (workspaceId, createdAt) index), every one scoped by workspace. "Send test"
 * attempts are left out: they say nothing about how real deliveries are doing.
 *
 * Timestamps are stored as UTC `timestamp without time zone`, so windows are
 * computed in SQL against `now() AT TIME ZONE 'UTC'` rather than from JS Dates,
 * whose parameters would be shifted by the session's time zone.
 */

export type SeriesBucket = { bucket: string; succeeded: number; failed: number };

export type OverviewKpis = {
  messages24h: number;
  deliveries24h: number;
  attempts24h: number;
  succeeded24h: number;
  /** 0–1, or null without attempts */
  successRate24h: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
};

export type EndpointAttention = {
  id: string;
  title: string;
  url: string;
  enabled: boolean;
  /** why it is on the list, in words a person can act on */
  reason: string;
  disabledAt: string | null;
  consecutiveFailures: number;
  failed24h: number;
  attempts24h: number;
  lastSuccessAt: string | null;
  lastAttemptAt: string | null;
};

export type RecentFailure = {
  id: string;
  endpointId: string;
  endpointTitle: string;
  messageId: string;
  deliveryId: string | null;
  eventType: string;
  number: number;
  responseStatus: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  durationMs: number;
  createdAt: string;
};

export type OverviewStats = {
  hasDeliveries: boolean;
  setup: { endpoints: number; eventTypes: number; hasMessages: boolean };
  kpis: OverviewKpis;
  series: { hourly: SeriesBucket[]; daily: SeriesBucket[] };
  attention: EndpointAttention[];
  recentFailures: RecentFailure[];
};

const UNITS = { hour: { count: 24, step: "1 hour" }, day: { count: 14, step: "1 day" } } as const;

/** Succeeded and failed attempts per hour (last 24) or per UTC day (last 14), every bucket present. */
export async function attemptSeries(ctx: ServiceContext, unit: keyof typeof UNITS): Promise<SeriesBucket[]> {
  const { count, step } = UNITS[unit];
  const rows = await db().$queryRaw<SeriesBucket[]>`
    WITH buckets AS (
      SELECT generate_series(
               date_trunc(${unit}, now() AT TIME ZONE 'UTC') - (${count - 1} * ${step}::interval),
               date_trunc(${unit}, now() AT TIME ZONE 'UTC'),
               ${step}::interval) AS bucket
    ), counts AS (
      SELECT date_trunc(${unit}, "createdAt") AS bucket,
             count(*) FILTER (WHERE outcome = 'SUCCESS')::int AS succeeded,
             count(*) FILTER (WHERE outcome = 'FAILURE')::int AS failed
        FROM "Attempt"
       WHERE "workspaceId" = ${ctx.workspaceId}
         AND "createdAt" >= (SELECT min(bucket) FROM buckets)
         AND trigger <> 'TEST'
       GROUP BY 1
    )
    SELECT to_char(b.bucket, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS bucket,
           coalesce(c.succeeded, 0)::int AS succeeded,
           coalesce(c.failed, 0)::int AS failed
      FROM buckets b LEFT JOIN counts c ON c.bucket = b.bucket
     ORDER BY b.bucket`;
  return rows.map((row) => ({ bucket: row.bucket, succeeded: Number(row.succeeded), failed: Number(row.failed) }));
}

export async function overviewKpis(ctx: ServiceContext): Promise<OverviewKpis> {
  const [row] = await db().$queryRaw<
    { messages: number; deliveries: number; attempts: number; succeeded: number; p50: number | null; p95: number | null }[]
  >`
    WITH since AS (SELECT (now() AT TIME ZONE 'UTC') - interval '24 hours' AS at)
    SELECT
      (SELECT count(*)::int FROM "Message"
        WHERE "workspaceId" = ${ctx.workspaceId} AND test = false AND "createdAt" >= (SELECT at FROM since)) AS messages,
      (SELECT count(*)::int FROM "Delivery"
        WHERE "workspaceId" = ${ctx.workspaceId} AND "createdAt" >= (SELECT at FROM since)) AS deliveries,
      a.attempts, a.succeeded, a.p50, a.p95
    FROM (
      SELECT count(*)::int AS attempts,
             count(*) FILTER (WHERE outcome = 'SUCCESS')::int AS succeeded,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY "durationMs")::float8 AS p50,
             percentile_cont(0.95) WITHIN GROUP (ORDER BY "durationMs")::float8 AS p95
        FROM "Attempt"
       WHERE "workspaceId" = ${ctx.workspaceId} AND "createdAt" >= (SELECT at FROM since) AND trigger <> 'TEST'
    ) a`;
  const attempts = Number(row?.attempts ?? 0);
  const succeeded = Number(row?.succeeded ?? 0);
  return {
    messages24h: Number(row?.messages ?? 0),
    deliveries24h: Number(row?.deliveries ?? 0),
    attempts24h: attempts,
    succeeded24h: succeeded,
    successRate24h: attempts > 0 ? succeeded / attempts : null,
    p50Ms: row?.p50 == null ? null : Math.round(Number(row.p50)),
    p95Ms: row?.p95 == null ? null : Math.round(Number(row.p95)),
  };
}

type AttentionRow = {
  id: string;
  title: string;
  url: string;
  enabled: boolean;
  disabledReason: string | null;
  disabledAt: Date | null;
  consecutiveFailures: number;
  lastSuccessAt: Date | null;
  lastAttemptAt: Date | null;
  failed24h: number;
  attempts24h: number;
  lastStatus: number | null;
  lastErrorCode: string | null;
};

/**
 * Disabled endpoints (with the reason they were disabled) and enabled ones that
 * are failing: deliveries given up on in a row, or whose latest attempt failed
 * (a delivery still being retried has not counted as failed yet).
 */
export async function endpointsNeedingAttention(ctx: ServiceContext, limit = 20): Promise<EndpointAttention[]> {
  const rows = await db().$queryRaw<AttentionRow[]>`
    SELECT e.id, e.title, e.url, e.enabled, e."disabledReason", e."disabledAt", e."consecutiveFailures",
           e."lastSuccessAt", e."lastAttemptAt",
           coalesce(w.failed, 0)::int AS "failed24h", coalesce(w.total, 0)::int AS "attempts24h",
           l."responseStatus" AS "lastStatus", l."errorCode" AS "lastErrorCode"
      FROM "Endpoint" e
      LEFT JOIN LATERAL (
        SELECT outcome, "responseStatus", "errorCode" FROM "Attempt"
         WHERE "endpointId" = e.id AND trigger <> 'TEST'
         ORDER BY "createdAt" DESC, id DESC LIMIT 1
      ) l ON true
      LEFT JOIN LATERAL (
        SELECT count(*) FILTER (WHERE outcome = 'FAILURE') AS failed, count(*) AS total FROM "Attempt"
         WHERE "endpointId" = e.id AND trigger <> 'TEST' AND "createdAt" >= (now() AT TIME ZONE 'UTC') - interval '24 hours'
      ) w ON true
     WHERE e."workspaceId" = ${ctx.workspaceId}
       AND (e.enabled = false OR e."consecutiveFailures" > 0 OR l.outcome = 'FAILURE')
     ORDER BY e.enabled ASC, e."consecutiveFailures" DESC, e."lastAttemptAt" DESC NULLS LAST
     LIMIT ${limit}`;
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    url: row.url,
    enabled: row.enabled,
    reason: attentionReason(row),
    disabledAt: isoOrNull(row.disabledAt),
    consecutiveFailures: Number(row.consecutiveFailures),
    failed24h: Number(row.failed24h),
    attempts24h: Number(row.attempts24h),
    lastSuccessAt: isoOrNull(row.lastSuccessAt),
    lastAttemptAt: isoOrNull(row.lastAttemptAt),
  }));
}

function attentionReason(row: AttentionRow): string {
  if (!row.enabled) return row.disabledReason ?? "Disabled";
  const last = row.lastStatus ? `HTTP ${row.lastStatus}` : row.lastErrorCode ? row.lastErrorCode.replaceAll("_", " ").toLowerCase() : null;
  const parts: string[] = [];
  if (row.consecutiveFailures > 0) {
    parts.push(`${row.consecutiveFailures} ${row.consecutiveFailures === 1 ? "delivery" : "deliveries"} failed in a row`);
  } else {
    parts.push("Latest attempt failed");
  }
  if (last) parts.push(`last error: ${last}`);
  return parts.join(" · ");
}

/** The last failed attempts of real deliveries, newest first. */
export async function recentFailures(ctx: ServiceContext, limit = 10): Promise<RecentFailure[]> {
  const rows = await db().attempt.findMany({
    where: { workspaceId: ctx.workspaceId, outcome: "FAILURE", trigger: { not: "TEST" } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: {
      id: true,
      endpointId: true,
      messageId: true,
      deliveryId: true,
      eventType: true,
      number: true,
      responseStatus: true,
      errorCode: true,
      errorMessage: true,
      durationMs: true,
      createdAt: true,
    },
  });
  // The titles in one query: an attempt's endpoint is its delivery's (no relation on Attempt).
  const endpoints = await db().endpoint.findMany({ where: { id: { in: [...new Set(rows.map((row) => row.endpointId))] } }, select: { id: true, title: true } });
  const titles = new Map(endpoints.map((endpoint) => [endpoint.id, endpoint.title]));
  return rows.map(({ createdAt, ...row }) => ({ ...row, endpointTitle: titles.get(row.endpointId) ?? "(deleted endpoint)", createdAt: createdAt.toISOString() }));
}

/** Everything the overview page shows, in parallel. */
export async function getOverview(ctx: ServiceContext): Promise<OverviewStats> {
  const where = { workspaceId: ctx.workspaceId };
  const [anyDelivery, endpoints, eventTypes, messages, kpis, hourly, daily, attention, failures] = await Promise.all([
    db().delivery.findFirst({ where, select: { id: true } }),
    db().endpoint.count({ where }),
    db().eventType.count({ where: { ...where, archivedAt: null } }),
    db().message.findFirst({ where: { ...where, test: false }, select: { id: true } }),
    overviewKpis(ctx),
    attemptSeries(ctx, "hour"),
    attemptSeries(ctx, "day"),
    endpointsNeedingAttention(ctx),
    recentFailures(ctx),
  ]);
  return {
    hasDeliveries: anyDelivery !== null,
    setup: { endpoints, eventTypes, hasMessages: messages !== null },
    kpis,
    series: { hourly, daily },
    attention,
    recentFailures: failures,
  };
}

function isoOrNull(value: Date | string | null): string | null {
  if (value == null) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
