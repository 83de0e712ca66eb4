import "server-only";
import { openHeaders, secretHeaderNames } from "@/lib/crypto/header-box";
import { looksLikeCredential } from "@/lib/delivery/schemas";
import { open } from "@/lib/crypto/secret-box";
import { PROCESS_MARK, query, UTC_IN } from "@/lib/db/pool";
import { sendWebhook, type SendWebhookResult } from "@/lib/delivery/http";
import { nextDelay, shouldDisableEndpoint } from "@/lib/delivery/policy";
import type { CustomHeaders, RetryPolicy, SignatureConfig } from "@/lib/delivery/schemas";
import { signRequest, SigningError, type SignedRequest } from "@/lib/delivery/sign";
import { env } from "@/lib/env";
import { errors } from "@/lib/errors";
import type { AttemptTrigger, DeliveryStatus } from "@/lib/generated/prisma/enums";
import { newId } from "@/lib/ids";
import { recordAttempt, recordDeferred } from "@/lib/metrics";

export type AttemptNext =
  | { action: "succeeded" }
  | { action: "retry"; delayMs: number; retryAt: string }
  /** not attempted: its endpoint's lane is full; it waits in the endpoint's backlog until `retryAt` (deferBeyondLanes) */
  | { action: "deferred"; retryAt: string }
  | { action: "failed" }
  | { action: "paused"; reason: string }
  | { action: "skipped"; reason: string };

export type AttemptOutcome = {
  attemptId: string | null;
  number: number;
  ok: boolean;
  responseStatus: number | null;
  errorCode: string | null;
  durationMs: number;
  next: AttemptNext;
  /**
   * A failed manual attempt of a delivery waiting for a scheduled retry (or for its turn in its
   * endpoint's backlog, `backlog`): the instant it kept. The caller makes sure a wake-up comes for
   * it (inngest/functions/resend.ts).
   */
  retryKept?: { endpointId: string; at: string; backlog: boolean };
};

/** What was sent and received, or SIGNING when nothing could be sent. */
type AttemptResponse = Omit<SendWebhookResult, "errorCode"> & { errorCode?: SendWebhookResult["errorCode"] | "SIGNING" };

type AttemptOptions = {
  trigger: AttemptTrigger;
  /**
   * 1-based position in the endpoint's retry schedule, given by the delivery functions.
   * Without it (manual resend, test) a failure is final: no retry.
   */
  scheduleAttempt?: number;
  /** Seconds of the attempt's signature timestamp; tests pin it. */
  now?: () => Date;
};

// The lease covers the request's timeout plus time to record it; past it, the attempt crashed.
const LEASE_MARGIN_MS = 5_000;

/**
 * The rule for "a request another worker holds for the endpoint", on `alias`'s Delivery row:
 * SENDING under a scheduled claim of another owner, lease not run out, and that owner alive (a
 * connection of its hot-path pool carries its mark: lib/db/pool.ts). A killed worker's claims hold
 * nothing in flight: its successor does not wait for their leases. `owner` and `now` are
 * parameters. One text for the claim's count and the lane's recount (heldElsewhere).
 */
const HELD_ELSEWHERE = (alias: string, owner: string, now: string) =>
  `${alias}.status = 'SENDING'::"DeliveryStatus" AND ${alias}."leaseOwner" <> ${owner}::int AND ${alias}."leaseExpiresAt" > ${UTC_IN(now)}
   AND EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.application_name LIKE '%#' || ${alias}."leaseOwner")`;
/** The endpoint's columns in a claim row: the statement returns them on one row per endpoint (see claim). */
type EndpointColumns = {
  url: string;
  disabledReason: string | null;
  secretEnc: string;
  previousSecretEnc: string | null;
  previousSecretUntil: Date | null;
  signature: SignatureConfig;
  retryPolicy: RetryPolicy;
  timeoutMs: number;
  headers: CustomHeaders;
  visibleHeaders: string[];
  requireHttps: boolean;
  disableOnGone: boolean;
  maxConcurrency: number | null;
  rateLimitPerSecond: number | null;
};
const ENDPOINT_COLUMNS = [
  "url", "disabledReason", "secretEnc", "previousSecretEnc", "previousSecretUntil", "signature", "retryPolicy", "timeoutMs",
  "headers", "visibleHeaders", "requireHttps", "disableOnGone", "maxConcurrency", "rateLimitPerSecond",
] as const satisfies ReadonlyArray<keyof EndpointColumns>;
// Every endpoint column is copied: a column added to EndpointColumns but not to the list fails here.
const allEndpointColumns: Exclude<keyof EndpointColumns, (typeof ENDPOINT_COLUMNS)[number]> extends never ? true : never = true;
void allEndpointColumns;

/** A delivery as the claim statement found it (before claiming), with its endpoint and message. */
type ClaimRow = EndpointColumns & {
  id: string;
  position: number | null;
  status: DeliveryStatus;
  leaseExpiresAt: Date | null;
  nextAttemptAt: Date | null;
  attemptCount: number;
  workspaceId: string;
  pause: boolean;
  claimed: boolean;
  claimedLease: Date | null;
  endpointId: string;
  messageId: string;
  messageCreatedAt: Date;
  /** The position of the delivery's next scheduled attempt in its retry schedule; null: 1. */
  schedulePosition: number | null;
  /** The request is for an earlier position than that (batch path): a replay, not claimed. */
  stale: boolean;
  /** The delivery waited in its endpoint's backlog for this turn (before the claim). */
  deferredUntil: Date | null;
  /** Scheduled claims: requests other workers hold for the endpoint (see Lane). */
  heldElsewhere: number;
  eventType: string;
  body: string;
};

/**
 * One statement reads the deliveries (locked, latest committed version, in id order), their
 * endpoint and message, and claims each that is claimable:
 * - a disabled endpoint and a scheduled attempt: the delivery is PAUSED instead;
 * - a SENDING delivery is claimable only once its lease ran out (or it has none): an attempt still
 *   in flight (a run retried by the executor while the first call runs) must not be sent twice;
 * - with $6 (the batch path: requests may repeat, e.g. a replayed batch run's) a request for an
 *   earlier position in the retry schedule than the delivery's `schedulePosition` (read on the
 *   locked row) is `stale`: that attempt was made, and the request is answered with the retry it
 *   scheduled (attemptBatch), never attempted again, however late it comes;
 * - with $6, a PENDING delivery whose next attempt is not due yet is left for then: due means at or
 *   before the later of now and the instant the request was made for ($7: a retry's `retryAt`, so
 *   a wake-up the engine ran early is still that attempt, while a schedule that moved on is not);
 * - the claim sets status SENDING and a lease covering the request's timeout plus time to record it,
 *   and a scheduled claim marks it as this process's ($9, PROCESS_MARK in lib/db/pool.ts);
 * - a scheduled claim also counts, per endpoint, the requests other workers hold (`heldElsewhere`).
 * `cur` holds the values before the claim (keepSchedule needs the old status and nextAttemptAt).
 * The endpoint's columns come on one row per endpoint (`endpointRow`), null on the others: a batch
 * of 100 deliveries to one endpoint is one endpoint to parse (three JSON columns among them), not a
 * hundred. `claim` copies them onto the rest.
 */
