/**
 * Response shapes of API v1 as zod schemas: the OpenAPI document renders them,
 * and the API tests check every real response against that document, so a DTO
 * that drifts from its schema fails a test. Request bodies are NOT here: the
 * document uses the very schemas the service verbs parse with.
 */
import { z } from "zod";
import "zod-openapi";
import { filterSchema, retryPolicySchema, signatureSchema } from "@/lib/delivery/schemas";
import { endpointUpdateSchema } from "@/lib/features/endpoints/schema";
import { DELIVERY_STATUSES } from "@/lib/features/messages/schema";

const timestamp = z.iso.datetime({ offset: true }).meta({ example: "2026-11-30T21:04:05.123Z" });
const nullableTimestamp = timestamp.nullable();
const jsonValue = z.unknown().meta({ description: "Any JSON value" });
const stringMap = z.record(z.string(), z.string());

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: "Stable machine-readable code", example: "validation_failed" }),
      message: z.string().meta({ description: "Safe to show to a person", example: "The request is not valid" }),
      details: z
        .unknown()
        .optional()
        .meta({ description: "For validation_failed: one entry per zod issue ({path, message, code})" }),
    }),
  })
  .meta({
    id: "Error",
    description: "Every 4xx/5xx answer has this body.",
    example: { error: { code: "validation_failed", message: "The request is not valid", details: [{ path: "url", message: "Enter the URL to deliver to", code: "too_small" }] } },
  });

const endpointFields = {
  id: z.string().meta({ example: "ep_01JDQ4M3T8W2Y6ZK5V7N9R0B1C" }),
  title: z.string().meta({ example: "CRM sync" }),
  url: z.string().meta({ example: "https://crm.example.com/hooks/calls" }),
  description: z.string(),
  enabled: z.boolean(),
  disabledReason: z.string().nullable().meta({ description: "Why Hookline or a person disabled it" }),
  disabledAt: nullableTimestamp,
  eventTypes: z.array(z.string()).meta({ description: "Empty: every event type", example: ["call:completed", "call:missed"] }),
  filter: filterSchema,
  signature: signatureSchema,
  retryPolicy: retryPolicySchema,
  timeoutMs: z.int().meta({ example: 15000 }),
  headers: stringMap.meta({ description: "Custom headers sent with every request. For viewers and the portal the values of secret headers read ••••••" }),
  secretHeaders: z.array(z.string()).meta({
    description: "The custom headers whose values are secret (encrypted at rest, masked for viewers, redacted in attempts); the others are visible",
    example: ["Authorization"],
  }),
  maxConcurrency: z.int().nullable(),
  rateLimitPerSecond: z.int().nullable(),
  failureThreshold: z.int().meta({ description: "Consecutive failed deliveries that disable the endpoint" }),
  disableOnGone: z.boolean().meta({ description: "A 410 Gone answer disables the endpoint at once" }),
  requireHttps: z.boolean(),
  account: z.string().nullable().meta({ description: "The owning account: it receives only that account's messages. Null: workspace-wide", example: "acc_1" }),
  consecutiveFailures: z.int(),
  lastSuccessAt: nullableTimestamp,
  lastAttemptAt: nullableTimestamp,
  createdAt: timestamp,
  updatedAt: timestamp,
};

