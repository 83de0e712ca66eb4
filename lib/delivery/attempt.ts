import "server-only";
import { openHeaders } from "@/lib/crypto/header-box";
import { open } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db/client";
import { sendWebhook, type SendWebhookResult } from "@/lib/delivery/http";
import { nextDelay, shouldDisableEndpoint } from "@/lib/delivery/policy";
import type { CustomHeaders, RetryPolicy, SignatureConfig } from "@/lib/delivery/schemas";
import { signRequest, SigningError, type SignedRequest } from "@/lib/delivery/sign";
import { env } from "@/lib/env";
import { errors } from "@/lib/errors";
import type { AttemptTrigger, DeliveryStatus } from "@/lib/generated/prisma/enums";
import { newId } from "@/lib/ids";
import { recordAttempt } from "@/lib/metrics";

export type AttemptNext =
  | { action: "succeeded" }
  | { action: "retry"; delayMs: number; retryAt: string }
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
};

/** What was sent and received, or SIGNING when nothing could be sent. */
type AttemptResponse = Omit<SendWebhookResult, "errorCode"> & { errorCode?: SendWebhookResult["errorCode"] | "SIGNING" };

type AttemptOptions = {
  trigger: AttemptTrigger;
  /**
   * 1-based position in the endpoint's retry schedule, given by the `deliver`
   * function. Without it (manual resend, test) a failure is final: no retry.
   */
  scheduleAttempt?: number;
  /** Seconds of the attempt's signature timestamp; tests pin it. */
  now?: () => Date;
};

// The lease covers the request's timeout plus time to record it; past it, the attempt crashed.
const LEASE_MARGIN_MS = 5_000;
const SENSITIVE_HEADER = /auth|token|secret|key|cookie|password|session|credential/i;

/** The delivery as the claim statement found it (before claiming), with its endpoint and message. */
type ClaimRow = {
  status: DeliveryStatus;
  leaseExpiresAt: Date | null;
  nextAttemptAt: Date | null;
  attemptCount: number;
  workspaceId: string;
  pause: boolean;
  claimed: boolean;
  claimedLease: Date | null;
  endpointId: string;
  url: string;
  disabledReason: string | null;
  secretEnc: string;
  previousSecretEnc: string | null;
  previousSecretUntil: Date | null;
  signature: unknown;
  retryPolicy: unknown;
  timeoutMs: number;
  headers: unknown;
  requireHttps: boolean;
  disableOnGone: boolean;
  messageId: string;
  messageCreatedAt: Date;
  eventType: string;
  body: string;
};

/**
 * The attempt core (docs/architecture.md §3), shared by `deliver`, resend and "Send
 * test": claim the delivery, sign and send with the SSRF guard and timeout,
 * then record the Attempt and the Delivery/Endpoint state in one statement.
 *
 * Two statements on the hot path, no interactive transaction: a row lock is
 * never held across a round trip (sessions "idle in transaction" holding the
 * endpoint row were the bottleneck under load).
 */