const CLAIM = `
  WITH input AS (
    SELECT * FROM unnest($1::text[], $2::int[], $7::timestamptz[], $8::boolean[]) AS i(id, position, due, backlog)
  ), cur AS (
    SELECT d.id, d.status, d."leaseExpiresAt", d."nextAttemptAt", d."attemptCount", d."workspaceId",
           d."endpointId", d."messageId", i.position, (NOT e.enabled AND $3) AS pause, d."schedulePosition",
           ($6 AND i.position IS NOT NULL AND i.position < coalesce(d."schedulePosition", 1)) AS stale,
           greatest(${UTC_IN("$5")}, i.due AT TIME ZONE 'UTC') AS due, coalesce(i.backlog, false) AS backlog, d."deferredUntil"
      FROM input i JOIN "Delivery" d ON d.id = i.id JOIN "Endpoint" e ON e.id = d."endpointId"
     ORDER BY d.id
       FOR UPDATE OF d
  ), claim AS (
    UPDATE "Delivery" d SET
      status = CASE WHEN cur.pause THEN 'PAUSED'::"DeliveryStatus" ELSE 'SENDING'::"DeliveryStatus" END,
      "leaseExpiresAt" = CASE WHEN cur.pause THEN NULL
        ELSE ${UTC_IN("$5")} + (e."timeoutMs" + ${LEASE_MARGIN_MS}) * interval '1 millisecond' END,
      "nextAttemptAt" = NULL,
      -- A scheduled claim takes the delivery out of its endpoint's backlog; a manual one leaves it
      -- there (a failed resend keeps its place and turn).
      "deferredUntil" = CASE WHEN $3 OR cur.status <> 'PENDING'::"DeliveryStatus" THEN NULL ELSE d."deferredUntil" END,
      -- A manual attempt of a finished delivery: if it is lost (a crash), the sweep's scheduled
      -- attempt that takes over starts the schedule over, as before the delivery finished.
      "schedulePosition" = CASE WHEN NOT $3 AND cur.status NOT IN ('PENDING'::"DeliveryStatus", 'SENDING'::"DeliveryStatus")
                                THEN NULL ELSE d."schedulePosition" END,
      "leaseOwner" = CASE WHEN $3 AND NOT cur.pause THEN $9::int END,
      "updatedAt" = now() AT TIME ZONE 'UTC'
      FROM cur JOIN "Endpoint" e ON e.id = cur."endpointId"
     WHERE d.id = cur.id
       AND NOT cur.stale
       AND cur.status::text = ANY($4::text[])
       AND (cur.pause OR cur.status <> 'SENDING'::"DeliveryStatus" OR cur."leaseExpiresAt" IS NULL
            OR cur."leaseExpiresAt" <= ${UTC_IN("$5")})
       AND (cur.pause OR NOT $6 OR cur.status <> 'PENDING'::"DeliveryStatus" OR cur."nextAttemptAt" IS NULL
            OR cur."nextAttemptAt" <= cur.due)
       -- A backlog request (its instant is the turn, maybe far ahead) only while the delivery is
       -- still in the backlog: once claimed (and perhaps waiting for a retry) it is no longer its.
       AND (NOT cur.backlog OR cur."deferredUntil" IS NOT NULL)
    RETURNING d.id, d."leaseExpiresAt"
  ), others AS (
    -- Scheduled: the requests other workers hold for these endpoints (before this claim).
    SELECT s."endpointId", count(*)::int AS n FROM "Delivery" s
     WHERE $3 AND s."endpointId" IN (SELECT "endpointId" FROM cur) AND ${HELD_ELSEWHERE("s", "$9", "$5")}
     GROUP BY s."endpointId"
  )
  SELECT cur.id, cur.position, cur.status::text AS status, cur."leaseExpiresAt" AT TIME ZONE 'UTC' AS "leaseExpiresAt",
         cur."nextAttemptAt" AT TIME ZONE 'UTC' AS "nextAttemptAt", cur."attemptCount", cur."workspaceId", cur.pause,
         c.id IS NOT NULL AS claimed, c."leaseExpiresAt" AT TIME ZONE 'UTC' AS "claimedLease",
         cur."endpointId", cur."endpointRow", e.url, e."disabledReason", e."secretEnc", e."previousSecretEnc",
         e."previousSecretUntil" AT TIME ZONE 'UTC' AS "previousSecretUntil", e.signature, e."retryPolicy", e."timeoutMs",
         e.headers, e."visibleHeaders", e."requireHttps", e."disableOnGone", e."maxConcurrency", e."rateLimitPerSecond",
         m.id AS "messageId", m."eventType", m.body, m."createdAt" AT TIME ZONE 'UTC' AS "messageCreatedAt",
         cur."schedulePosition", cur.stale, cur."deferredUntil" AT TIME ZONE 'UTC' AS "deferredUntil",
         coalesce(o.n, 0) AS "heldElsewhere"
    FROM (SELECT *, row_number() OVER (PARTITION BY "endpointId" ORDER BY id) = 1 AS "endpointRow" FROM cur) cur
    LEFT JOIN claim c ON c.id = cur.id LEFT JOIN others o ON o."endpointId" = cur."endpointId"
    LEFT JOIN "Endpoint" e ON e.id = cur."endpointId" AND cur."endpointRow" JOIN "Message" m ON m.id = cur."messageId"`;

async function claim(
  items: Array<{ id: string; position?: number; dueAt?: string; backlog?: boolean }>,
  trigger: AttemptTrigger,
  claimedAt: Date,
  respectSchedule: boolean,
) {
  const claimable: DeliveryStatus[] = trigger === "SCHEDULED" ? ["PENDING", "SENDING"] : ["PENDING", "SENDING", "FAILED", "PAUSED", "SUCCEEDED"];
  const { rows } = await query<ClaimRow & { endpointRow: boolean }>("delivery.claim", CLAIM, [
    items.map((item) => item.id),
    items.map((item) => item.position ?? null),
    trigger === "SCHEDULED",
    claimable,
    claimedAt.toISOString(),
    respectSchedule,
    items.map((item) => item.dueAt ?? null),
    items.map((item) => item.backlog === true),
    PROCESS_MARK,
  ]);
  const endpointRows = new Map<string, ClaimRow>();
  for (const row of rows) if (row.endpointRow) endpointRows.set(row.endpointId, row);
  for (const row of rows) {
    if (row.endpointRow) continue;
    // One of the endpoint's rows carries its columns: the statement reads Endpoint and Message in
    // one snapshot, and a delivery goes with either (ON DELETE CASCADE), so no row is dropped alone.
    const first = endpointRows.get(row.endpointId)!;
    for (const column of ENDPOINT_COLUMNS) (row as Record<(typeof ENDPOINT_COLUMNS)[number], unknown>)[column] = first[column];
  }
  return { rows: new Map<string, ClaimRow>(rows.map((row) => [row.id, row])), claimable };
}

