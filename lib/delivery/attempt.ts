import "server-only";
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
const SENSITIVE_HEADER = /authorization|token|secret|key|cookie|password/i;

/**
 * The attempt core (architecture §4), shared by `deliver`, resend and "Send
 * test": claim the delivery, sign and send with the SSRF guard and timeout,
 * then record the Attempt and the Delivery/Endpoint state in one transaction.
 */
export async function attemptDelivery(deliveryId: string, options: AttemptOptions): Promise<AttemptOutcome> {
  const now = options.now ?? (() => new Date());
  const claimable: DeliveryStatus[] =
    options.trigger === "SCHEDULED" ? ["PENDING", "SENDING"] : ["PENDING", "SENDING", "FAILED", "PAUSED", "SUCCEEDED"];
  const delivery = await db().delivery.findUnique({
    where: { id: deliveryId },
    include: { endpoint: { omit: { secretEnc: false, previousSecretEnc: false } }, message: true },
  });
  if (!delivery) return skipped("the delivery no longer exists");
  const { endpoint, message } = delivery;
  if (!claimable.includes(delivery.status)) return skipped(`the delivery is already ${delivery.status.toLowerCase()}`);
  if (!endpoint.enabled && options.trigger === "SCHEDULED") {
    const reason = endpoint.disabledReason ?? "The endpoint is disabled";
    await db().delivery.update({ where: { id: delivery.id }, data: { status: "PAUSED", leaseExpiresAt: null, nextAttemptAt: null } });
    return { ...skipped(reason), next: { action: "paused", reason } };
  }

  // Decrypt before claiming: a key problem must not leave the delivery claimed (SENDING).
  const current = open(endpoint.secretEnc);
  const previousValid = endpoint.previousSecretEnc && endpoint.previousSecretUntil && endpoint.previousSecretUntil > now();
  const previous = previousValid ? open(endpoint.previousSecretEnc!) : null;
  const signature = endpoint.signature as SignatureConfig;

  // A SENDING delivery is claimable only once its lease ran out: an attempt still in flight
  // (a step retried by the executor while the first call runs) must not be sent twice.
  // The scheduled run then waits for the lease instead.
  const leaseHeld = delivery.status === "SENDING" && delivery.leaseExpiresAt && delivery.leaseExpiresAt > now();
  if (leaseHeld) {
    if (options.trigger !== "SCHEDULED") throw errors.conflict("The delivery is being attempted right now");
    const retryAt = delivery.leaseExpiresAt!.toISOString();
    return { ...skipped("another attempt holds the delivery"), next: { action: "retry", delayMs: delivery.leaseExpiresAt!.getTime() - now().getTime(), retryAt } };
  }
  const number = delivery.attemptCount + 1;
  const claimed = await db().delivery.updateMany({
    where: {
      id: delivery.id,
      OR: [{ status: { in: claimable.filter((status) => status !== "SENDING") } }, { status: "SENDING", leaseExpiresAt: { lte: now() } }, { status: "SENDING", leaseExpiresAt: null }],
    },
    data: { status: "SENDING", leaseExpiresAt: new Date(now().getTime() + endpoint.timeoutMs + LEASE_MARGIN_MS), nextAttemptAt: null },
  });
  if (claimed.count === 0) return skipped("another attempt claimed the delivery first");

  // A message the scheme cannot sign (body-secret and a payload that already has the field) is a
  // recorded, final failure: thrown, it would leave the claimed delivery stuck in SENDING.
  let request: SignedRequest | null = null;
  let signingError: string | null = null;
  try {
    request = signRequest({
      signature,
      secrets: { current, previous },
      msgId: message.id,
      timestamp: Math.floor(now().getTime() / 1000),
      body: message.body,
      eventType: message.eventType,
      attempt: number,
      customHeaders: endpoint.headers as CustomHeaders,
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
        requireHttps: env().HOOKLINE_REQUIRE_HTTPS,
      })
    : { ok: false, bodyTruncated: false, durationMs: 0, errorCode: "SIGNING", errorMessage: signingError! };

  const finishedAt = startedAt.getTime() + response.durationMs;
  const next: AttemptNext = request ? decide(response, options, endpoint.retryPolicy as RetryPolicy, finishedAt) : { action: "failed" };
  const attemptId = newId("att");
  // A manual resend of a delivery still on its retry schedule (PENDING) is one extra try: if it
  // fails, the delivery keeps its next scheduled attempt for the `deliver` run that owns it, and
  // only that run decides when the delivery has failed (and counts it toward auto-disable).
  const keepSchedule = options.trigger === "MANUAL" && delivery.status === "PENDING" && !response.ok;
  // Only the schedule's own verdict counts toward auto-disable: not tests, not manual resends of a
  // backlog, and not a payload the scheme cannot sign (that says nothing about the endpoint).
  const finalFailure = next.action === "failed" && options.trigger === "SCHEDULED" && response.errorCode !== "SIGNING";

  await db().$transaction(async (tx) => {
    await tx.attempt.create({
      data: {
        id: attemptId,
        workspaceId: delivery.workspaceId,
        deliveryId: delivery.id,
        messageId: message.id,
        endpointId: endpoint.id,
        eventType: message.eventType,
        number,
        trigger: options.trigger,
        outcome: response.ok ? "SUCCESS" : "FAILURE",
        requestUrl: endpoint.url,
        requestHeaders: redactHeaders(request?.headers ?? {}),
        // Only body-secret changes the body, and the copy we keep must not hold the secret.
        requestBody: !request || request.body === message.body ? null : request.body.replaceAll(current, "[secret]"),
        responseStatus: response.status ?? null,
        responseHeaders: response.headers ?? undefined,
        responseBody: response.body ?? null,
        errorCode: response.errorCode ?? null,
        errorMessage: response.errorMessage ?? null,
        durationMs: response.durationMs,
        createdAt: startedAt,
      },
    });
    await tx.delivery.update({
      where: { id: delivery.id },
      data: {
        status: next.action === "succeeded" ? "SUCCEEDED" : next.action === "retry" || keepSchedule ? "PENDING" : "FAILED",
        attemptCount: { increment: 1 },
        nextAttemptAt: next.action === "retry" ? new Date(next.retryAt) : keepSchedule ? delivery.nextAttemptAt : null,
        leaseExpiresAt: null,
        lastResponseStatus: response.status ?? null,
        lastErrorCode: response.errorCode ?? null,
        completedAt: next.action === "retry" || keepSchedule ? null : now(),
      },
    });

    if (options.trigger === "TEST") {
      await tx.endpoint.update({ where: { id: endpoint.id }, data: { lastAttemptAt: startedAt } });
      return;
    }
    if (response.ok) {
      await tx.endpoint.update({
        where: { id: endpoint.id },
        data: { lastAttemptAt: startedAt, lastSuccessAt: startedAt, consecutiveFailures: 0 },
      });
      return;
    }
    // A failed *delivery* (retries exhausted) counts toward auto-disable; 410 Gone disables at once.
    const updated = await tx.endpoint.update({
      where: { id: endpoint.id },
      data: { lastAttemptAt: startedAt, ...(finalFailure ? { consecutiveFailures: { increment: 1 } } : {}) },
      select: { enabled: true, consecutiveFailures: true, failureThreshold: true },
    });
    if (!updated.enabled || (!finalFailure && response.status !== 410)) return;
    const verdict = shouldDisableEndpoint({
      responseStatus: response.status,
      consecutiveFailures: updated.consecutiveFailures,
      threshold: updated.failureThreshold,
    });
    if (verdict.disable) {
      await tx.endpoint.update({
        where: { id: endpoint.id },
        data: { enabled: false, disabledReason: verdict.reason, disabledAt: now() },
      });
    }
  });

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

function decide(response: AttemptResponse, options: AttemptOptions, policy: RetryPolicy, finishedAt: number): AttemptNext {
  if (response.ok) return { action: "succeeded" };
  if (options.scheduleAttempt === undefined) return { action: "failed" };
  const decision = nextDelay({
    policy,
    attemptNumber: options.scheduleAttempt,
    responseStatus: response.status,
    retryAfterHeader: response.headers?.["retry-after"],
  });
  return decision.retry
    ? { action: "retry", delayMs: decision.delayMs, retryAt: new Date(finishedAt + decision.delayMs).toISOString() }
    : { action: "failed" };
}

function skipped(reason: string): AttemptOutcome {
  return { attemptId: null, number: 0, ok: false, responseStatus: null, errorCode: null, durationMs: 0, next: { action: "skipped", reason } };
}

/** What we keep of the request headers: signatures are fine to show, credentials in custom headers are not. */
function redactHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) =>
      SENSITIVE_HEADER.test(name) && !/signature/i.test(name) ? [name, "[redacted]"] : [name, value],
    ),
  );
}
