const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const TIME_STRING = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h|d|w))+$/;
const PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d|w)/g;

/** Milliseconds of an Inngest time string ("5s", "1m30s", "2h", "1w2d"), or undefined. */
export function parseTimeString(value: string): number | undefined {
  if (!TIME_STRING.test(value)) return undefined;
  let total = 0;
  for (const [, amount, unit] of value.matchAll(PART)) total += Number(amount) * UNIT_MS[unit];
  return total;
}

/**
 * When a `Sleep` op should wake: `step.sleep` sends a time string,
 * `step.sleepUntil` an ISO date.
 */
export function sleepUntil(value: string, now = Date.now()): Date | undefined {
  const duration = parseTimeString(value);
  if (duration !== undefined) return new Date(now + duration);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : new Date(at);
}

/** `retry-after` as sent by the SDK: seconds, an HTTP date or an ISO date. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