export const endpointSchema = z.object(endpointFields).meta({ id: "Endpoint" });
export const createdEndpointSchema = z
  .object({ ...endpointFields, secret: z.string().meta({ description: "The signing secret, shown in this response only", example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" }) })
  .meta({ id: "CreatedEndpoint" });

export const secretSchema = z
  .object({
    secret: z.string().meta({ example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" }),
    previousSecretExpiresAt: nullableTimestamp.meta({ description: "Until then the previous secret signs alongside the new one" }),
  })
  .meta({ id: "Secret" });

export const attemptSchema = z
  .object({
    id: z.string().meta({ example: "att_01JDQ4N0A6C8E0G2J4L6N8Q0S2" }),
    deliveryId: z.string(),
    messageId: z.string(),
    endpointId: z.string(),
    eventType: z.string(),
    number: z.int().meta({ description: "1 for the first try" }),
    trigger: z.enum(["SCHEDULED", "MANUAL", "TEST"]),
    outcome: z.enum(["success", "failure"]),
    requestUrl: z.string(),
    requestHeaders: stringMap,
    requestBody: z.string().nullable(),
    responseStatus: z.int().nullable(),
    responseHeaders: stringMap.nullable(),
    responseBody: z.string().nullable().meta({ description: "Truncated to 64 KiB" }),
    errorCode: z.string().nullable().meta({ example: "TIMEOUT", description: "TIMEOUT, CONNECTION, DNS, TLS, BLOCKED_ADDRESS, REDIRECT, HTTP_STATUS, …" }),
    errorMessage: z.string().nullable(),
    durationMs: z.int(),
    createdAt: timestamp,
  })
  .meta({ id: "Attempt" });

const deliveryStatus = z.enum(DELIVERY_STATUSES);
const deliverySummary = z.object({ id: z.string().meta({ example: "dlv_01JDQ4MZ0R2T4V6X8Z0B2D4F6H" }), endpointId: z.string(), status: deliveryStatus, attemptCount: z.int() });

const messageFields = {
  id: z.string().meta({ example: "msg_01JDQ4MY5K7M9P1R3T5V7X9Z1B" }),
  eventType: z.string().meta({ example: "call:completed" }),
  account: z.string().nullable().meta({ example: "acc_1" }),
  idempotencyKey: z.string().nullable(),
  createdAt: timestamp,
};

export const publishedMessageSchema = z
  .object({ ...messageFields, deliveries: z.array(z.object({ id: z.string(), endpointId: z.string(), status: deliveryStatus })) })
  .meta({ id: "PublishedMessage", description: "The message and one delivery per matching endpoint" });

export const publishedBatchSchema = z
  .object({ data: z.array(publishedMessageSchema.extend({ created: z.boolean().meta({ description: "false: the idempotency key was seen before; this is the original message" }) })) })
  .meta({ id: "PublishedBatch", description: "Every message of the batch, in request order" });

export const messageSchema = z
  .object({ ...messageFields, payload: jsonValue, test: z.boolean(), deliveries: z.array(deliverySummary) })
  .meta({ id: "Message" });

export const messageDetailSchema = z
  .object({
    ...messageFields,
    payload: jsonValue,
    test: z.boolean(),
    body: z.string().meta({ description: "The payload exactly as published (and signed)" }),
    deliveries: z.array(
      deliverySummary.extend({
        endpoint: z.object({ title: z.string(), url: z.string() }),
        nextAttemptAt: nullableTimestamp,
        lastResponseStatus: z.int().nullable(),
        lastErrorCode: z.string().nullable(),
        attempts: z.array(attemptSchema),
      }),
    ),
  })
  .meta({ id: "MessageDetail" });

export const eventTypeSchema = z
  .object({
    name: z.string().meta({ example: "call:completed" }),
    description: z.string(),
    schema: z.record(z.string(), z.unknown()).nullable().meta({ description: "JSON Schema payloads are validated against" }),
    examplePayload: z.record(z.string(), z.unknown()).nullable(),
    preset: z.string().nullable(),
    archived: z.boolean(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "EventType" });

export const presetSchema = z
  .object({
    id: z.string().meta({ example: "call-tracking" }),
    name: z.string(),
    description: z.string(),
    endpoint: endpointUpdateSchema.meta({ description: "Endpoint settings the product's document asks for (pass them to POST /endpoints)" }),
    events: z.array(z.string()),
  })
  .meta({ id: "EventTypePreset" });

export const runSchema = z
  .object({
    id: z.string(),
    functionId: z.string(),
    status: z.enum(["RUNNING", "SLEEPING", "COMPLETED", "FAILED", "CANCELLED"]),
    event: z.object({ id: z.string(), name: z.string(), data: jsonValue, ts: z.number() }),
    currentStep: z.string().nullable(),
    nextWakeAt: nullableTimestamp,
    attempt: z.int(),
    output: jsonValue,
    error: jsonValue,
    startedAt: timestamp,
    endedAt: nullableTimestamp,
    steps: z.array(
      z.object({ id: z.string(), name: z.string().nullable(), op: z.string(), status: z.enum(["completed", "failed"]), attempt: z.int(), at: timestamp }),
    ),
  })
  .meta({ id: "Run" });

export const meSchema = z
  .object({
    workspaceId: z.string(),
    role: z.enum(["OWNER", "ADMIN", "VIEWER"]),
    actor: z.union([
      z.object({ type: z.literal("user"), id: z.string(), email: z.string() }),
      z.object({ type: z.literal("apiKey"), id: z.string() }),
      z.object({ type: z.literal("system") }),
    ]),
  })
  .meta({ id: "Me" });

export const resendResultSchema = z.object({ queued: z.int(), eventId: z.string().nullable() }).meta({ id: "ResendResult" });
export const recoverResultSchema = z
  .object({ deliveries: z.int().meta({ description: "Failed deliveries requeued" }), eventId: z.string().nullable() })
  .meta({ id: "RecoverResult" });
export const importPresetResultSchema = z.object({ preset: z.string(), created: z.int(), skipped: z.int() }).meta({ id: "ImportPresetResult" });
export const testSendResultSchema = z.object({ attempt: attemptSchema }).meta({ id: "TestSendResult" });

/** `{data, nextCursor}`: every list of the API. */
export function page<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page; null on the last" }) });
}

export const portalLinkSchema = z
  .object({
    id: z.string().meta({ example: "ptl_01JDQ4M3T8W2Y6ZK5V7N9R0B1C" }),
    account: z.string().meta({ example: "acc_1" }),
    url: z.string().meta({ description: "Open it (redirect or iframe) to start the account's portal session", example: "https://hooks.example.com/portal/hlp_…" }),
    path: z.string(),
    readOnly: z.boolean(),
    eventTypes: z.array(z.string()).meta({ description: "Event types offered; empty: the whole catalog" }),
    expiresAt: timestamp,
  })
  .meta({ id: "PortalLink" });

export const portalLinkSummarySchema = z
  .object({
    id: z.string().meta({ example: "ptl_01JDQ4M3T8W2Y6ZK5V7N9R0B1C" }),
    account: z.string().meta({ example: "acc_1" }),
    readOnly: z.boolean(),
    eventTypes: z.array(z.string()).meta({ description: "Event types offered; empty: the whole catalog" }),
    expiresAt: timestamp,
    createdAt: timestamp,
  })
  .meta({ id: "PortalLinkSummary" });

export const portalLinkListSchema = z.object({ data: z.array(portalLinkSummarySchema) }).meta({ id: "PortalLinkList" });

export const portalLinksRevokedSchema = z.object({ revoked: z.number().int().min(0) }).meta({ id: "PortalLinksRevoked" });
