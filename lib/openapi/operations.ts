/**
 * Every /api/v1 operation, described once. Adding a route? Add one entry here
 * with the zod schema its service verb parses (`body`, `query`) and the shapes it
 * answers; tests/unit/openapi.test.ts fails while a route file has no entry (or
 * an entry has no route), and the API integration tests check real responses
 * against what is written here.
 */
import { z } from "zod";
import { listAttemptsSchema } from "@/lib/features/endpoints/list-attempts";
import { endpointCreateSchema, endpointUpdateSchema, recoverSchema, rotateSecretSchema } from "@/lib/features/endpoints/schema";
import { sendTestSchema } from "@/lib/features/endpoints/send-test";
import { eventTypeCreateSchema, eventTypeUpdateSchema, importPresetSchema } from "@/lib/features/event-types/schema";
import { idempotencyKeySchema, listMessagesSchema, MAX_BATCH_MESSAGES, publishSchema } from "@/lib/features/messages/schema";
import { portalLinkSchema } from "@/lib/features/portal/schema";
import { listRunsSchema } from "@/lib/features/runs/queries";
import * as s from "@/lib/openapi/schemas";

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

export type ApiOperation = {
  method: HttpMethod;
  /** Below /api/v1, with `{param}` for a `[param]` folder. */
  path: `/${string}`;
  tag: string;
  summary: string;
  description?: string;
  /** The schema the service verb validates the JSON body with. */
  body?: z.ZodType;
  bodyExample?: unknown;
  query?: z.ZodObject;
  /** Request headers the operation reads (besides Authorization). */
  headers?: z.ZodObject;
  /** Success answers; a missing schema means no body (204). */
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  /** Error statuses besides the ones derived from the operation (401, 400 with input, 403 for writes, 404 with path params). */
  errors?: number[];
  /** No API key needed. */
  public?: boolean;
};


