import "server-only";
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db/client";
import { requestDeliveries } from "@/lib/delivery/requests";
import { pruneEngineTables } from "@/inngest/engine/retention";
import { pool, query, UTC_IN } from "@/lib/db/pool";
import { env, usesLocalEngine } from "@/lib/env";

const BATCH = 1000;

// The sweep reads through `Delivery_active_idx`, a partial index of the deliveries still on their
// way (PENDING or SENDING; migration 202612031200_delivery_active_index): a finished delivery's
// last write adds no entry to it, and it stays as small as the backlog. PostgreSQL uses a partial
// index only where the query's text implies its predicate, so these queries are SQL naming their
// status as a literal (Prisma sends a status as a cast parameter, which never does).

/**
 * The rule the sweep enforces: every unfinished delivery is either running or due. A delivery
 * that is neither gets a fresh `delivery.requested`. The paths that strand one:
 * - the send after commit failed or never happened (`requestedAt` stays null);
 * - a SENDING lease expired (the run that held it is gone);
 * - a `deliver` run ended without finishing it (its retries ran out on infrastructure errors,
 *   e.g. a long database outage), leaving it PENDING with nothing scheduled;
 * - a re-request deduplicated away: every sweep round has its own event id, because Inngest
 *   drops a repeated id for 24 h.
 */
export async function sweepDeliveries(graceMs = 5 * 60_000) {
  const unsent = await requestUnsentDeliveries();
  const leases = await requeueExpiredLeases();
  const stranded = await requestStrandedDeliveries(graceMs);
  return { unsent, leases, stranded };
}

/** How long past its lease a SENDING delivery waits before the sweep hands it back. */
const LEASE_GRACE_MS = 15_000;