/** One attempt's record: the Attempt row and the Delivery's new state. */
type AttemptRecord = {
  attemptId: string;
  workspaceId: string;
  deliveryId: string;
  messageId: string;
  endpointId: string;
  eventType: string;
  number: number;
  trigger: AttemptTrigger;
  ok: boolean;
  test: boolean;
  finalFailure: boolean;
  requestUrl: string;
  requestHeaders: Record<string, string>;
  requestBody: string | null;
  responseStatus: number | null;
  responseHeaders: Record<string, string> | null;
  responseBody: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  durationMs: number;
  startedAt: string;
  status: DeliveryStatus;
  nextAttemptAt: string | null;
  completedAt: string | null;
  /** a failed manual attempt of a SUCCEEDED delivery: it stays succeeded, as of when it did */
  keepCompleted: boolean;
  /** the lease this attempt claimed: the record applies only while the delivery still holds it */
  claimedLease: string;
  /** a scheduled attempt: the schedule position after it (the delivery's `schedulePosition`); else null, unchanged */
  nextPosition: number | null;
};

/**
 * Records any number of attempts in one statement (atomic without a transaction): the Delivery
 * rows whose lease is still the attempt's own (a stale attempt — its lease expired and another
 * attempt claimed the delivery — records nothing), the Attempt rows of exactly those, and each
 * endpoint's counters. Endpoint: a TEST touches only lastAttemptAt; a success resets the failure
 * count to the final failures after it; a failed *delivery* (retries exhausted, scheduled) counts
 * toward auto-disable.
 */
const RECORD = `
  WITH input AS (
    SELECT * FROM json_to_recordset($1::json) AS x(
      "attemptId" text, "workspaceId" text, "deliveryId" text, "messageId" text, "endpointId" text, "eventType" text,
      number int, trigger text, ok boolean, test boolean, "finalFailure" boolean, "requestUrl" text, "requestHeaders" jsonb,
      "requestBody" text, "responseStatus" int, "responseHeaders" jsonb, "responseBody" text, "errorCode" text,
      "errorMessage" text, "durationMs" int, "startedAt" timestamptz, status text, "nextAttemptAt" timestamptz,
      "completedAt" timestamptz, "keepCompleted" boolean, "claimedLease" timestamptz, "nextPosition" int)
  ), delivery AS (
    UPDATE "Delivery" d SET
      status = x.status::"DeliveryStatus",
      "attemptCount" = d."attemptCount" + 1,
      "nextAttemptAt" = x."nextAttemptAt" AT TIME ZONE 'UTC',
      "schedulePosition" = coalesce(x."nextPosition", d."schedulePosition"),
      "leaseExpiresAt" = NULL,
      "lastResponseStatus" = x."responseStatus",
      "lastErrorCode" = x."errorCode",
      "completedAt" = CASE WHEN x."keepCompleted" THEN d."completedAt" ELSE x."completedAt" AT TIME ZONE 'UTC' END,
      "updatedAt" = now() AT TIME ZONE 'UTC'
      FROM input x
     WHERE d.id = x."deliveryId" AND d.status = 'SENDING'::"DeliveryStatus" AND d."leaseExpiresAt" = x."claimedLease" AT TIME ZONE 'UTC'
    RETURNING d.id
  ), recorded AS (
    SELECT x.* FROM input x JOIN delivery ON delivery.id = x."deliveryId"
  ), attempt AS (
    INSERT INTO "Attempt" (id, "workspaceId", "deliveryId", "messageId", "endpointId", "eventType", number, trigger, outcome,
                           "requestUrl", "requestHeaders", "requestBody", "responseStatus", "responseHeaders", "responseBody",
                           "errorCode", "errorMessage", "durationMs", "createdAt")
    SELECT "attemptId", "workspaceId", "deliveryId", "messageId", "endpointId", "eventType", number, trigger::"AttemptTrigger",
           (CASE WHEN ok THEN 'SUCCESS' ELSE 'FAILURE' END)::"AttemptOutcome", "requestUrl", "requestHeaders", "requestBody",
           "responseStatus", "responseHeaders", "responseBody", "errorCode", "errorMessage", "durationMs", "startedAt" AT TIME ZONE 'UTC'
      FROM recorded
  ), success AS (
    SELECT "endpointId", max("startedAt") FILTER (WHERE ok AND NOT test) AS at FROM recorded GROUP BY "endpointId"
  ), per_endpoint AS (
    SELECT r."endpointId", max(r."startedAt") AS last_attempt, s.at AS last_success,
           count(*) FILTER (WHERE r."finalFailure" AND (s.at IS NULL OR r."startedAt" > s.at))::int AS failures
      FROM recorded r JOIN success s USING ("endpointId") GROUP BY r."endpointId", s.at
  ), endpoint AS (
    UPDATE "Endpoint" e SET
      "lastAttemptAt" = greatest(e."lastAttemptAt", p.last_attempt AT TIME ZONE 'UTC'),
      "lastSuccessAt" = coalesce(greatest(e."lastSuccessAt", p.last_success AT TIME ZONE 'UTC'), e."lastSuccessAt"),
      "consecutiveFailures" = CASE WHEN p.last_success IS NOT NULL THEN p.failures ELSE e."consecutiveFailures" + p.failures END,
      "updatedAt" = now() AT TIME ZONE 'UTC'
      FROM per_endpoint p
     WHERE e.id = p."endpointId"
    RETURNING e.id, e.enabled, e."consecutiveFailures", e."failureThreshold"
  )
  SELECT (SELECT coalesce(json_agg(id), '[]') FROM delivery) AS recorded,
         (SELECT coalesce(json_agg(endpoint), '[]') FROM endpoint) AS endpoints`;

type RecordedEndpoint = { id: string; enabled: boolean; consecutiveFailures: number; failureThreshold: number };

/** How long a scheduled attempt's record may wait for others to share its statement. */
const RECORD_LINGER_MS = 10;
/** Records in a statement at most; this many waiting are written at once. */
const RECORD_GROUP = 500;

type RecordEntry = {
  record: AttemptRecord;
  at: number;
  urgent: boolean;
  resolve: (value: { recorded: boolean; endpoint?: RecordedEndpoint }) => void;
  reject: (error: unknown) => void;
};

/**
 * Group commit of attempt records, in one multi-row statement each: a result waits at most
 * RECORD_LINGER_MS for others (at once when a person waits for it: a test or a manual resend),
 * and while a write is in flight whatever arrives meanwhile goes in the next. So a slow response
 * never delays the record of a fast one, and a burst costs a few statements, not one per attempt.
 * Without the wait, one endpoint's batch (its requests finishing a few ms apart, at most its
 * concurrency limit at once) wrote one or two records per statement: a commit, and an update of
 * the endpoint's counters, for nearly every attempt. Losing records that wait (a crash) is
 * losing them before the write: their leases run out and the deliveries are attempted again.
 * Resolves each entry with whether it was recorded (false: its lease was lost).
 */
class Recorder {
  private queue: RecordEntry[] = [];
  private flushing = false;
  private timer: NodeJS.Timeout | undefined;
  private urgentWaiting = 0;

