/**
 * The one error type for expected failures: a stable code, a message safe to
 * show to the caller, and the HTTP status it maps to. Anything else is a bug:
 * logged with detail, shown generically.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: unknown,
    /** Seconds a client should wait before retrying (sent as `Retry-After` with 429/503). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const errors = {
  badRequest: (message: string, details?: unknown) => new AppError("bad_request", message, 400, details),
  validation: (details: unknown, message = "The request is not valid") => new AppError("validation_failed", message, 400, details),
  unauthorized: (message = "Sign in or send a valid API key as `Authorization: Bearer hk_…`") =>
    new AppError("unauthorized", message, 401),
  forbidden: (message = "Your role does not allow this") => new AppError("forbidden", message, 403),
  notFound: (what: string) => new AppError("not_found", `${what} not found`, 404),
  conflict: (message: string, details?: unknown) => new AppError("conflict", message, 409, details),
  tooLarge: (message: string) => new AppError("payload_too_large", message, 413),
  rateLimited: (message = "Too many requests") => new AppError("rate_limited", message, 429),
  /** Hookline is behind on deliveries (admission control); the caller should slow down and retry. */
  backlogFull: (message: string, retryAfterSeconds: number, details?: unknown) =>
    new AppError("delivery_backlog_full", message, 429, details, retryAfterSeconds),
  /** A dependency cannot serve now (database down or out of connections); retrying later works. */
  unavailable: (code: "database_busy" | "database_unavailable" | "server_busy" | "engine_resyncing", message: string, retryAfterSeconds: number) =>
    new AppError(code, message, 503, undefined, retryAfterSeconds),
};

// SQLSTATE classes that mean "the database cannot serve this now", not "this request is wrong":
// 08 connection exception, 53 insufficient resources (too many connections, out of memory or disk),
// 57 operator intervention (shutdown, cannot connect now; 57014 = statement timeout), and the
// retryable 40001 serialization failure / 40P01 deadlock.
const UNAVAILABLE_SQLSTATE = /^(08|53|57|40001$|40P01$)/;
const UNAVAILABLE_ERRNO = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "EPIPE", "EHOSTUNREACH", "ENETUNREACH"]);

/**
 * A database failure that a retry can fix, as a 503 with Retry-After (never a 500):
 * `database_busy` when the pool had no free connection in time or the server is overloaded,
 * `database_unavailable` when it cannot be reached. Walks `cause` chains, so the errors Prisma's
 * adapter wraps are recognised too. Null for anything else.
 */
export function asUnavailable(error: unknown): AppError | null {
  for (let current = error, depth = 0; current && typeof current === "object" && depth < 6; depth++) {
    const { code, message, cause, kind, meta } = current as { code?: unknown; message?: unknown; cause?: unknown; kind?: unknown; meta?: { driverAdapterError?: unknown } };
    const text = typeof message === "string" ? message : "";
    if (code === "53300" || kind === "TooManyConnections" || /timeout exceeded when trying to connect|too many clients|too many (database )?connections|remaining connection slots/i.test(text)) {
      return errors.unavailable("database_busy", "The database has no free connection right now; retry shortly", 1);
    }
    if (code === "57014" || text === "Query read timeout") return errors.unavailable("database_busy", "The database is overloaded; retry shortly", 2);
    // Prisma's adapter errors name the driver's failure as `kind`, under meta.driverAdapterError.
    const codeSaysDown =
      (typeof code === "string" && (UNAVAILABLE_ERRNO.has(code) || UNAVAILABLE_SQLSTATE.test(code))) ||
      kind === "DatabaseNotReachable" || kind === "ConnectionClosed" || kind === "SocketTimeout";
    if (codeSaysDown || /Connection terminated|ECONNREFUSED|the database system is (starting up|shutting down)|Can't reach database/i.test(text)) {
      return errors.unavailable("database_unavailable", "The database is unavailable; retry shortly", 5);
    }
    current = cause ?? meta?.driverAdapterError;
  }
  return null;
}

export type ErrorBody = { error: { code: string; message: string; details?: unknown } };

/**
 * Maps any thrown value to the API error body; unexpected errors go to `report`
 * (the caller's logger: this module stays free of server-only imports) and are hidden.
 * A database that cannot serve is expected under load or in an outage: 503, not 500.
 */
export function toErrorBody(error: unknown, report: (error: unknown) => void): { status: number; body: ErrorBody; retryAfterSeconds?: number } {
  if (!(error instanceof AppError)) error = asUnavailable(error) ?? error;
  if (error instanceof AppError) {
    const body: ErrorBody = { error: { code: error.code, message: error.message } };
    if (error.details !== undefined) body.error.details = error.details;
    return { status: error.status, body, retryAfterSeconds: error.retryAfterSeconds };
  }
  report(error);
  return { status: 500, body: { error: { code: "internal_error", message: "Something went wrong on our side" } } };
}
