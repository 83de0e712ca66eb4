import "server-only";
import pg from "pg";
import { Coalescer } from "@/lib/db/coalesce";
import { env } from "@/lib/env";
import { query } from "@/lib/db/pool";
import { directRequestCtes, directRequestParams, type DirectRequests } from "@/lib/delivery/requests";

/** One publish's rows: its messages and their deliveries (see publishPrepared in ./publish.ts). */
export type StoreJob = {
  workspaceId: string;
  test: boolean;
  createdAt: string;
  /** The workspace's routing version the deliveries were chosen with; null: read fresh, not checked. */
  routingVersion: number | null;
  messages: Array<{ id: string; eventType: string; account: string | null; body: string; idempotencyKey: string | null }>;
  deliveries: Array<{ id: string; messageId: string; endpointId: string; status: string }>;
  /** On the local engine: the events that request the PENDING deliveries, written by the same statement. */
  direct?: DirectRequests;
};

// The messages and their deliveries of any number of publishes in one statement: atomic without
// an interactive transaction. With the local engine the same statement also stores the engine's
// events for the PENDING deliveries it requests (`requested`), and sets their `requestedAt`;
// otherwise `requestedAt` stays null until the executor took the requests (requestDeliveries,
// after the commit). `routing` checks, in the statement's own snapshot, that each message's
// workspace still has the routing version its deliveries were chosen with (publish.ts, routingOf):
// if one moved, hookline_routing_stale() fails the statement (SQLSTATE HL409) and nothing is written.
const statement = (direct: boolean) => `
  WITH routing AS (
    SELECT CASE WHEN EXISTS (SELECT 1 FROM unnest($2::text[], $16::int[]) AS r(workspace_id, version)
                               JOIN "Workspace" w ON w.id = r.workspace_id
                              WHERE r.version IS NOT NULL AND w."routingVersion" <> r.version)
                THEN hookline_routing_stale() ELSE 1 END AS ok
  ), message AS (
    INSERT INTO "Message" (id, "workspaceId", "eventType", account, body, "idempotencyKey", test, "createdAt")
    SELECT m.id, m."workspaceId", m."eventType", m.account, m.body, m."idempotencyKey", m.test, (m.at AT TIME ZONE 'UTC')::timestamp(3)
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::boolean[], $8::timestamptz[])
           AS m(id, "workspaceId", "eventType", account, body, "idempotencyKey", test, at), routing
     WHERE routing.ok = 1
    RETURNING 1
  ), delivery AS (
    INSERT INTO "Delivery" (id, "workspaceId", "messageId", "endpointId", status, "createdAt", "updatedAt", "requestedAt")
    SELECT d.id, d."workspaceId", d."messageId", d."endpointId", d.status::"DeliveryStatus",
           (d.at AT TIME ZONE 'UTC')::timestamp(3), (d.at AT TIME ZONE 'UTC')::timestamp(3),
           CASE WHEN d.requested THEN (d.at AT TIME ZONE 'UTC')::timestamp(3) END
      FROM unnest($9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::timestamptz[], $15::boolean[])
           AS d(id, "workspaceId", "messageId", "endpointId", status, at, requested)
    RETURNING 1
  )${direct ? `, ${directRequestCtes(17)}` : ""}
  SELECT (SELECT count(*) FROM message)::int AS messages, (SELECT count(*) FROM delivery)::int AS deliveries`;
const INSERT = statement(false);
const INSERT_REQUESTED = statement(true);

/** What one statement carries at most (a single publish over it goes alone). */
const MAX_DELIVERIES = 2_000;
const MAX_MESSAGES = 500;

/** The event name and digest of the plan a publish's direct requests were made with. */
function planOf(job: StoreJob): string | undefined {
  return job.direct ? `${job.direct.plan.eventName}\n${job.direct.plan.digest}` : undefined;
}

const globalForStore = globalThis as unknown as { hooklineStore?: Coalescer<StoreJob, void> };