  add(record: AttemptRecord, urgent: boolean) {
    return new Promise<{ recorded: boolean; endpoint?: RecordedEndpoint }>((resolve, reject) => {
      this.queue.push({ record, at: Date.now(), urgent, resolve, reject });
      if (urgent) this.urgentWaiting++;
      this.schedule();
    });
  }

  private schedule() {
    if (this.flushing || !this.queue.length) return;
    const due = this.queue.length >= RECORD_GROUP || this.urgentWaiting ? 0 : this.queue[0]!.at + RECORD_LINGER_MS - Date.now();
    if (due > 0) {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.schedule();
      }, due);
      return;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    void this.flush();
  }

  private async flush() {
    this.flushing = true;
    const batch = this.queue.splice(0, RECORD_GROUP);
    this.urgentWaiting -= batch.filter((entry) => entry.urgent).length;
    try {
      const { rows } = await query<{ recorded: string[]; endpoints: RecordedEndpoint[] }>("delivery.record", RECORD, [
        JSON.stringify(batch.map((entry) => entry.record)),
      ]);
      const recorded = new Set(rows[0].recorded);
      const endpoints = new Map(rows[0].endpoints.map((endpoint) => [endpoint.id, endpoint]));
      for (const entry of batch) {
        entry.resolve({ recorded: recorded.has(entry.record.deliveryId), endpoint: endpoints.get(entry.record.endpointId) });
      }
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    }
    this.flushing = false;
    this.schedule();
  }
}

const globalForRecorder = globalThis as unknown as { hooklineRecorder?: Recorder };
const recorder = () => (globalForRecorder.hooklineRecorder ??= new Recorder());

/**
 * The attempt core (docs/architecture.md §3), shared by the delivery functions, resend and "Send test":
 * claim the delivery, sign and send with the SSRF guard and timeout, then record the Attempt and
 * the Delivery/Endpoint state in one statement. Two statements on the hot path (`pg` prepared
 * statements), no interactive transaction: a row lock is never held across a round trip.
 */
export async function attemptDelivery(deliveryId: string, options: AttemptOptions): Promise<AttemptOutcome> {
  const now = options.now ?? (() => new Date());
  const { rows, claimable } = await claim([{ id: deliveryId, position: options.scheduleAttempt }], options.trigger, now(), false);
  const row = rows.get(deliveryId);
  if (!row) return skipped("the delivery no longer exists");
  const waiting = notClaimed(row, claimable, now);
  if (waiting) {
    // Claimable status, not paused, not claimed: another attempt holds the lease. A manual attempt
    // says so; the scheduled run waits for the lease instead.
    if (waiting.next.action === "retry" && options.trigger !== "SCHEDULED") throw errors.conflict("The delivery is being attempted right now");
    return waiting;
  }
  return send(row, options, now);
}

export type BatchItem = {
  deliveryId: string;
  /** The position in the retry schedule the request is for; absent (a sweep's or a recovery's request): the delivery's own. */
  scheduleAttempt?: number;
  /** the instant a retry was scheduled for (a backlog request: the delivery's turn) */
  dueAt?: string;
  /**
   * A request of the endpoint's backlog (deliverBacklog): a poke, not a schedule of its own. If the
   * delivery is not claimed (another attempt holds it, it is done) nothing follows from it, and its
   * batch fills the lane's spare room from the backlog (backfill).
   */
  backlog?: boolean;
};
export type BatchOutcome = AttemptOutcome & { deliveryId: string; endpointId: string | null; scheduleAttempt: number };

/**
 * Scheduled attempts of many deliveries (the `deliver-batch` function): one claim statement for
 * all, the requests in parallel — at most the endpoint's `maxConcurrency` (else
 * HOOKLINE_ENDPOINT_CONCURRENCY) at once per endpoint in this process, and at most
 * `rateLimitPerSecond` started per second when set — each result recorded as it comes (group
 * commit). A delivery whose next attempt is not due, or whose lease another attempt holds, comes
 * back as a `retry` at the instant it may be tried, without an attempt.
 *
 * The batch waits for its results at most `patienceMs`: a slow or hanging endpoint never holds
 * up the lane past that. What is still in flight (or waiting for a slot) then finishes in the
 * background — recorded like the rest, lease-checked — and its outcome goes to `onLate` (the
 * function schedules a retry from there); those are left out of the returned outcomes. If the
 * process dies meanwhile, the lease runs out and the sweep hands the delivery back.
 */
export async function attemptBatch(
  items: BatchItem[],
  options: { now?: () => Date; patienceMs?: number; onLate?: (outcome: BatchOutcome) => Promise<void> } = {},
): Promise<BatchOutcome[]> {
  const now = options.now ?? (() => new Date());
  const { rows, claimable } = await claim(
    items.map((item) => ({ id: item.deliveryId, position: item.scheduleAttempt, dueAt: item.dueAt, backlog: item.backlog })),
    "SCHEDULED",
    now(),
    true,
  );
  const { deferred, spare } = await deferBeyondLanes(items, rows, now);
  const backfilled = await backfill(spare, new Set(items.map((item) => item.deliveryId)), now);
  for (const row of backfilled) rows.set(row.id, row);
  const requests: BatchItem[] = [...items, ...backfilled.map((row) => ({ deliveryId: row.id, backlog: true }))];
  const settled: BatchOutcome[] = [];
  let late = false;
  const work = requests.map(async (item) => {
    const row = rows.get(item.deliveryId);
    const position = item.scheduleAttempt ?? row?.schedulePosition ?? 1;
    const base = { deliveryId: item.deliveryId, endpointId: row?.endpointId ?? null, scheduleAttempt: position };
    let outcome: BatchOutcome;
    const waiting = row && notClaimed(row, claimable, now);
    if (!row) outcome = { ...base, ...skipped("the delivery no longer exists") };
    // A backlog poke that found the delivery held, done or not its turn: its holder (or the next wake-up) sees to it.
    else if (waiting && item.backlog) outcome = { ...base, ...skipped(waiting.next.action === "retry" ? "waiting for its turn" : "not claimable") };
    else if (waiting) outcome = { ...base, scheduleAttempt: waitingPosition(row, position), ...waiting };
    else if (deferred.has(row.id)) outcome = { ...base, ...deferred.get(row.id)! };
    else outcome = { ...base, ...(await laneFor(row).run((release) => sendInLease(row, position, now, release))) };
    if (late) await options.onLate?.(outcome);
    else settled.push(outcome);
  });
  const all = Promise.all(work);
  if (options.patienceMs === undefined) await all;
  else {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([all, new Promise((resolve) => (timer = setTimeout(resolve, options.patienceMs)))]);
    } finally {
      // Also when one attempt failed early (a lost database): those still in flight report late.
      clearTimeout(timer);
      late = true;
    }
    // Errors of late attempts (a lost database) leave their leases to run out: the sweep's business.
    all.catch((error) => console.error(`[hookline] a late attempt failed: ${error instanceof Error ? error.message : String(error)}`));
  }
  return settled;
}

/**
 * How far ahead an endpoint's lane takes work: a claimed delivery must start well within its lease
 * (the request's timeout plus LEASE_MARGIN_MS from the claim), so a lane holds what it can start
 * within this window at its recent pace, and no more.
 */
