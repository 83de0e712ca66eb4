import { retrySchedule } from "@/lib/delivery/policy";
import type { RetryPolicy, SignatureConfig } from "@/lib/delivery/schemas";

/** 5000 → "5 s", 300000 → "5 min", 7200000 → "2 h", 90000 → "1.5 min". */
export function formatDelay(ms: number): string {
  const units: Array<[string, number]> = [["d", 86_400_000], ["h", 3_600_000], ["min", 60_000], ["s", 1000]];
  for (const [unit, size] of units) {
    if (ms >= size) {
      const value = ms / size;
      return `${Number.isInteger(value) ? value : value.toFixed(1).replace(/\.0$/, "")} ${unit}`;
    }
  }
  return `${ms} ms`;
}

export function formatDurationMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** "Retries after 5 s, 5 min, 30 min… (8 attempts over about 28 h)". */
export function describeRetryPolicy(policy: RetryPolicy): string {
  const schedule = retrySchedule(policy);
  if (schedule.length === 0) return "No retry: one attempt, then the delivery is failed.";
  const total = schedule.reduce((sum, delay) => sum + delay, 0);
  const span = roundTotal(total);
  const spanText = span >= 3_600_000 && span < 72 * 3_600_000 ? `${span / 3_600_000} h` : formatDelay(span);
  return `Retries after ${schedule.map(formatDelay).join(", ")} — ${schedule.length + 1} attempts over about ${spanText}, then failed.`;
}

/** Totals read best in whole hours up to three days ("about 28 h"), then days. */
function roundTotal(ms: number): number {
  if (ms >= 72 * 3_600_000) return Math.round(ms / 86_400_000) * 86_400_000;
  if (ms >= 3_600_000) return Math.round(ms / 3_600_000) * 3_600_000;
  if (ms >= 60_000) return Math.round(ms / 60_000) * 60_000;
  return ms;
}

export const RETRY_PRESET_LABELS: Record<RetryPolicy["preset"], string> = {
  standard: "Standard (Svix schedule)",
  fixed: "Fixed",
  exponential: "Exponential",
  none: "No retry",
  custom: "Custom delays",
};

export const SCHEME_LABELS: Record<SignatureConfig["scheme"], string> = {
  standard: "Standard Webhooks",
  "hmac-sha256": "HMAC-SHA256 (GitHub style)",
  "hmac-sha1": "HMAC-SHA1 (hex)",
  stripe: "Stripe style (t=…,v1=…)",
  "body-secret": "Secret in the body",
  none: "Unsigned",
};

export const SCHEME_DESCRIPTIONS: Record<SignatureConfig["scheme"], string> = {
  standard: "webhook-id, webhook-timestamp and webhook-signature headers (v1, base64 HMAC-SHA256 of id.timestamp.body). Verifiable with the standardwebhooks or svix packages.",
  "hmac-sha256": "A sha256=<hex HMAC-SHA256 of the body> header, plus event and timestamp headers. Verifiable with @octokit/webhooks-methods.",
  "hmac-sha1": "A header holding the hex HMAC-SHA1 of the body.",
  stripe: "A header t=<unix time>,v1=<hex HMAC-SHA256 of \"t.body\">, like Stripe-Signature.",
  "body-secret": "No signature header: the endpoint's secret is added to the JSON body as a top-level field.",
  none: "No signature at all, for products whose documents sign nothing (seeds 000 and 004). Receivers cannot tell a forged request from a real one: add a secret custom header (e.g. Authorization) if they can check it.",
};

/** "Disabled by a user" / "10 consecutive failed deliveries" — the status words of the list and the header. */
export function endpointStatus(endpoint: { enabled: boolean; disabledReason: string | null }) {
  return endpoint.enabled
    ? { label: "Enabled", tone: "success" as const, reason: null }
    : { label: "Disabled", tone: "warning" as const, reason: endpoint.disabledReason ?? "Disabled" };
}
