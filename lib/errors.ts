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
};

export type ErrorBody = { error: { code: string; message: string; details?: unknown } };

/**
 * Maps any thrown value to the API error body; unexpected errors go to `report`
 * (the caller's logger: this module stays free of server-only imports) and are hidden.
 */
export function toErrorBody(error: unknown, report: (error: unknown) => void): { status: number; body: ErrorBody } {
  if (error instanceof AppError) {
    const body: ErrorBody = { error: { code: error.code, message: error.message } };
    if (error.details !== undefined) body.error.details = error.details;
    return { status: error.status, body };
  }
  report(error);
  return { status: 500, body: { error: { code: "internal_error", message: "Something went wrong on our side" } } };
}
