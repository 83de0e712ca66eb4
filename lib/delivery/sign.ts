import { createHmac, randomBytes } from "node:crypto";
import packageJson from "@/package.json";
import { TRANSPORT_HEADERS, type CustomHeaders, type SignatureConfig } from "@/lib/delivery/schemas";
import { signatureHeaderNames } from "@/lib/delivery/signature-headers";

export const DEFAULT_USER_AGENT = `Hookline/${packageJson.version}`;
const DEFAULT_BODY_SECRET_FIELD = "secret";
const SECRET_PREFIX = "whsec_";

export class SigningError extends Error {
  override name = "SigningError";
}

export interface SignRequestInput {
  signature: SignatureConfig;
  /** `previous` is the pre-rotation secret while it is still valid, else null. */
  secrets: { current: string; previous?: string | null };
  /** The message id: stable across retries, so receivers can deduplicate. */
  msgId: string;
  /** Unix seconds of this attempt. */
  timestamp: number;
  /** Unix seconds of the message's creation, sent instead when `signature.timestamp` is "event". */
  eventTimestamp?: number;
  /** The message body exactly as published. */
  body: string;
  eventType: string;
  attempt: number;
  customHeaders?: CustomHeaders;
}

export interface SignedRequest {
  headers: Record<string, string>;
  /** Equals the input body except for body-secret, the one scheme that writes into it. */
  body: string;
}

/**
 * One format for every scheme: `whsec_` + base64 of 32 random bytes. Standard Webhooks reads the
 * base64 part as the key; the HMAC schemes use the whole string as UTF-8 bytes, exactly as Stripe
 * does with its own `whsec_` secrets. So a secret survives a change of scheme, and is recognisable in logs.
 */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString("base64");
}

/** The signature timestamp the endpoint's config asks for: this attempt's, or the event's (stable across retries). */
export function signatureTimestamp(signature: SignatureConfig, times: { attempt: number; event?: number }): number {
  return signature.timestamp === "event" && times.event !== undefined ? times.event : times.attempt;
}

export function signRequest(input: SignRequestInput): SignedRequest {
  const { signature, secrets, msgId, body } = input;
  const timestamp = signatureTimestamp(signature, { attempt: input.timestamp, event: input.eventTimestamp });
  // Only the schemes whose header format allows several signatures can carry both during rotation.
  const keys = [secrets.current, ...(secrets.previous ? [secrets.previous] : [])];
  const [signatureHeader, eventHeader, timestampHeader] = signatureHeaderNames(signature);
  const signed: Record<string, string> = {};
  let sentBody = body;

  switch (signature.scheme) {
    case "standard": {
      const content = `${msgId}.${timestamp}.${body}`;
      signed["webhook-id"] = msgId;
      signed["webhook-timestamp"] = String(timestamp);
      signed["webhook-signature"] = keys
        .map((secret) => `v1,${hmac("sha256", standardKey(secret), content).toString("base64")}`)
        .join(" ");
      break;
    }
    case "hmac-sha256":
      signed[signatureHeader] = `sha256=${hmac("sha256", secrets.current, body).toString("hex")}`;
      signed[eventHeader] = input.eventType;
      signed[timestampHeader] = String(timestamp);
      break;
    case "hmac-sha1":
      signed[signatureHeader] = hmac("sha1", secrets.current, body).toString("hex");
      break;
    case "stripe":
      signed[signatureHeader] = [
        `t=${timestamp}`,
        ...keys.map((secret) => `v1=${hmac("sha256", secret, `${timestamp}.${body}`).toString("hex")}`),
      ].join(",");
      break;
    case "body-secret":
      sentBody = insertTopLevelField(body, signature.field ?? DEFAULT_BODY_SECRET_FIELD, secrets.current);
      break;
    case "none":
      break;
  }

  // Hookline's own headers are a per-endpoint choice: a product preset sends exactly its document's set.
  const own = signature.hooklineHeaders !== false;
  const userAgent = signature.userAgent ?? (own ? DEFAULT_USER_AGENT : undefined);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    ...(userAgent && { "user-agent": userAgent }),
    ...(own && { "x-hookline-event-type": input.eventType, "x-hookline-attempt": String(input.attempt) }),
    ...signed,
  };
  // Validation already refuses clashing custom headers and transport headers; this keeps rows
  // stored before that harmless (the sender refuses some transport headers, and a stored
  // Content-Length would not match the body).
  const taken = new Set(Object.keys(headers).map((name) => name.toLowerCase()));
  for (const [name, value] of Object.entries(input.customHeaders ?? {})) {
    const lower = name.toLowerCase();
    if (!taken.has(lower) && !TRANSPORT_HEADERS.has(lower)) headers[name] = value;
  }
  return { headers, body: sentBody };
}

function hmac(algorithm: "sha256" | "sha1", key: string | Buffer, content: string): Buffer {
  return createHmac(algorithm, key).update(content, "utf8").digest();
}

/** Standard Webhooks: the key is the base64 after `whsec_` (a bare base64 secret is accepted too, as the libraries do). */
function standardKey(secret: string): Buffer {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, "base64");
  if (key.length === 0) throw new SigningError("The signing secret is not base64");
  return key;
}

/**
 * Adds `"field":"value"` right after the opening brace by string surgery, so every other byte of
 * the published body (key order, spacing, number formatting) reaches the receiver unchanged.
 */
function insertTopLevelField(body: string, field: string, value: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new SigningError("body-secret signing needs a JSON body");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new SigningError("body-secret signing needs a JSON object body");
  }
  // A duplicate key would leave receivers to pick one of the two values: refuse instead.
  if (Object.hasOwn(parsed, field)) {
    throw new SigningError(`The body already has a top-level "${field}" field`);
  }
  const brace = body.indexOf("{");
  const isEmpty = Object.keys(parsed).length === 0;
  const member = `${JSON.stringify(field)}:${JSON.stringify(value)}${isEmpty ? "" : ","}`;
  return body.slice(0, brace + 1) + member + body.slice(brace + 1);
}