const LANE_WINDOW_MS = 2_000;

/** Most deliveries a batch takes from its endpoint's backlog into the lane's spare room. */
const BACKFILL_MAX = 1000;

/**
 * Admission to the endpoints' lanes. A batch run ends after its patience while its slow requests
 * go on, and the engine then starts the endpoint's next batch: without a bound, a slow or hanging
 * endpoint with a backlog had batch after batch claimed into its lane, held in memory, each
 * delivery started minutes after its claim, long past its lease (and sent twice once the sweep
 * handed it back). Now what a lane cannot start within LANE_WINDOW_MS at its pace (Lane.room) is
 * handed back in one statement to wait in the endpoint's backlog, in PostgreSQL: PENDING, with
 * `deferredUntil` (and `nextAttemptAt`, which the console shows) at the turn the lane should have
 * for it (Lane.turn, after the turns already handed out). Its outcome is `deferred` to that
 * instant, and the function makes sure the endpoint's backlog wakes up by the earliest turn
 * (`endpointBacklog`, deliverBacklog in inngest/functions/deliver.ts). Each wake-up requests the
 * deliveries whose turn came, or the backlog's head as a probe (requestBacklog in
 * lib/delivery/requests.ts), and a batch with such a request fills the lane's spare room from the
 * backlog's head (backfill): so a backlog drains at the pace the endpoint has now, not the one it
 * had when the turns were handed out. A backlog costs a row update per delivery and a wake-up per
 * second, not a run per delivery; if the wake-ups stop, the sweep requests what is overdue. Every
 * claimed request is admitted this way, the backlog's own too. Returns the deferred deliveries'
 * outcomes by id, and the spare room of each endpoint whose backlog this batch poked.
 */
async function deferBeyondLanes(items: BatchItem[], rows: Map<string, ClaimRow>, now: () => Date) {
  const deferred = new Map<string, AttemptOutcome>();
  const admitted = new Map<Lane, { lane: Lane; endpointId: string; room: number; taken: number; backlog: boolean }>();
  const handBack: Array<{ row: ClaimRow; at: string }> = [];
  for (const item of items) {
    const row = rows.get(item.deliveryId);
    if (!row) continue;
    const lane = laneFor(row);
    let entry = admitted.get(lane);
    if (!entry) {
      // Before its room: what other workers hold for the endpoint now takes part of its limit.
      lane.heldElsewhere(row.heldElsewhere);
      admitted.set(lane, (entry = { lane, endpointId: row.endpointId, room: lane.room(LANE_WINDOW_MS), taken: 0, backlog: false }));
    }
    entry.backlog ||= item.backlog === true;
    if (!row.claimed || row.pause) continue;
    if (entry.taken < entry.room) {
      entry.taken++;
      continue;
    }
    // Behind what the lane holds, what this batch admitted and the deferred before it.
    const at = new Date(Math.ceil(lane.turn(now().getTime(), entry.taken++))).toISOString();
    handBack.push({ row, at });
    deferred.set(row.id, { ...skipped("the endpoint's lane is full"), next: { action: "deferred", retryAt: at } });
  }
  if (handBack.length) {
    await query(
      "delivery.defer",
      `UPDATE "Delivery" d SET status = 'PENDING'::"DeliveryStatus", "leaseExpiresAt" = NULL, "nextAttemptAt" = x.at AT TIME ZONE 'UTC',
              "deferredUntil" = x.at AT TIME ZONE 'UTC', "updatedAt" = now() AT TIME ZONE 'UTC'
         FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) AS x(id, lease, at)
        WHERE d.id = x.id AND d.status = 'SENDING'::"DeliveryStatus" AND d."leaseExpiresAt" = x.lease AT TIME ZONE 'UTC'`,
      [handBack.map((b) => b.row.id), handBack.map((b) => b.row.claimedLease!.toISOString()), handBack.map((b) => b.at)],
    );
    recordDeferred(handBack.length);
  }
  const spare = new Map<string, number>();
  for (const entry of admitted.values()) {
    // A lane that does not know its pace yet (a new worker, changed limits) takes only its free slots.
    const room = entry.room === Infinity ? entry.lane.free() : entry.room;
    if (entry.backlog && room > entry.taken) spare.set(entry.endpointId, Math.min(room - entry.taken, BACKFILL_MAX));
  }
  return { deferred, spare };
}

/**
 * Claims from each endpoint's backlog, oldest turn first, as many as its lane has spare room for
 * (see deferBeyondLanes): the claimed rows, to be sent with the batch. Only deliveries waiting in
 * the backlog (`deferredUntil` set) are taken, so no scheduled retry is ever pulled forward.
 */
async function backfill(spare: Map<string, number>, batch: Set<string>, now: () => Date): Promise<ClaimRow[]> {
  const claimed: ClaimRow[] = [];
  for (const [endpointId, count] of spare) {
    // Not the batch's own requests: those are claimed (or not) as themselves.
    const head = await backlogHead(endpointId, count, [...batch]);
    if (!head.length) continue;
    // Due at its turn, so the claim takes it now, ahead of that turn; a backlog request, so only
    // while it is still in the backlog (a retry it has since scheduled is not pulled forward).
    const { rows } = await claim(head.map((row) => ({ id: row.id, dueAt: row.turn.toISOString(), backlog: true })), "SCHEDULED", now(), true);
    for (const row of rows.values()) if (row.claimed && !row.pause) claimed.push(row);
  }
  return claimed;
}

/**
 * The head of an endpoint's backlog (deliveries deferBeyondLanes handed back), oldest turn first,
 * at most `limit`, leaving out `except`; through the partial index Delivery_backlog_idx. `turn` is
 * the instant each waits for (its next attempt, else its deferral).
 */
export async function backlogHead(endpointId: string, limit: number, except: string[] = []) {
  const { rows } = await query<{ id: string; endpointId: string; deferredUntil: Date; turn: Date }>(
    "delivery.backlog.head",
    `SELECT id, "endpointId", "deferredUntil" AT TIME ZONE 'UTC' AS "deferredUntil",
            coalesce("nextAttemptAt", "deferredUntil") AT TIME ZONE 'UTC' AS turn FROM "Delivery"
      WHERE "endpointId" = $1 AND status = 'PENDING'::"DeliveryStatus" AND "deferredUntil" IS NOT NULL AND NOT (id = ANY($3::text[]))
      ORDER BY "deferredUntil", id LIMIT $2`,
    [endpointId, limit, except],
  );
  return rows;
}

/**
 * Sends a claimed delivery once its lane gave it a slot, if it still holds its lease. A request
 * that waited so long (a lane slower than its pace promised) that the lease would run out before
 * the request's timeout has it extended first, in a statement that checks the lease is still its
 * own: one that was taken over meanwhile (the sweep handed the delivery back, a resend claimed it)
 * is not sent a second time.
 */
