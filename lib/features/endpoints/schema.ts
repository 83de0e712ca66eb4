import { z } from "zod";

export const accountSchema = z
  .string()
  .trim()
  .min(1, "Enter the account")
  .max(200)
  .regex(/^[^\s/?#]+$/, "An account key has no spaces, slashes, ? or #");
import {
  eventTypeNameSchema,
  filterSchema,
  headerNameSchema,
  headersSchema,
  type Filter,
  refineHeadersAgainstSignature,
  retryPolicySchema,
  signatureSchema,
  timeoutMsSchema,
} from "@/lib/delivery/schemas";

const fields = {
  title: z.string().trim().min(1, "Give the endpoint a title").max(120),
  url: z.string().trim().min(1, "Enter the URL to deliver to").max(2000),
  description: z.string().trim().max(1000),
  eventTypes: z.array(eventTypeNameSchema).max(200),
  filter: filterSchema,
  signature: signatureSchema,
  retryPolicy: retryPolicySchema,
  timeoutMs: timeoutMsSchema,
  headers: headersSchema,
  secretHeaders: z.array(headerNameSchema).max(50).meta({
    description:
      "The custom headers whose values are secret: stored encrypted, masked for viewers and the portal, redacted in stored attempts. " +
      "Not given: every new header is secret (and on update the others keep their setting). Names that look like credentials " +
      "(auth, token, secret, key, cookie, password, session, credential) are always secret.",
    example: ["Authorization"],
  }),
  enabled: z.boolean(),
  maxConcurrency: z.number().int().min(1).max(100).nullable(),
  rateLimitPerSecond: z.number().int().min(1).max(10_000).nullable(),
  failureThreshold: z.number().int("Write a whole number of failures").min(1, "Auto-disable needs at least 1 failure").max(1000, "At most 1000 failures"),
  disableOnGone: z.boolean(),
  requireHttps: z.boolean(),
  /** The owning account (the `account` key of messages): it then receives only that account's messages. */
  account: accountSchema.nullable(),
};

/** Only names of the endpoint's own custom headers can be marked secret (a typo would otherwise pass unnoticed). */
function refineSecretHeaders(endpoint: { headers: Record<string, string>; secretHeaders?: string[] }, ctx: z.RefinementCtx) {
  const names = new Set(Object.keys(endpoint.headers).map((name) => name.toLowerCase()));
  for (const [index, name] of (endpoint.secretHeaders ?? []).entries()) {
    if (!names.has(name.toLowerCase())) ctx.addIssue({ code: "custom", path: ["secretHeaders", index], message: `${name} is not one of the custom headers` });
  }
}

/** A per-event filter for an event the endpoint does not receive would never apply: refuse it. */
function refineEventFilters(endpoint: { eventTypes: string[]; filter: Filter }, ctx: z.RefinementCtx) {
  if (endpoint.eventTypes.length === 0) return;
  for (const eventType of Object.keys(endpoint.filter.events ?? {})) {
    if (!endpoint.eventTypes.includes(eventType)) {
      const message = `"${eventType}" has a filter but is not one of the endpoint's event types`;
      ctx.addIssue({ code: "custom", path: ["filter", "events", eventType], message });
    }
  }
}

/** POST /api/v1/endpoints and the console's create form. */
export const endpointCreateSchema = z
  .object({
    title: fields.title,
    url: fields.url,
    description: fields.description.default(""),
    eventTypes: fields.eventTypes.default([]),
    filter: fields.filter.default({}),
    signature: fields.signature.default({ scheme: "standard" }),
    retryPolicy: fields.retryPolicy.default({ preset: "standard" }),
    timeoutMs: fields.timeoutMs.default(15_000),
    headers: fields.headers.default({}),
    secretHeaders: fields.secretHeaders.optional(),
    enabled: fields.enabled.default(true),
    maxConcurrency: fields.maxConcurrency.optional(),
    rateLimitPerSecond: fields.rateLimitPerSecond.optional(),
    failureThreshold: fields.failureThreshold.default(10),
    disableOnGone: fields.disableOnGone.default(true),
    requireHttps: fields.requireHttps.default(false),
    account: fields.account.optional(),
  })
  .strict()
  .superRefine(refineHeadersAgainstSignature)
  .superRefine(refineSecretHeaders)
  .superRefine(refineEventFilters);
export type EndpointCreateInput = z.input<typeof endpointCreateSchema>;

/** PATCH: any subset; the merged result is validated again as a whole. */
export const endpointUpdateSchema = z.object(fields).partial().strict();
export type EndpointUpdateInput = z.input<typeof endpointUpdateSchema>;

export const recoverSchema = z.object({ since: z.iso.datetime({ offset: true }) }).strict();
export const rotateSecretSchema = z
  .object({ graceSeconds: z.number().int().min(0).max(7 * 24 * 3600).default(24 * 3600) })
  .strict();

/** What a customer may set on their own endpoint in the portal; the rest follows the workspace's defaults. */
export const PORTAL_EDITABLE = ["title", "url", "description", "eventTypes", "filter", "enabled"] as const;
