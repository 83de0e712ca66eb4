import { z } from "zod";
import { signatureHeaderNames } from "@/lib/delivery/signature-headers";

// Shared by the API, the server actions and the forms (so browser-safe: no node: imports here).

/** RFC 9110 token: what Node and every proxy accept as a header name. */
export const headerNameSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "Not a valid HTTP header name");

/** Node's own rule for header values (no CR/LF/NUL or other control characters), so sending never throws. */
const headerValueSchema = z
  .string()
  .max(4096)
  .regex(/^[\t\x20-\x7e\x80-\xff]*$/, "Header values cannot contain line breaks or control characters");

export const SIGNATURE_SCHEMES = ["standard", "hmac-sha256", "hmac-sha1", "stripe", "body-secret", "none"] as const;

/**
 * What the signature timestamp means: `attempt` (the moment of this try, as Standard Webhooks and
 * Stripe expect for replay windows) or `event` (when the message was created: the same on every
 * retry, as seed 001's `X-Magnetite-Timestamp` "when the event occurred").
 */
export const TIMESTAMP_SOURCES = ["attempt", "event"] as const;

/** The schemes whose headers carry a timestamp. */
export const TIMESTAMPED_SCHEMES: ReadonlySet<string> = new Set(["standard", "hmac-sha256", "stripe"]);

// Which optional fields each scheme reads; anything else is refused rather than silently ignored.
const SCHEME_FIELDS: Record<(typeof SIGNATURE_SCHEMES)[number], readonly string[]> = {
  standard: [],
  "hmac-sha256": ["header", "headerPrefix"],
  "hmac-sha1": ["header"],
  stripe: ["header"],
  "body-secret": ["field"],
  none: [],
};

export const signatureSchema = z
  .object({
    scheme: z.enum(SIGNATURE_SCHEMES),
    header: headerNameSchema.optional(),
    /** hmac-sha256: `<prefix>-Signature`, `<prefix>-Event`, `<prefix>-Timestamp` (seed 001: `X-Magnetite`). */
    headerPrefix: headerNameSchema.optional(),
    userAgent: headerValueSchema.min(1).max(256).optional(),
    /** body-secret: the top-level JSON field that carries the secret. */
    field: z.string().min(1).max(64).optional(),
    /** Default `attempt`; only for schemes that send a timestamp. */
    timestamp: z.enum(TIMESTAMP_SOURCES).optional(),
    /**
     * Hookline's own headers (`x-hookline-event-type`, `x-hookline-attempt`) and, when no user agent
     * is set, `user-agent: Hookline/<version>`. Default true; product presets turn it off so the
     * product's customers see exactly the headers the product documents.
     */
    hooklineHeaders: z.boolean().optional(),
  })
  .superRefine((signature, ctx) => {
    if (signature.timestamp !== undefined && !TIMESTAMPED_SCHEMES.has(signature.scheme)) {
      ctx.addIssue({ code: "custom", path: ["timestamp"], message: `The ${signature.scheme} scheme sends no timestamp` });
    }
    for (const key of ["header", "headerPrefix", "field"] as const) {
      if (signature[key] !== undefined && !SCHEME_FIELDS[signature.scheme].includes(key)) {
        ctx.addIssue({ code: "custom", path: [key], message: `"${key}" does not apply to the ${signature.scheme} scheme` });
      }
    }
  });
export type SignatureConfig = z.infer<typeof signatureSchema>;

export const eventTypeNameSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/, "Use letters, digits and . _ : - only");

const SECOND = 1000;
const MAX_CUSTOM_DELAY_MS = 7 * 24 * 3600 * SECOND;

export const RETRY_PRESETS = ["standard", "fixed", "exponential", "none", "custom"] as const;

export const retryPolicySchema = z
  .object({
    preset: z.enum(RETRY_PRESETS),
    delaysMs: z
      .array(z.number().int().min(SECOND, "Delays are at least 1 s").max(MAX_CUSTOM_DELAY_MS, "Delays are at most 7 days"))
      .min(1)
      .max(20)
      .optional(),
    /** Total attempts including the first; only the exponential preset has no natural end. */
    maxAttempts: z.number().int().min(1).max(30).optional(),
    /** ±20 % on each delay. Default: on, except for `fixed` (seed 000's schedule is exact). */
    jitter: z.boolean().optional(),
    /**
     * The longest wait between two attempts, Retry-After included. Default: 30 s for
     * `exponential` (seed 001's "maximum 30 seconds"), none for the others.
     */
    maxDelayMs: z.number().int().min(SECOND, "The maximum delay is at least 1 s").max(MAX_CUSTOM_DELAY_MS, "The maximum delay is at most 7 days").optional(),
  })
  .superRefine((policy, ctx) => {
    if (policy.preset === "custom" && !policy.delaysMs) {
      ctx.addIssue({ code: "custom", path: ["delaysMs"], message: "A custom policy needs a list of delays" });
    }
    if (policy.preset !== "custom" && policy.delaysMs) {
      ctx.addIssue({ code: "custom", path: ["delaysMs"], message: "Delays only apply to the custom policy" });
    }
    if (policy.preset !== "exponential" && policy.maxAttempts !== undefined) {
      const message = "Max attempts only applies to the exponential policy";
      ctx.addIssue({ code: "custom", path: ["maxAttempts"], message });
    }
    if (policy.preset === "none" && (policy.maxDelayMs !== undefined || policy.jitter !== undefined)) {
      const path = policy.maxDelayMs !== undefined ? "maxDelayMs" : "jitter";
      ctx.addIssue({ code: "custom", path: [path], message: "A policy without retries has no delays" });
    }
  });