/** A round id of its own per sweep pass, so no re-request is dropped as a duplicate of an earlier one. */
function sweepRound(kind: string) {
  return `${kind}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
}

/**
 * Deliveries committed whose `delivery.requested` never went out (a crash, or the executor was
 * down), and backlog deliveries whose turn is long past.
 */
export async function requestUnsentDeliveries(olderThanMs = 15_000) {
  const cutoff = new Date(Date.now() - olderThanMs).toISOString();
  // A delivery waiting in its endpoint's backlog (deferBeyondLanes in lib/delivery/attempt.ts)
  // counts as unsent once its turn is overdue: the backlog's wake-ups stopped.
  const { rows } = await query<{ id: string; endpointId: string }>(
    "sweep.unsent",
    `SELECT id, "endpointId" FROM "Delivery"
      WHERE status = 'PENDING' AND "createdAt" < ${UTC_IN("$1")}
        AND (("requestedAt" IS NULL AND "deferredUntil" IS NULL) OR "deferredUntil" < ${UTC_IN("$1")})
      ORDER BY "createdAt" LIMIT ${BATCH}`,
    [cutoff],
  );
  await requestDeliveries(rows, sweepRound("sweep"));
  return rows.length;
}

/**
 * SENDING past its lease: the worker that held it is gone (killed mid-request, its batch run
 * already over), or its executor state was lost. A fresh round restarts it. A lease covers the
 * request's timeout plus time to record it, and every record and lease extension is
 * lease-checked, so once it has run out nothing of the old attempt can land any more: it is handed
 * back LEASE_GRACE_MS later (it used to wait 5 minutes more, leaving a killed worker's deliveries
 * "sending" for about 6 minutes). `requestedAt` is cleared with the status, so a failed send leaves
 * it for the next pass.
 */
export async function requeueExpiredLeases(graceMs = LEASE_GRACE_MS) {
  const { rows } = await query<{ id: string; endpointId: string }>(
    "sweep.leases",
    `SELECT id, "endpointId" FROM "Delivery" WHERE status = 'SENDING' AND "leaseExpiresAt" < ${UTC_IN("$1")} LIMIT ${BATCH}`,
    [new Date(Date.now() - graceMs).toISOString()],
  );
  if (!rows.length) return 0;
  await db().delivery.updateMany({
    where: { id: { in: rows.map((row) => row.id) }, status: "SENDING" },
    data: { status: "PENDING", leaseExpiresAt: null, requestedAt: null },
  });
  await requestDeliveries(rows, sweepRound("lease"));
  return rows.length;
}

/**
 * PENDING, requested a while ago, and not waiting for a retry that is still ahead: nothing will
 * pick it up by itself. (For Prisma filters with an endpoint; `requestStrandedDeliveries` states
 * the same rule in SQL: keep the two alike.)
 */
export function strandedWhere(graceMs: number) {
  const cutoff = new Date(Date.now() - graceMs);
  return {
    status: "PENDING" as const,
    requestedAt: { lt: cutoff },
    updatedAt: { lt: cutoff },
    OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lt: cutoff } }],
  };
}

/** PENDING deliveries no run holds any more (see `strandedWhere`), re-requested. */
export async function requestStrandedDeliveries(graceMs = 5 * 60_000) {
  const { rows: candidates } = await query<{ id: string; endpointId: string }>(
    "sweep.stranded",
    `SELECT id, "endpointId" FROM "Delivery"
      WHERE status = 'PENDING' AND "requestedAt" < ${UTC_IN("$1")} AND "updatedAt" < ${UTC_IN("$1")}
        AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" < ${UTC_IN("$1")})
      ORDER BY "createdAt" LIMIT ${BATCH}`,
    [new Date(Date.now() - graceMs).toISOString()],
  );
  const rows = await withoutLiveRun(candidates);
  await requestDeliveries(rows, sweepRound("stranded"));
  return rows.length;
}

/**
 * On the local engine we can see the runs: a delivery whose `deliver` run is still running or
 * sleeping (a backlog behind a slow endpoint) is not stranded, only late. With Inngest the
 * timing rule alone decides; a second run of a live delivery only finds it claimed or finished.
 */
export async function withoutLiveRun<T extends { id: string }>(rows: T[]): Promise<T[]> {
  if (!rows.length || !usesLocalEngine()) return rows;
  // A batch run's events are all of its batch; each stands for its deliveryId and those in its
  // `more` (groupRequests in ./requests.ts).
  const live = await db().$queryRaw<Array<{ id: string }>>`
    SELECT DISTINCT d.id
      FROM inngest_engine.runs r JOIN inngest_engine.events e ON e.id = ANY(coalesce(r.batch_event_ids, ARRAY[r.event_id])),
           LATERAL (SELECT e.payload->'data'->>'deliveryId' AS id
                     UNION ALL SELECT json_array_elements_text(coalesce(e.payload->'data'->'more', '[]'))) d
     WHERE r.status IN ('RUNNING', 'SLEEPING') AND r.event_name = 'hookline/delivery.requested'
       AND d.id = ANY(${rows.map((row) => row.id)})`;
  const running = new Set(live.map((row) => row.id));
  return rows.filter((row) => !running.has(row.id));
}

/** Retention: messages older than HOOKLINE_RETENTION_DAYS go, with their deliveries and attempts. */
export async function applyRetention(days = env().HOOKLINE_RETENTION_DAYS) {
  const cutoff = new Date(Date.now() - days * 24 * 3600_000);
  let deleted = 0;
  for (;;) {
    const count = await db().$executeRaw`
      DELETE FROM "Message" WHERE id IN (SELECT id FROM "Message" WHERE "createdAt" < ${cutoff} LIMIT ${BATCH})`;
    deleted += count;
    if (count < BATCH) return deleted;
  }
}

/**
 * Retention of the local engine's tables (finished runs with their step memos, events, expired
 * idempotency keys): HOOKLINE_ENGINE_RETENTION_DAYS after a run ended, in bounded batches.
 * Harmless with Inngest as the executor (the tables are then empty).
 */
export async function applyEngineRetention(days = env().HOOKLINE_ENGINE_RETENTION_DAYS) {
  return pruneEngineTables(pool(), { runsOlderThanMs: days * 24 * 3600_000, batchSize: BATCH });
}