/**
 * Stores one publish's rows; resolves once they are committed. Concurrent publishes share
 * statements (lib/db/coalesce.ts): sixteen single-message publishes each committing on their own
 * cost PostgreSQL about 0.7 ms apiece, eight to a statement about 0.15 ms. A statement PostgreSQL
 * refused (an idempotency key stored meanwhile, a stale intake plan) wrote nothing: its publishes
 * are then stored one by one, in the order they came, so each gets its own outcome (of two with
 * one new key the first is stored; publishPrepared handles the other's error). A lost connection
 * or a timeout is not retried: it fails every publish of the statement.
 */
export function storePublish(job: StoreJob): Promise<void> {
  globalForStore.hooklineStore ??= new Coalescer<StoreJob, void>({
    // One statement at a time: the publishes that come meanwhile wait for it (a few ms) and share
    // the next. At a paced 500 publishes/s two in flight cost PostgreSQL about 10 % more CPU than
    // one (`bench/batch-timeline.ts`). Under load the next statement also waits up to
    // HOOKLINE_PUBLISH_LINGER_MS after the last one ended, unless 8 publishes are queued: at 500/s
    // that puts 3.5–5 publishes in a statement instead of 1.5–2, and PostgreSQL's CPU per publish
    // fell about 10 % (docs/performance.md). A publish after a quiet spell goes at once.
    maxInFlight: 1,
    linger: { ms: env().HOOKLINE_PUBLISH_LINGER_MS, full: 8 },
    joins: (group, next) => {
      const fits =
        group.reduce((sum, one) => sum + one.deliveries.length, next.deliveries.length) <= MAX_DELIVERIES &&
        group.reduce((sum, one) => sum + one.messages.length, next.messages.length) <= MAX_MESSAGES;
      if (!fits) return false;
      // Publishes carrying the engine's events share one plan per statement (after a re-sync, the next).
      const plan = group.map(planOf).find(Boolean);
      return plan && planOf(next) && planOf(next) !== plan ? "skip" : true;
    },
    run: async (jobs) => {
      try {
        await insert(jobs);
        return jobs.map(() => ({ status: "fulfilled", value: undefined }));
      } catch (error) {
        if (jobs.length === 1 || !(error instanceof pg.DatabaseError)) throw error;
        const outcomes: Array<PromiseSettledResult<void>> = [];
        for (const job of jobs) {
          outcomes.push(await insert([job]).then(
            () => ({ status: "fulfilled", value: undefined }) as const,
            (reason: unknown) => ({ status: "rejected", reason }) as const,
          ));
        }
        return outcomes;
      }
    },
  });
  return globalForStore.hooklineStore.add(job);
}

/** One statement for these publishes, whatever else is on its way (bench/publish-grouping.ts compares). */
export async function insert(jobs: StoreJob[]) {
  const messages = jobs.flatMap((job) => job.messages.map((message) => ({ ...message, job })));
  const deliveries = jobs.flatMap((job) => job.deliveries.map((delivery) => ({ ...delivery, job })));
  const direct = jobs.flatMap((job) => (job.direct ? [job.direct] : []));
  // The intake CTEs' parameters: one event per endpoint (and position, instant, trace) across the publishes.
  const intake = direct.length ? directRequestParams(direct) : [];
  await query(direct.length ? "publish.store.requested" : "publish.store", direct.length ? INSERT_REQUESTED : INSERT, [
    messages.map((message) => message.id),
    messages.map((message) => message.job.workspaceId),
    messages.map((message) => message.eventType),
    messages.map((message) => message.account),
    messages.map((message) => message.body),
    messages.map((message) => message.idempotencyKey),
    messages.map((message) => message.job.test),
    messages.map((message) => message.job.createdAt),
    deliveries.map((delivery) => delivery.id),
    deliveries.map((delivery) => delivery.job.workspaceId),
    deliveries.map((delivery) => delivery.messageId),
    deliveries.map((delivery) => delivery.endpointId),
    deliveries.map((delivery) => delivery.status),
    deliveries.map((delivery) => delivery.job.createdAt),
    deliveries.map((delivery) => delivery.job.direct !== undefined && delivery.status === "PENDING"),
    messages.map((message) => message.job.routingVersion),
    ...intake,
  ]);
}
