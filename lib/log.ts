/**
 * Structured logs (pino): JSON lines on stdout in production, readable lines in
 * `npm run dev` (HOOKLINE_LOG_FORMAT=pretty). Every argument passes through
 * `scrub` first, so no secret reaches a log line whatever a caller passes in:
 * signing secrets (whsec_…), API keys (hk_…), bearer tokens, database passwords,
 * values of credential-looking fields, and every value under a `headers` object
 * (custom header values are secrets).
 */
import pino, { type Logger } from "pino";
import pretty from "pino-pretty";
import { env } from "@/lib/env";

export type { Logger };

export const REDACTED = "[redacted]";

const SECRET_TEXT: Array<[RegExp, string]> = [
  [/whsec_[A-Za-z0-9+/=_-]+/g, `whsec_${REDACTED}`],
  [/\bhk_[A-Za-z0-9_-]{6,}/g, `hk_${REDACTED}`],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/\s@]+:)[^@\s/]+@/gi, `$1${REDACTED}@`],
];
// Field names whose values are credentials (idempotencyKey and the like are not).
const SECRET_FIELD = /^(authorization|proxy-authorization|cookie|set-cookie|password|passphrase|secret|.*secret|.*secrets|.*password|.*token|api[-_]?key|apikey|x-api-key|.*Enc|encryptionKey|plaintext)$/i;
const HEADER_MAP = /^(headers|customHeaders)$/;

export function scrubText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_TEXT) out = out.replace(pattern, replacement);
  return out;
}

/** A copy of `value` safe to log (bounded depth; Errors become {type, message, stack, code}). */
export function scrub(value: unknown, depth = 0, inHeaders = false): unknown {
  if (typeof value === "string") return inHeaders ? REDACTED : scrubText(value);
  if (value === null || typeof value !== "object") return value;
  if (depth > 8) return "[deep]";
  if (value instanceof Error) {
    const error = value as Error & { code?: unknown; cause?: unknown };
    return {
      type: error.name,
      message: scrubText(error.message),
      ...(error.stack ? { stack: scrubText(error.stack) } : {}),
      ...(error.code !== undefined ? { code: error.code } : {}),
      ...(error.cause !== undefined ? { cause: scrub(error.cause, depth + 1) } : {}),
    };
  }
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1, inHeaders));
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_FIELD.test(key) && item != null ? REDACTED : scrub(item, depth + 1, inHeaders || HEADER_MAP.test(key));
  }
  return out;
}

type Options = { level?: string; format?: "json" | "pretty"; destination?: pino.DestinationStream };

export function createLogger({ level = "info", format = "json", destination }: Options = {}): Logger {
  const stream = destination ?? (format === "pretty" ? pretty({ sync: true, colorize: true, ignore: "pid,hostname,service", translateTime: "HH:MM:ss.l" }) : pino.destination({ dest: 1, sync: true }));
  return pino(
    {
      level,
      base: { service: "hookline" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        logMethod(args, method) {
          return method.apply(this, args.map((arg) => scrub(arg)) as Parameters<typeof method>);
        },
      },
    },
    stream,
  );
}

let root: Logger | undefined;

/** The process's logger: level from LOG_LEVEL, format from HOOKLINE_LOG_FORMAT (`npm run dev` picks pretty). */
export function logger(): Logger {
  root ??= createLogger({ level: env().LOG_LEVEL, format: env().HOOKLINE_LOG_FORMAT });
  return root;
}

/** Tests capture what would be logged. */
export function setLogger(next: Logger | undefined) {
  root = next;
}
