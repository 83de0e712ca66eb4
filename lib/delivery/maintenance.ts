import "server-only";
import { db } from "@/lib/db/client";
import { requestDeliveries } from "@/lib/delivery/requests";
import { env } from "@/lib/env";

const BATCH = 1000;

/**
 * Deliveries committed whose `delivery.requested` never went out (a crash
 * between commit and send). The round id is the same as publish's, so if the
 * send did reach the executor, Inngest drops this one as a duplicate event.
 */
export async function requestUnsentDeliveries(olderThanMs = 15_000) {
  const rows = await db().delivery.findMany({
    where: { status: "PENDING", requestedAt: null, createdAt: { lt: new Date(Date.now() - olderThanMs) } },
    select: { id: true, endpointId: true },
    orderBy: { createdAt: "asc" },
    take: BATCH,
  });
  await requestDeliveries(rows);
  return rows.length;
}

/**
 * SENDING long past its lease: the run that held it is gone (its function
 * exhausted retries, or its executor state was lost). A fresh round restarts it.
 */
export async function requeueExpiredLeases(graceMs = 5 * 60_000) {
  const rows = await db().delivery.findMany({
    where: { status: "SENDING", leaseExpiresAt: { lt: new Date(Date.now() - graceMs) } },
    select: { id: true, endpointId: true },
    take: BATCH,
  });
  if (!rows.length) return 0;
  await db().delivery.updateMany({ where: { id: { in: rows.map((row) => row.id) }, status: "SENDING" }, data: { status: "PENDING", leaseExpiresAt: null } });
  await requestDeliveries(rows, `lease-${Date.now()}`);
  return rows.length;
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