async function sendInLease(row: ClaimRow, position: number, now: () => Date, release: (durationMs: number) => void): Promise<AttemptOutcome> {
  let lease = row.claimedLease!;
  // Waited in the lane longer than admission meant (LANE_WINDOW_MS): the record must still have
  // its margin once the request timed out.
  if (lease.getTime() - now().getTime() < row.timeoutMs + LEASE_MARGIN_MS - LANE_WINDOW_MS) {
    const { rows: kept } = await query<{ lease: Date }>(
      "delivery.lease.extend",
      `UPDATE "Delivery" SET "leaseExpiresAt" = ${UTC_IN("$2")} + $3 * interval '1 millisecond'
        WHERE id = $1 AND status = 'SENDING'::"DeliveryStatus" AND "leaseExpiresAt" = ${UTC_IN("$4")}
        RETURNING "leaseExpiresAt" AT TIME ZONE 'UTC' AS lease`,
      [row.id, now().toISOString(), row.timeoutMs + LEASE_MARGIN_MS, lease.toISOString()],
    );
    if (!kept[0]) return skipped("another attempt took the delivery over");
    lease = kept[0].lease;
  }
  return send({ ...row, claimedLease: lease }, { trigger: "SCHEDULED", scheduleAttempt: position }, now, release);
}

const globalForLanes = globalThis as unknown as { hooklineLanes?: Map<string, Lane> };

/**
 * This process's lane of the endpoint: its limits hold across batches (and their late attempts).
 * Changed limits apply to the same lane (a new one would not count the old one's requests).
 */
function laneFor(row: ClaimRow): Lane {
  const lanes = (globalForLanes.hooklineLanes ??= new Map());
  const limit = row.maxConcurrency ?? env().HOOKLINE_ENDPOINT_CONCURRENCY;
  let lane = lanes.get(row.endpointId);
  if (!lane) lanes.set(row.endpointId, (lane = new Lane(row.endpointId, limit, row.rateLimitPerSecond)));
  else if (lane.limit !== limit || lane.perSecond !== row.rateLimitPerSecond) lane.setLimits(limit, row.rateLimitPerSecond);
  lane.timeoutMs = row.timeoutMs;
  return lane;
}

/** Weight of the latest request in a lane's typical request time (an exponential moving average). */
const PACE_WEIGHT = 0.2;
/** A request in flight longer than this (and twice the typical time) holds its slot as if stuck. */
const STUCK_AFTER_MS = 1_000;
/** How often a request held back only by other workers' requests counts them again. */
const RECOUNT_MS = 250;

/** The requests other workers hold for `endpointId` now (HELD_ELSEWHERE). */
async function countHeldElsewhere(endpointId: string): Promise<number> {
  const { rows } = await query<{ n: number }>(
    "delivery.lane.elsewhere",
    `SELECT count(*)::int AS n FROM "Delivery" d WHERE d."endpointId" = $1 AND ${HELD_ELSEWHERE("d", "$2", "$3")}`,
    [endpointId, PROCESS_MARK, new Date().toISOString()],
  );
  return rows[0]?.n ?? 0;
}

/**
 * An endpoint's limits in this process: a concurrency cap and, when set, a start rate. It also
 * knows its pace (how many requests it starts per ms at most, from its typical request time), so
 * a batch claims for it only what it can start soon (deferBeyondLanes).
 *
 * With more than one delivery worker, the endpoint's batches run on whichever worker's engine
 * takes them (one at a time, cluster-wide), and a batch that ran out of patience leaves its slow
 * requests in flight in its own worker. So the cap is the endpoint's limit less the requests other
 * workers hold for it (their scheduled claims in PostgreSQL, `Delivery.leaseOwner`): read with each
 * batch's claim, and read again every RECOUNT_MS while requests wait only because of those (only
 * live workers' claims count: HELD_ELSEWHERE). A lane
 * that other workers share the endpoint with takes no more than its free slots (room), so claimed
 * requests wait for a slot in one worker at most: two workers never wait for each other's queues.
 * Manual resends and tests are not held back (and do not count).
 */
class Lane {
  private active = 0;
  private waiting: Array<() => void> = [];
  private nextStart = 0;
  /** the typical request time (ms): a moving average of answered requests; undefined until one was answered */
  private typicalMs: number | undefined;
  /** start times of the requests in flight, oldest first */
  private inFlight = new Map<number, number>();
  private started = 0;
  /** the latest turn handed to a deferred request (epoch ms) */
  private lastTurn = 0;
  /** the endpoint's request timeout (ms), kept current by laneFor */
  timeoutMs = 15_000;
  /** requests other workers hold for the endpoint, as last counted */
  private elsewhere = 0;
  private recountTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly endpointId: string,
    public limit: number,
    public perSecond: number | null,
  ) {}

  /** The endpoint's limits changed: they apply from now, to what waits as well. */
  setLimits(limit: number, perSecond: number | null) {
    this.limit = limit;
    this.perSecond = perSecond;
    this.grant();
  }

  /** The slots this process may use now: the endpoint's limit less what other workers hold. */
  private cap(): number {
    return Math.max(0, this.limit - this.elsewhere);
  }

  /** Other workers hold `count` requests for the endpoint (counted just now); slots that frees go to waiting requests. */
  heldElsewhere(count: number) {
    this.elsewhere = count;
    this.grant();
  }

  /** Hands free slots to the longest waiting requests, in order (the slot is taken for them). */
  private grant() {
    while (this.waiting.length && this.active < this.cap()) {
      this.active++;
      this.waiting.shift()!();
    }
    this.watchElsewhere();
  }

  /**
   * Requests wait although this lane's own requests leave slots free: other workers hold them.
   * Those end at their timeout at the latest, so the lane counts them again in RECOUNT_MS (a
   * failed count keeps the last, and tries again).
   */
  private watchElsewhere() {
    if (this.recountTimer || !this.waiting.length || this.active >= this.limit) return;
    this.recountTimer = setTimeout(() => {
      void countHeldElsewhere(this.endpointId)
        .then((count) => (this.elsewhere = count))
        .catch(() => undefined)
        .finally(() => {
          this.recountTimer = undefined;
          this.grant();
        });
    }, RECOUNT_MS);
    this.recountTimer.unref(); // requests waiting keep nothing alive that is otherwise done
  }

  /** Runs `work` in a slot; `work` may free its slot early (`release`: its request is answered, in that many ms). */
  async run<T>(work: (release: (durationMs: number) => void) => Promise<T>): Promise<T> {
    if (this.waiting.length || this.active >= this.cap()) {
      const granted = new Promise<void>((resolve) => this.waiting.push(resolve));
      this.watchElsewhere();
      await granted; // grant() took the slot for it
    } else this.active++;
    const ticket = this.started++;
    let released = false;
    const release = (durationMs?: number) => {
      if (released) return;
      released = true;
      this.active--;
      this.inFlight.delete(ticket);
      if (durationMs !== undefined) this.typicalMs = this.typicalMs === undefined ? durationMs : this.typicalMs + PACE_WEIGHT * (durationMs - this.typicalMs);
      this.grant();
    };
    try {
      if (this.perSecond) {
        const at = Math.max(Date.now(), this.nextStart);
        this.nextStart = at + 1000 / this.perSecond;
        if (at > Date.now()) await new Promise((resolve) => setTimeout(resolve, at - Date.now()));
      }
      this.inFlight.set(ticket, Date.now());
      return await work(release);
    } finally {
      release();
    }
  }

  /**
   * Slots this lane frees per ms, by concurrency: free slots over the typical request time;
   * Infinity while it knows no request time.
   */
  private freeing(now: number): number {
    // Before any answer, the oldest request in flight bounds the request time from below (a
    // hanging endpoint's first batch has none answered for a whole timeout).
    const oldest = this.inFlight.values().next().value;
    // Nothing at all to go by while other workers hold requests: a second each (the turns of what
    // it defers are spread out, not all now).
    const typical = this.typicalMs ?? (oldest !== undefined ? now - oldest : this.elsewhere > 0 ? STUCK_AFTER_MS : 0);
    // Requests in flight far longer than typical hold their slots (an endpoint that began to hang
    // long before its average knows it): the other slots start the rest; with none left, slots
    // free at the timeout at the latest.
    const stuckAfter = Math.max(2 * typical, STUCK_AFTER_MS);
    let stuck = 0;
    for (const started of this.inFlight.values()) {
      if (now - started <= stuckAfter) break;
      stuck++;
    }
    const free = this.cap() - stuck;
    return free <= 0 ? this.limit / this.timeoutMs : typical > 0 ? free / typical : Infinity;
  }

  /** Slots neither in use nor waited for (may be negative). */
  free(): number {
    return this.cap() - this.active - this.waiting.length;
  }

  /**
   * How many more requests this lane can take and still start each within `windowMs` (may be
   * negative): its free slots now plus the slots its pace frees meanwhile, less those waiting, and
   * no more than its rate limit starts (less those waiting for their start).
   */
  room(windowMs: number): number {
    const freeing = this.freeing(Date.now());
    // While other workers hold requests for the endpoint, only its free slots: what it claims
    // starts at once, so its claims never wait in its lane while another worker counts them.
    let room =
      this.elsewhere > 0
        ? Math.max(0, this.free())
        : freeing === Infinity
          ? Infinity
          : Math.max(0, this.cap() - this.active) + Math.floor(freeing * windowMs) - this.waiting.length;
    if (this.perSecond) room = Math.min(room, Math.floor((this.perSecond * windowMs) / 1000) - this.pacedOut() - this.waiting.length);
    return room;
  }

  /** Requests holding a slot that wait for their start under the rate limit. */
  private pacedOut(): number {
    return this.active - this.inFlight.size;
  }

  /**
   * The instant (epoch ms) a request queued behind what the lane holds now and `ahead` more should
   * get its slot, and never before the turns this lane already handed out (its backlog): the turn
   * is taken.
   */
  turn(now: number, ahead: number): number {
    const freeing = this.freeing(now);
    const queued = this.waiting.length + ahead + 1;
    let at = now;
    if (freeing !== Infinity) at = Math.max(at, now + Math.max(0, queued - Math.max(0, this.cap() - this.active)) / freeing);
    if (this.perSecond) at = Math.max(at, now + ((queued + this.pacedOut()) * 1000) / this.perSecond);
    const pace = Math.min(freeing, this.perSecond ? this.perSecond / 1000 : Infinity);
    const turn = Math.max(at, this.lastTurn + 1 / pace);
    this.lastTurn = turn;
    return turn;
  }
}