export async function attemptDelivery(deliveryId: string, options: AttemptOptions): Promise<AttemptOutcome> {
  const now = options.now ?? (() => new Date());
  const claimable: DeliveryStatus[] =
    options.trigger === "SCHEDULED" ? ["PENDING", "SENDING"] : ["PENDING", "SENDING", "FAILED", "PAUSED", "SUCCEEDED"];
  const claimedAt = now();

  // One statement reads the delivery (locked, latest committed version), its endpoint and message,
  // and claims it when it is claimable:
  // - a disabled endpoint and a scheduled attempt: the delivery is PAUSED instead;
  // - a SENDING delivery is claimable only once its lease ran out (or it has none): an attempt still
  //   in flight (a step retried by the executor while the first call runs) must not be sent twice;
  // - the claim sets status SENDING and a lease covering the request's timeout plus time to record it.
  // `cur` holds the values before the claim (keepSchedule below needs the old status and nextAttemptAt).
  const rows = await db().$queryRaw<ClaimRow[]>`
    WITH cur AS (
      SELECT d.id, d.status, d."leaseExpiresAt", d."nextAttemptAt", d."attemptCount", d."workspaceId",
             d."endpointId", d."messageId",
             (NOT e.enabled AND ${options.trigger === "SCHEDULED"}) AS pause
        FROM "Delivery" d JOIN "Endpoint" e ON e.id = d."endpointId"
       WHERE d.id = ${deliveryId}
         FOR UPDATE OF d
    ), claim AS (
      UPDATE "Delivery" d SET
        status = CASE WHEN cur.pause THEN 'PAUSED'::"DeliveryStatus" ELSE 'SENDING'::"DeliveryStatus" END,
        "leaseExpiresAt" = CASE WHEN cur.pause THEN NULL
          ELSE ${claimedAt}::timestamp(3) + (e."timeoutMs" + ${LEASE_MARGIN_MS}::int) * interval '1 millisecond' END,
        "nextAttemptAt" = NULL,
        "updatedAt" = now() AT TIME ZONE 'UTC'
        FROM cur JOIN "Endpoint" e ON e.id = cur."endpointId"
       WHERE d.id = cur.id
         AND cur.status::text = ANY(${claimable}::text[])
         AND (cur.pause OR cur.status <> 'SENDING'::"DeliveryStatus" OR cur."leaseExpiresAt" IS NULL
              OR cur."leaseExpiresAt" <= ${claimedAt}::timestamp(3))
      RETURNING d."leaseExpiresAt"
    )
    SELECT cur.status::text AS status, cur."leaseExpiresAt", cur."nextAttemptAt", cur."attemptCount", cur."workspaceId", cur.pause,
           EXISTS (SELECT 1 FROM claim) AS claimed, (SELECT "leaseExpiresAt" FROM claim) AS "claimedLease",
           e.id AS "endpointId", e.url, e."disabledReason", e."secretEnc", e."previousSecretEnc", e."previousSecretUntil",
           e.signature, e."retryPolicy", e."timeoutMs", e.headers, e."requireHttps", e."disableOnGone",
           m.id AS "messageId", m."eventType", m.body, m."createdAt" AS "messageCreatedAt"
      FROM cur JOIN "Endpoint" e ON e.id = cur."endpointId" JOIN "Message" m ON m.id = cur."messageId"`;
  const delivery = rows[0];
  if (!delivery) return skipped("the delivery no longer exists");
  if (!claimable.includes(delivery.status)) return skipped(`the delivery is already ${delivery.status.toLowerCase()}`);
  if (delivery.pause) {
    const reason = delivery.disabledReason ?? "The endpoint is disabled";
    return { ...skipped(reason), next: { action: "paused", reason } };
  }
  if (!delivery.claimed) {
    // Claimable status, not paused, not claimed: another attempt holds the lease. The scheduled
    // run then waits for the lease instead.
    if (options.trigger !== "SCHEDULED") throw errors.conflict("The delivery is being attempted right now");
    const retryAt = delivery.leaseExpiresAt!.toISOString();
    return { ...skipped("another attempt holds the delivery"), next: { action: "retry", delayMs: delivery.leaseExpiresAt!.getTime() - now().getTime(), retryAt } };
  }
  const endpoint = {
    id: delivery.endpointId,
    url: delivery.url,
    timeoutMs: delivery.timeoutMs,
    retryPolicy: delivery.retryPolicy as RetryPolicy,
    headers: openHeaders(delivery.headers) as CustomHeaders,
    requireHttps: delivery.requireHttps,
    disableOnGone: delivery.disableOnGone,
  };
  const message = { id: delivery.messageId, eventType: delivery.eventType, body: delivery.body };

  // A key problem must not leave the delivery claimed (SENDING): the claim is handed back, exactly
  // as it was, before the error propagates. (The claim and the read are one statement, so this
  // replaces "decrypt before claiming"; a crash in between leaves a lease that expires.)
  let current: string;
  let previous: string | null;
  try {
    current = open(delivery.secretEnc);
    const previousValid = delivery.previousSecretEnc && delivery.previousSecretUntil && delivery.previousSecretUntil > now();
    previous = previousValid ? open(delivery.previousSecretEnc!) : null;
  } catch (error) {
    await db().$executeRaw`
      UPDATE "Delivery" SET status = ${delivery.status}::"DeliveryStatus", "leaseExpiresAt" = ${delivery.leaseExpiresAt}::timestamp(3),
             "nextAttemptAt" = ${delivery.nextAttemptAt}::timestamp(3), "updatedAt" = now() AT TIME ZONE 'UTC'
       WHERE id = ${deliveryId} AND status = 'SENDING'::"DeliveryStatus" AND "leaseExpiresAt" = ${delivery.claimedLease}::timestamp(3)`;
    throw error;
  }
  const signature = delivery.signature as SignatureConfig;
  const number = delivery.attemptCount + 1;

  // A message the scheme cannot sign (body-secret and a payload that already has the field) is a
  // recorded, final failure: thrown, it would leave the claimed delivery stuck in SENDING.
  let request: SignedRequest | null = null;
  let signingError: string | null = null;
  try {
    request = signRequest({
      signature,
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

  const finishedAt = startedAt.getTime() + response.durationMs;
  const next: AttemptNext = request ? decide(response, options, endpoint, finishedAt) : { action: "failed" };
  const attemptId = newId("att");
  // A manual resend of a delivery still on its retry schedule (PENDING) is one extra try: if it
  // fails, the delivery keeps its next scheduled attempt for the `deliver` run that owns it, and
  // only that run decides when the delivery has failed (and counts it toward auto-disable).
  const keepSchedule = options.trigger === "MANUAL" && delivery.status === "PENDING" && !response.ok;
  // Only the schedule's own verdict counts toward auto-disable: not tests, not manual resends of a
  // backlog, and not a payload the scheme cannot sign (that says nothing about the endpoint).
  const finalFailure = next.action === "failed" && options.trigger === "SCHEDULED" && response.errorCode !== "SIGNING";
  const test = options.trigger === "TEST";
  const completedAt = next.action === "retry" || keepSchedule ? null : now();

  // The Attempt, the Delivery and the Endpoint in one statement (atomic without a transaction).
  // Endpoint: a TEST touches only lastAttemptAt; a success resets the failure count; a failed
  // *delivery* (retries exhausted, scheduled) counts toward auto-disable.
  const requestHeaders = JSON.stringify(redactHeaders(request?.headers ?? {}, Object.keys(endpoint.headers)));
  const responseHeaders = response.headers ? JSON.stringify(response.headers) : null;
  // Only body-secret changes the body, and the copy we keep must not hold the secret.
  const requestBody = !request || request.body === message.body ? null : request.body.replaceAll(current, "[secret]");
  const status: DeliveryStatus = next.action === "succeeded" ? "SUCCEEDED" : next.action === "retry" || keepSchedule ? "PENDING" : "FAILED";
  const nextAttemptAt = next.action === "retry" ? new Date(next.retryAt) : keepSchedule ? delivery.nextAttemptAt : null;
  const recorded = await db().$queryRaw<Array<{ enabled: boolean; consecutiveFailures: number; failureThreshold: number }>>`
    WITH attempt AS (
      INSERT INTO "Attempt" (id, "workspaceId", "deliveryId", "messageId", "endpointId", "eventType", number, trigger, outcome,
                             "requestUrl", "requestHeaders", "requestBody", "responseStatus", "responseHeaders", "responseBody",
                             "errorCode", "errorMessage", "durationMs", "createdAt")
      VALUES (${attemptId}, ${delivery.workspaceId}, ${deliveryId}, ${message.id}, ${endpoint.id}, ${message.eventType}, ${number},
              ${options.trigger}::"AttemptTrigger", ${response.ok ? "SUCCESS" : "FAILURE"}::"AttemptOutcome",
              ${endpoint.url}, ${requestHeaders}::jsonb, ${requestBody}, ${response.status ?? null}::int, ${responseHeaders}::jsonb,
              ${response.body ?? null}, ${response.errorCode ?? null}, ${response.errorMessage ?? null}, ${Math.round(response.durationMs)}::int,
              ${startedAt}::timestamp(3))
    ), delivery AS (
      UPDATE "Delivery" SET
        status = ${status}::"DeliveryStatus",
        "attemptCount" = "attemptCount" + 1,
        "nextAttemptAt" = ${nextAttemptAt}::timestamp(3),
        "leaseExpiresAt" = NULL,
        "lastResponseStatus" = ${response.status ?? null}::int,
        "lastErrorCode" = ${response.errorCode ?? null},
        "completedAt" = ${completedAt}::timestamp(3),
        "updatedAt" = now() AT TIME ZONE 'UTC'
      WHERE id = ${deliveryId}
    )
    UPDATE "Endpoint" SET
      "lastAttemptAt" = ${startedAt}::timestamp(3),
      "lastSuccessAt" = CASE WHEN ${response.ok && !test} THEN ${startedAt}::timestamp(3) ELSE "lastSuccessAt" END,
      "consecutiveFailures" = CASE WHEN ${test} THEN "consecutiveFailures" WHEN ${response.ok} THEN 0
                                   WHEN ${finalFailure} THEN "consecutiveFailures" + 1 ELSE "consecutiveFailures" END,
      "updatedAt" = now() AT TIME ZONE 'UTC'
    WHERE id = ${endpoint.id}
    RETURNING enabled, "consecutiveFailures", "failureThreshold"`;

  // 410 Gone disables at once; so does reaching the threshold of consecutive failed deliveries.
  // The rare disable is a second statement: if it is lost (crash), the count stays at or above the
  // threshold and the next failed delivery disables the endpoint.
  const updated = recorded[0];
  if (!test && !response.ok && updated?.enabled && (finalFailure || (response.status === 410 && endpoint.disableOnGone))) {
    const verdict = shouldDisableEndpoint({
      responseStatus: response.status,
      consecutiveFailures: updated.consecutiveFailures,
      threshold: updated.failureThreshold,
      disableOnGone: endpoint.disableOnGone,
    });
    if (verdict.disable) {
      await db().endpoint.updateMany({
        where: { id: endpoint.id, enabled: true },
        data: { enabled: false, disabledReason: verdict.reason, disabledAt: now() },
      });
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
 * every custom header of the endpoint (their values are secrets, stored encrypted) are not.
 */
export function redactHeaders(headers: Record<string, string>, secretNames: string[] = []): Record<string, string> {
  const secret = new Set(secretNames.map((name) => name.toLowerCase()));
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) =>
      secret.has(name.toLowerCase()) || (SENSITIVE_HEADER.test(name) && !/signature/i.test(name)) ? [name, "[redacted]"] : [name, value],
    ),
  );
}