export const operations: ApiOperation[] = [
  // Messages
  {
    method: "post",
    path: "/messages",
    tag: "Messages",
    summary: "Publish an event",
    description:
      "Stores the message (the payload byte for byte as sent), creates one delivery per matching endpoint and queues them. " +
      "The same `idempotencyKey` again answers 200 with the original message; with a different body, 409. " +
      "The key may also come as an `Idempotency-Key` header (as Stripe and Svix take it); given both ways, they must agree.",
    body: publishSchema,
    headers: z.object({
      "Idempotency-Key": idempotencyKeySchema
        .optional()
        .meta({ description: "The idempotency key, instead of the body's `idempotencyKey` (400 when both are given and differ)", example: "call-123" }),
    }),
    bodyExample: { eventType: "call:completed", payload: { account: "acc_1", duration: 45, caller: { number: "+15551234567" } }, idempotencyKey: "call-123" },
    responses: {
      202: { description: "Published", schema: s.publishedMessageSchema },
      200: { description: "Seen before (same idempotency key): the original message", schema: s.publishedMessageSchema },
    },
    errors: [409, 413, 429, 503],
  },
  {
    method: "post",
    path: "/messages/batch",
    tag: "Messages",
    summary: "Publish up to 100 events at once",
    description:
      "Stores every message and its deliveries in one transaction. All or nothing: when any message is refused, none is stored and " +
      "`error.details` lists each refused message as `{index, code, message, details?}`. Idempotency keys work per message " +
      "(`created: false` for a repeat; an `Idempotency-Key` header is refused: it cannot name each message); 200 when every message was a repeat. Under load: 429 `delivery_backlog_full` or 503, with `Retry-After`.",
    // The route checks each message with publishSchema one by one, so each refusal can name its index.
    body: z.object({ messages: z.array(publishSchema).min(1).max(MAX_BATCH_MESSAGES) }).strict(),
    bodyExample: {
      messages: [
        { eventType: "call:completed", payload: { account: "acc_1", duration: 45 }, idempotencyKey: "call-124" },
        { eventType: "call:missed", payload: { account: "acc_1" } },
      ],
    },
    responses: {
      202: { description: "Published", schema: s.publishedBatchSchema },
      200: { description: "Every message was seen before (same idempotency keys): the originals", schema: s.publishedBatchSchema },
    },
    errors: [409, 413, 429, 503],
  },
  {
    method: "get",
    path: "/messages",
    tag: "Messages",
    summary: "List messages",
    description: "Newest first. `status` and `endpointId` match messages having such a delivery.",
    query: listMessagesSchema,
    responses: { 200: { description: "A page of messages", schema: s.page(s.messageSchema) } },
  },
  {
    method: "get",
    path: "/messages/{id}",
    tag: "Messages",
    summary: "Get a message with its deliveries and attempts",
    responses: { 200: { description: "The message", schema: s.messageDetailSchema } },
  },
  {
    method: "post",
    path: "/deliveries/{id}/resend",
    tag: "Messages",
    summary: "Resend a delivery",
    description: "Queues one manual attempt; it appears in the delivery's attempts with trigger MANUAL.",
    responses: { 202: { description: "Queued", schema: s.resendResultSchema } },
    errors: [409],
  },
  // Endpoints
  {
    method: "post",
    path: "/endpoints",
    tag: "Endpoints",
    summary: "Create an endpoint",
    description: "The response carries the signing secret; afterwards only `GET /endpoints/{id}/secret` reveals it.",
    body: endpointCreateSchema,
    bodyExample: {
      title: "CRM sync",
      url: "https://crm.example.com/hooks/calls",
      eventTypes: ["call:completed", "call:missed"],
      filter: { accounts: ["acc_1"], rules: [{ path: "duration", op: "gte", value: 30 }] },
      signature: { scheme: "hmac-sha1", header: "X-CALLTRACKING-SIGNATURE" },
    },
    responses: { 201: { description: "Created, with its secret", schema: s.createdEndpointSchema } },
  },
  {
    method: "get",
    path: "/endpoints",
    tag: "Endpoints",
    summary: "List endpoints",
    query: z.object({ account: z.string().optional().meta({ description: "Only this account's endpoints; empty: only the workspace-wide ones" }) }),
    responses: { 200: { description: "Every endpoint of the workspace", schema: s.page(s.endpointSchema) } },
  },
  {
    method: "post",
    path: "/accounts/{account}/portal",
    tag: "Accounts",
    summary: "Create a customer-portal link",
    description:
      "A short-lived URL (default 1 hour) that opens the customer portal for one account: its endpoints, attempts and messages, " +
      "nothing else. Optionally read-only and limited to some event types. Admin key.",
    body: portalLinkSchema,
    bodyExample: { expiresIn: 3600, readOnly: false, eventTypes: ["call:completed"] },
    responses: { 201: { description: "The link", schema: s.portalLinkSchema } },
  },
  {
    method: "get",
    path: "/accounts/{account}/portal",
    tag: "Accounts",
    summary: "List the account's open portal links",
    description: "Links that still open a session (neither expired nor revoked), newest first. Their URLs are not stored and cannot be shown again.",
    responses: { 200: { description: "The open links", schema: s.portalLinkListSchema } },
  },
  {
    method: "delete",
    path: "/accounts/{account}/portal",
    tag: "Accounts",
    summary: "Revoke every open portal link of the account",
    description: "Sessions opened with them end at their next request; the links' pages say they have expired. Admin key.",
    responses: { 200: { description: "How many links ended", schema: s.portalLinksRevokedSchema } },
  },
  {
    method: "delete",
    path: "/accounts/{account}/portal/{id}",
    tag: "Accounts",
    summary: "Revoke one portal link",
    description: "Its session ends at its next request. `revoked` is 0 when the link had already ended. Admin key.",
    responses: { 200: { description: "Whether the link ended now", schema: s.portalLinksRevokedSchema } },
  },
  {
    method: "get",
    path: "/endpoints/{id}",
    tag: "Endpoints",
    summary: "Get an endpoint",
    responses: { 200: { description: "The endpoint", schema: s.endpointSchema } },
  },
  {
    method: "patch",
    path: "/endpoints/{id}",
    tag: "Endpoints",
    summary: "Update an endpoint",
    description: "Any subset of the create fields; the merged endpoint is validated as a whole.",
    body: endpointUpdateSchema,
    bodyExample: { timeoutMs: 5000, retryPolicy: { preset: "fixed" } },
    responses: { 200: { description: "The updated endpoint", schema: s.endpointSchema } },
  },
  {
    method: "delete",
    path: "/endpoints/{id}",
    tag: "Endpoints",
    summary: "Delete an endpoint",
    responses: { 204: { description: "Deleted" } },
  },
  {
    method: "get",
    path: "/endpoints/{id}/secret",
    tag: "Endpoints",
    summary: "Reveal the signing secret",
    description: "Viewers cannot reveal secrets (403).",
    responses: { 200: { description: "The secret", schema: s.secretSchema } },
    errors: [403],
  },
  {
    method: "post",
    path: "/endpoints/{id}/secret/rotate",
    tag: "Endpoints",
    summary: "Rotate the signing secret",
    description: "The previous secret keeps signing alongside the new one for `graceSeconds` (default 24 h).",
    body: rotateSecretSchema,
    bodyExample: { graceSeconds: 3600 },
    responses: { 200: { description: "The new secret", schema: s.secretSchema } },
  },
  {
    method: "post",
    path: "/endpoints/{id}/test",
    tag: "Endpoints",
    summary: "Send a test event",
    description: "Delivers a test message to this endpoint now, whatever its filters, and returns the receiver's answer.",
    body: sendTestSchema,
    bodyExample: { eventType: "call:completed", payload: { account: "acc_1", duration: 45 } },
    responses: { 200: { description: "The attempt, with the receiver's response", schema: s.testSendResultSchema } },
  },
  {
    method: "get",
    path: "/endpoints/{id}/attempts",
    tag: "Endpoints",
    summary: "List an endpoint's attempts",
    description: "Newest first (default: the last 10).",
    query: listAttemptsSchema,
    responses: { 200: { description: "A page of attempts", schema: s.page(s.attemptSchema) } },
  },
  {
    method: "post",
    path: "/endpoints/{id}/enable",
    tag: "Endpoints",
    summary: "Enable an endpoint",
    description: "Deliveries held while it was disabled (PAUSED) come back with `recover`.",
    responses: { 200: { description: "The endpoint", schema: s.endpointSchema } },
  },
  {
    method: "post",
    path: "/endpoints/{id}/disable",
    tag: "Endpoints",
    summary: "Disable an endpoint",
    description: "New messages still create deliveries for it, as PAUSED: nothing is lost.",
    responses: { 200: { description: "The endpoint", schema: s.endpointSchema } },
  },
  {
    method: "post",
    path: "/endpoints/{id}/recover",
    tag: "Endpoints",
    summary: "Re-deliver failed deliveries since a time",
    body: recoverSchema,
    bodyExample: { since: "2026-11-29T00:00:00Z" },
    responses: { 202: { description: "Queued", schema: s.recoverResultSchema } },
  },
  // Event types
  {
    method: "post",
    path: "/event-types",
    tag: "Event types",
    summary: "Create an event type",
    body: eventTypeCreateSchema,
    bodyExample: {
      name: "call:completed",
      description: "A call ended",
      schema: { type: "object", required: ["account", "duration"], properties: { account: { type: "string" }, duration: { type: "number" } } },
      examplePayload: { account: "acc_1", duration: 45 },
    },
    responses: { 201: { description: "Created", schema: s.eventTypeSchema } },
    errors: [409],
  },
  {
    method: "get",
    path: "/event-types",
    tag: "Event types",
    summary: "List event types",
    query: z.object({ includeArchived: z.enum(["true", "false"]).optional() }),
    responses: { 200: { description: "The catalog", schema: s.page(s.eventTypeSchema) } },
  },
  {
    method: "get",
    path: "/event-types/{name}",
    tag: "Event types",
    summary: "Get an event type",
    responses: { 200: { description: "The event type", schema: s.eventTypeSchema } },
  },
  {
    method: "patch",
    path: "/event-types/{name}",
    tag: "Event types",
    summary: "Update an event type",
    body: eventTypeUpdateSchema,
    bodyExample: { description: "A call ended (answered or not)" },
    responses: { 200: { description: "The event type", schema: s.eventTypeSchema } },
  },
  {
    method: "delete",
    path: "/event-types/{name}",
    tag: "Event types",
    summary: "Archive an event type",
    description: "Its messages stay readable; publishing it is refused from now on.",
    responses: { 200: { description: "The archived event type", schema: s.eventTypeSchema } },
  },
  {
    method: "get",
    path: "/event-types/presets",
    tag: "Event types",
    summary: "List product presets",
    responses: { 200: { description: "Event catalogs of known products", schema: s.page(s.presetSchema) } },
  },
  {
    method: "post",
    path: "/event-types/presets",
    tag: "Event types",
    summary: "Import a product preset",
    body: importPresetSchema,
    bodyExample: { preset: "call-tracking" },
    responses: { 201: { description: "Imported (existing names are skipped)", schema: s.importPresetResultSchema } },
  },
  // Runs and the caller
  {
    method: "get",
    path: "/runs",
    tag: "Runs",
    summary: "List function runs (local engine)",
    description: "With Inngest Cloud or a self-hosted Inngest server the runs live in its dashboard (404 not_available).",
    query: listRunsSchema,
    responses: { 200: { description: "A page of runs", schema: s.page(s.runSchema) } },
  },
  {
    method: "get",
    path: "/me",
    tag: "Meta",
    summary: "Who the caller is",
    description: "Handy to check an API key.",
    responses: { 200: { description: "The workspace and role of the key", schema: s.meSchema } },
  },
  {
    method: "get",
    path: "/openapi.json",
    tag: "Meta",
    summary: "This document",
    public: true,
    responses: { 200: { description: "OpenAPI 3.1", schema: z.record(z.string(), z.unknown()) } },
  },
];
