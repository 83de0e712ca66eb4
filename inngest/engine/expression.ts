/**
 * Inngest key expressions are CEL. The engine evaluates only the form our
 * functions need — a plain property path into the event, such as
 * `event.data.endpointId` — and registration refuses everything else, so an
 * expression can never silently evaluate differently from Inngest.
 */
const PATH = /^event\.(?:(?:data|user)(?:\.[A-Za-z_$][\w$]*)+|id|name)$/;

export function isSupportedKeyExpression(expression: string): boolean {
  return PATH.test(expression.trim());
}

/** The key's value as a string, like Inngest hashes it: missing values become "null". */
export function evaluateKey(expression: string, event: Record<string, unknown>): string {
  let value: unknown = { event };
  for (const part of expression.trim().split(".")) {
    value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[part] : undefined;
  }
  return typeof value === "string" ? value : JSON.stringify(value ?? null);
}
