import type { SignatureConfig } from "@/lib/delivery/schemas";

// Kept apart from sign.ts (node:crypto) so the schemas, which forms import in the browser, can use it.

const DEFAULT_HEADER_PREFIX = "X-Hookline";

/** Names of the headers a scheme adds, as sent (the configured casing). */
export function signatureHeaderNames(signature: SignatureConfig): string[] {
  const prefix = signature.headerPrefix ?? DEFAULT_HEADER_PREFIX;
  switch (signature.scheme) {
    case "standard":
      return ["webhook-id", "webhook-timestamp", "webhook-signature"];
    case "hmac-sha256":
      return [signature.header ?? `${prefix}-Signature`, `${prefix}-Event`, `${prefix}-Timestamp`];
    case "hmac-sha1":
      return [signature.header ?? `${DEFAULT_HEADER_PREFIX}-Signature`];
    case "stripe":
      // Receivers written for Stripe read this header; the scheme exists so their code works unchanged.
      return [signature.header ?? "Stripe-Signature"];
    case "body-secret":
    case "none":
      return [];
  }
}