/**
 * The schedule position of the retry a request that was not claimed asks for. A stale one (a replay
 * of a batch run that already made attempt N: its run retried, or its worker died before the run
 * ended) asks for the retry that run scheduled, attempt N + 1 at `nextAttemptAt`: the same event
 * id, not sent twice. Any other keeps its own (never below the stored one, or it would be stale).
 */
function waitingPosition(row: ClaimRow, requested: number): number {
  return row.stale ? (row.schedulePosition ?? 1) : requested;
}

/** Why a claimed-for row was not claimed, as an outcome; undefined when it was claimed. */
function notClaimed(row: ClaimRow, claimable: DeliveryStatus[], now: () => Date): AttemptOutcome | undefined {
  if (!claimable.includes(row.status)) return skipped(`the delivery is already ${row.status.toLowerCase()}`);
  if (row.stale) return waitFor(row, now);
  if (row.pause) {
    const reason = row.disabledReason ?? "The endpoint is disabled";
    return { ...skipped(reason), next: { action: "paused", reason } };
  }
  if (row.claimed) return undefined;
  return waitFor(row, now);
}

/** Not due yet or a replay (batch path), or another attempt holds the lease: try again at that instant. */
function waitFor(row: ClaimRow, now: () => Date): AttemptOutcome {
  const at = row.status === "SENDING" && row.leaseExpiresAt ? row.leaseExpiresAt : (row.nextAttemptAt ?? row.leaseExpiresAt ?? now());
  const reason = row.stale
    ? "this attempt was made already; the request stands for the next one"
    : row.status === "SENDING"
      ? "another attempt holds the delivery"
      : "the next attempt is not due yet";
  return { ...skipped(reason), next: { action: "retry", delayMs: at.getTime() - now().getTime(), retryAt: at.toISOString() } };
}

