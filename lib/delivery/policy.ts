import type { RetryPolicy } from "@/lib/delivery/schemas";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Svix's schedule: eight attempts over about 28 hours. */
const STANDARD_DELAYS_MS: readonly number[] = [
  5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR,
];
/** Seed 000: four retries, then the delivery is marked as failed. */
const FIXED_DELAYS_MS: readonly number[] = [MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR];
/** Seed 001 gives the curve (1 s, 2 s, 4 s, … at most 30 s) but no limit; eight attempts, like `standard`. */
export const EXPONENTIAL_DEFAULT_MAX_ATTEMPTS = 8;
const EXPONENTIAL_BASE_MS = SECOND;
const EXPONENTIAL_CAP_MS = 30 * SECOND;

const JITTER = 0.2;
/**
 * Retry-After is clamped: under 1 s it would hammer a struggling receiver (and the Inngest SDK
 * rounds shorter sleeps up anyway); over 24 h a delivery would sit silently for longer than any
 * operator would expect from a policy whose own longest step is 10 h.
 */
const RETRY_AFTER_MIN_MS = SECOND;
const RETRY_AFTER_MAX_MS = 24 * HOUR;

export const DEFAULT_DISABLE_THRESHOLD = 10;

/** Delays before the 2nd, 3rd, … attempt, without jitter, each at most the policy's maximum delay. */
export function retrySchedule(policy: RetryPolicy): readonly number[] {
  const steps = presetSchedule(policy);
  const cap = policyMaxDelay(policy);
  return cap === null ? steps : steps.map((delay) => Math.min(delay, cap));
}

function presetSchedule(policy: RetryPolicy): readonly number[] {
  switch (policy.preset) {
    case "standard":
      return STANDARD_DELAYS_MS;
    case "fixed":
      return FIXED_DELAYS_MS;
    case "exponential": {
      const retries = (policy.maxAttempts ?? EXPONENTIAL_DEFAULT_MAX_ATTEMPTS) - 1;
      return Array.from({ length: retries }, (_, i) => EXPONENTIAL_BASE_MS * 2 ** i);
    }
    case "none":
      return [];
    case "custom":
      return policy.delaysMs ?? [];
  }
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false };

export interface NextDelayInput {
  policy: RetryPolicy;
  /** 1-based number of the attempt that just failed. */
  attemptNumber: number;
  responseStatus?: number;
  retryAfterHeader?: string | null;
  /** Injectable for tests; 0.5 means no jitter. */
  random?: () => number;
  /** Unix ms, to resolve an HTTP-date Retry-After. */
  now?: number;
  /** Whether 410 Gone ends the delivery (it disables the endpoint); default true. Off, 410 is an ordinary failure. */
  goneIsFinal?: boolean;
}

/** Whether a policy jitters its delays: its own setting, else on for every preset but `fixed`. */
export function policyJitters(policy: RetryPolicy): boolean {
  return policy.jitter ?? policy.preset !== "fixed";
}

/** The longest wait a policy allows between attempts (Retry-After included), or null when it sets none. */
export function policyMaxDelay(policy: RetryPolicy): number | null {
  return policy.maxDelayMs ?? (policy.preset === "exponential" ? EXPONENTIAL_CAP_MS : null);
}

export function nextDelay(input: NextDelayInput): RetryDecision {
  const { responseStatus, random = Math.random, now = Date.now() } = input;
  // 410 Gone: the receiver says the endpoint no longer exists; no retry (the endpoint may be disabled).
  if (responseStatus === 410 && input.goneIsFinal !== false) return { retry: false };
  const scheduled = retrySchedule(input.policy)[input.attemptNumber - 1];
  if (scheduled === undefined) return { retry: false };

  const jittered = policyJitters(input.policy) ? Math.round(scheduled * (1 + JITTER * (2 * random() - 1))) : scheduled;
  const retryAfter =
    responseStatus === 429 || responseStatus === 503 ? parseRetryAfter(input.retryAfterHeader, now) : null;
  // Retry-After means "not before": it can lengthen the wait, never shorten the policy's, and is not
  // jittered. A policy's maximum is a promise to the receiver ("at most 30 s" in seed 001): neither
  // jitter nor Retry-After breaks it.
  const ceiling = policyMaxDelay(input.policy) ?? Infinity;
  return { retry: true, delayMs: Math.min(Math.max(jittered, retryAfter ?? 0), ceiling) };
}

/** Seconds or an HTTP date, clamped to the bounds above; null when absent or unreadable. */
function parseRetryAfter(header: string | null | undefined, now: number): number | null {
  const value = header?.trim();
  if (!value) return null;
  const ms = /^\d+$/.test(value) ? Number(value) * SECOND : Date.parse(value) - now;
  if (Number.isNaN(ms)) return null;
  return Math.min(Math.max(ms, RETRY_AFTER_MIN_MS), RETRY_AFTER_MAX_MS);
}

export type DisableDecision = { disable: true; reason: string } | { disable: false };

export interface DisableInput {
  responseStatus?: number;
  /** Consecutive failed deliveries, counting the one that just failed. */
  consecutiveFailures: number;
  threshold?: number;
  /** Whether a 410 Gone disables at once (default true); seed 003 pauses only on the count. */
  disableOnGone?: boolean;
}

export function shouldDisableEndpoint(input: DisableInput): DisableDecision {
  const { responseStatus, consecutiveFailures, threshold = DEFAULT_DISABLE_THRESHOLD, disableOnGone = true } = input;
  if (responseStatus === 410 && disableOnGone) {
    return { disable: true, reason: "The endpoint answered 410 Gone" };
  }
  if (consecutiveFailures >= threshold) {
    return { disable: true, reason: `${consecutiveFailures} consecutive deliveries failed` };
  }
  return { disable: false };
}