export type RetryPolicy = z.infer<typeof retryPolicySchema>;

export const timeoutMsSchema = z.number().int().min(1000).max(30_000);

export const FILTER_OPS = ["eq", "neq", "gt", "gte", "lt", "lte", "in", "nin", "exists", "contains"] as const;

/** Dot path with array indexes either way: `caller.number`, `items.0.id`, `items[0].id`. */
const jsonPathSchema = z
  .string()
  .max(256)
  .regex(/^[^.[\]]+(\[\d+\])*(\.[^.[\]]+(\[\d+\])*)*$/, "Use a dot path such as caller.number or items[0].id");

export const filterRuleSchema = z
  .object({ path: jsonPathSchema, op: z.enum(FILTER_OPS), value: z.json().optional() })
  .superRefine((rule, ctx) => {
    const { op, value } = rule;
    const fail = (message: string) => ctx.addIssue({ code: "custom", path: ["value"], message });
    if (op === "exists") {
      if (typeof value !== "boolean") fail("exists needs true or false");
    } else if (op === "in" || op === "nin") {
      if (!Array.isArray(value)) fail(`${op} needs a list of values`);
    } else if (op === "gt" || op === "gte" || op === "lt" || op === "lte") {
      if (typeof value !== "number" && typeof value !== "string") fail(`${op} needs a number or a string`);
    } else if (value === undefined) {
      fail(`${op} needs a value`);
    }
  });
export type FilterRule = z.infer<typeof filterRuleSchema>;

const conditionsShape = {
  accounts: z.array(z.string().min(1).max(200)).max(100).optional(),
  rules: z.array(filterRuleSchema).max(20).optional(),
};

/** Account and payload conditions: all must hold. */
export const eventFilterSchema = z.object(conditionsShape).strict();
export type EventFilter = z.infer<typeof eventFilterSchema>;

/**
 * The endpoint-level conditions apply to every event; `events` adds conditions for one event type
 * each ("Customize this event" in seed 002), on top of them.
 */
export const filterSchema = z.object({
  ...conditionsShape,
  events: z
    .record(eventTypeNameSchema, eventFilterSchema)
    .refine((events) => Object.keys(events).length <= 200, "At most 200 per-event filters")
    .optional(),
});
export type Filter = z.infer<typeof filterSchema>;

/** Headers of the transport itself (lowercase): a custom value would break the request. */
export const TRANSPORT_HEADERS = new Set(["content-length", "transfer-encoding", "connection", "keep-alive", "te", "trailer", "upgrade", "expect"]);
// Those, and headers Hookline computes itself.
const RESERVED_HEADERS = new Set([
  ...TRANSPORT_HEADERS,
  "content-type", "content-encoding", "host",
  "user-agent", // set through signature.userAgent
]);
const RESERVED_PREFIXES = ["webhook-", "x-hookline-"];

export const headersSchema = z
  .record(headerNameSchema, headerValueSchema)
  .refine((headers) => Object.keys(headers).length <= 50, "At most 50 custom headers")
  .superRefine((headers, ctx) => {
    const seen = new Set<string>();
    for (const name of Object.keys(headers)) {
      const lower = name.toLowerCase();
      if (RESERVED_HEADERS.has(lower) || RESERVED_PREFIXES.some((prefix) => lower.startsWith(prefix))) {
        ctx.addIssue({ code: "custom", path: [name], message: `${name} is set by Hookline and cannot be overridden` });
      }
      if (seen.has(lower)) ctx.addIssue({ code: "custom", path: [name], message: `${name} is given twice` });
      seen.add(lower);
    }
  });
export type CustomHeaders = z.infer<typeof headersSchema>;

/** Custom header names that look like credentials (signatures aside): their values are always secret. */
const CREDENTIAL_NAME = /auth|token|secret|key|cookie|password|session|credential/i;
export function looksLikeCredential(name: string): boolean {
  return CREDENTIAL_NAME.test(name) && !/signature/i.test(name);
}

/**
 * The signature headers depend on the endpoint's scheme, so this check needs both fields:
 * use it as `.superRefine(refineHeadersAgainstSignature)` on any schema holding both.
 */
export function refineHeadersAgainstSignature(
  endpoint: { signature: SignatureConfig; headers: CustomHeaders },
  ctx: z.RefinementCtx,
): void {
  const signed = new Set(signatureHeaderNames(endpoint.signature).map((name) => name.toLowerCase()));
  for (const name of Object.keys(endpoint.headers)) {
    if (signed.has(name.toLowerCase())) {
      ctx.addIssue({ code: "custom", path: ["headers", name], message: `${name} is the endpoint's signature header` });
    }
  }
}