/** Signs, sends and records one claimed delivery; `answered` runs once the request is over (its lane slot is free). */
async function send(delivery: ClaimRow, options: AttemptOptions, now: () => Date, answered?: (durationMs: number) => void): Promise<AttemptOutcome> {
  const message = { id: delivery.messageId, eventType: delivery.eventType, body: delivery.body };

  // A key problem must not leave the delivery claimed (SENDING): the claim is handed back, exactly
  // as it was, before the error propagates. (The claim and the read are one statement, so this
  // replaces "decrypt before claiming"; a crash in between leaves a lease that expires.)
  let current: string;
  let previous: string | null;
  let endpoint: ClaimRow;
  try {
    endpoint = { ...delivery, headers: openHeaders(delivery.headers) as CustomHeaders };
    current = open(delivery.secretEnc);
    const previousValid = delivery.previousSecretEnc && delivery.previousSecretUntil && delivery.previousSecretUntil > now();
    previous = previousValid ? open(delivery.previousSecretEnc!) : null;
  } catch (error) {
    await query(
      "delivery.unclaim",
      `UPDATE "Delivery" SET status = $2::"DeliveryStatus", "leaseExpiresAt" = ${UTC_IN("$3")}, "nextAttemptAt" = ${UTC_IN("$4")},
              "deferredUntil" = ${UTC_IN("$6")}, "updatedAt" = now() AT TIME ZONE 'UTC'
        WHERE id = $1 AND status = 'SENDING'::"DeliveryStatus" AND "leaseExpiresAt" = ${UTC_IN("$5")}`,
      [
        delivery.id,
        delivery.status,
        delivery.leaseExpiresAt?.toISOString() ?? null,
        delivery.nextAttemptAt?.toISOString() ?? null,
        delivery.claimedLease!.toISOString(),
        delivery.deferredUntil?.toISOString() ?? null,
      ],
    );
    throw error;
  }
  const number = delivery.attemptCount + 1;

  // A message the scheme cannot sign (body-secret and a payload that already has the field) is a
  // recorded, final failure: thrown, it would leave the claimed delivery stuck in SENDING.
  let request: SignedRequest | null = null;
  let signingError: string | null = null;
  try {
    request = signRequest({
      signature: delivery.signature,
      secrets: { current, previous },
      msgId: message.id,
      timestamp: unixSeconds(now()),
      eventTimestamp: unixSeconds(delivery.messageCreatedAt),
      body: message.body,
      eventType: message.eventType,
      attempt: number,
      customHeaders: endpoint.headers,
    });
  } catch (error) {
    if (!(error instanceof SigningError)) throw error;
    signingError = error.message;
  }
  const startedAt = now();
  const response: AttemptResponse = request
    ? await sendWebhook({
        url: endpoint.url,
        headers: request.headers,
        body: request.body,
        timeoutMs: endpoint.timeoutMs,
        allowPrivate: env().HOOKLINE_ALLOW_PRIVATE_NETWORKS,
        requireHttps: env().HOOKLINE_REQUIRE_HTTPS || endpoint.requireHttps,
      })
    : { ok: false, bodyTruncated: false, durationMs: 0, errorCode: "SIGNING", errorMessage: signingError! };
  // The endpoint's concurrency limit counts requests: the slot is free while the result is recorded.
  answered?.(response.durationMs);

  const finishedAt = startedAt.getTime() + response.durationMs;
  const next: AttemptNext = request ? decide(response, options, endpoint, finishedAt) : { action: "failed" };
  const attemptId = newId("att");
  // A manual attempt that fails never undoes what the schedule achieved or still plans: a
  // SUCCEEDED delivery stays succeeded, and one still on its retry schedule (PENDING) keeps its
  // next scheduled attempt for the run that owns it; only that run decides when the delivery has
  // failed (and counts it toward auto-disable).
  const keepSchedule = options.trigger === "MANUAL" && delivery.status === "PENDING" && !response.ok;
  const keepSuccess = options.trigger !== "SCHEDULED" && delivery.status === "SUCCEEDED" && !response.ok;
  // Only the schedule's own verdict counts toward auto-disable: not tests, not manual resends of a
  // backlog, and not a payload the scheme cannot sign (that says nothing about the endpoint).
  const finalFailure = next.action === "failed" && options.trigger === "SCHEDULED" && response.errorCode !== "SIGNING";
  const test = options.trigger === "TEST";
  const status: DeliveryStatus = keepSuccess
    ? "SUCCEEDED"
    : next.action === "succeeded"
      ? "SUCCEEDED"
      : next.action === "retry" || keepSchedule
        ? "PENDING"
        : "FAILED";
  const nextAttemptAt = next.action === "retry" ? next.retryAt : keepSchedule ? (delivery.nextAttemptAt?.toISOString() ?? null) : null;
  const record: AttemptRecord = {
    attemptId,
    workspaceId: delivery.workspaceId,
    deliveryId: delivery.id,
    messageId: message.id,
    endpointId: endpoint.endpointId,
    eventType: message.eventType,
    number,
    trigger: options.trigger,
    ok: response.ok,
    test,
    finalFailure,
    requestUrl: endpoint.url,
    requestHeaders: redactHeaders(request?.headers ?? {}, secretHeaderNames(endpoint.headers, endpoint.visibleHeaders)),
    // Only body-secret changes the body, and the copy we keep must not hold the secret.
    requestBody: !request || request.body === message.body ? null : request.body.replaceAll(current, "[secret]"),
    responseStatus: response.status ?? null,
    responseHeaders: response.headers ?? null,
    responseBody: response.body ?? null,
    errorCode: response.errorCode ?? null,
    errorMessage: response.errorMessage ?? null,
    durationMs: Math.round(response.durationMs),
    startedAt: startedAt.toISOString(),
    status,
    nextAttemptAt,
    completedAt: next.action === "retry" || keepSchedule ? null : now().toISOString(),
    keepCompleted: keepSuccess,
    claimedLease: delivery.claimedLease!.toISOString(),
    nextPosition: options.trigger === "SCHEDULED" && options.scheduleAttempt !== undefined ? options.scheduleAttempt + 1 : null,
  };
  // A person waits for a test or a manual resend: its record is written at once.
  const { endpoint: updated } = await recorder().add(record, options.trigger !== "SCHEDULED");

  // 410 Gone disables at once; so does reaching the threshold of consecutive failed deliveries.
  // The rare disable is a second statement: if it is lost (crash), the count stays at or above the
  // threshold and the next failed delivery disables the endpoint.
  if (!test && !response.ok && updated?.enabled && (finalFailure || (response.status === 410 && endpoint.disableOnGone))) {
    const verdict = shouldDisableEndpoint({
      responseStatus: response.status,
      consecutiveFailures: updated.consecutiveFailures,
      threshold: updated.failureThreshold,
      disableOnGone: endpoint.disableOnGone,
    });
    if (verdict.disable) {
      await query(
        "endpoint.disable",
        `UPDATE "Endpoint" SET enabled = false, "disabledReason" = $2, "disabledAt" = ${UTC_IN("$3")}, "updatedAt" = now() AT TIME ZONE 'UTC'
          WHERE id = $1 AND enabled`,
        [endpoint.endpointId, verdict.reason, now().toISOString()],
      );
    }
  }

  recordAttempt({ ok: response.ok, durationMs: response.durationMs, trigger: options.trigger, next: next.action });
  return {
    attemptId,
    number,
    ok: response.ok,
    responseStatus: response.status ?? null,
    errorCode: response.errorCode ?? null,
    durationMs: response.durationMs,
    next,
    ...(keepSchedule && nextAttemptAt ? { retryKept: { endpointId: endpoint.endpointId, at: nextAttemptAt, backlog: delivery.deferredUntil !== null } } : {}),
  };
}

function decide(
  response: AttemptResponse,
  options: AttemptOptions,
  endpoint: { retryPolicy: RetryPolicy; disableOnGone: boolean },
  finishedAt: number,
): AttemptNext {
  if (response.ok) return { action: "succeeded" };
  if (options.scheduleAttempt === undefined) return { action: "failed" };
  const decision = nextDelay({
    policy: endpoint.retryPolicy,
    goneIsFinal: endpoint.disableOnGone,
    attemptNumber: options.scheduleAttempt,
    responseStatus: response.status,
    retryAfterHeader: response.headers?.["retry-after"],
  });
  return decision.retry
    ? { action: "retry", delayMs: decision.delayMs, retryAt: new Date(finishedAt + decision.delayMs).toISOString() }
    : { action: "failed" };
}

function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

function skipped(reason: string): AttemptOutcome {
  return { attemptId: null, number: 0, ok: false, responseStatus: null, errorCode: null, durationMs: 0, next: { action: "skipped", reason } };
}

/**
 * What we keep of the request headers: signatures are fine to show; credential-looking names and
 * every secret custom header of the endpoint (stored encrypted) are not.
 */
export function redactHeaders(headers: Record<string, string>, secretNames: string[] = []): Record<string, string> {
  const secret = new Set(secretNames.map((name) => name.toLowerCase()));
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) =>
      secret.has(name.toLowerCase()) || looksLikeCredential(name) ? [name, "[redacted]"] : [name, value],
    ),
  );
}
