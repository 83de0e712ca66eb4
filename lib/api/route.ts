import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { authenticateApiKey } from "@/lib/features/settings/api-keys";
import { getRequestSessionContext } from "@/lib/auth/session";
import type { ServiceContext } from "@/lib/context";
import { AppError, errors, toErrorBody } from "@/lib/errors";
import { logger, type Logger } from "@/lib/log";
import { parseWith } from "@/lib/validation";
import { env } from "@/lib/env";
import { hitBuffered, rateLimitHeaders } from "@/lib/rate-limit";

type Handler<P> = (request: NextRequest, args: { ctx: ServiceContext; params: P }) => Promise<Response | unknown>;

/** The caller of an `Authorization` header: a Bearer API key, else 401. */
export async function apiKeyContext(header: string): Promise<ServiceContext> {
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  const ctx = match ? await authenticateApiKey(match[1]!) : null;
  if (!ctx) throw errors.unauthorized("The API key is missing, malformed, unknown or revoked");
  return ctx;
}

/** Resolves the caller of an API request: a Bearer API key, else the console session. */
export async function authenticate(request: NextRequest): Promise<ServiceContext> {
  const header = request.headers.get("authorization");
  if (header) return apiKeyContext(header);
  const session = await getRequestSessionContext(request);
  if (!session) throw errors.unauthorized();
  return session;
}

class RateLimited extends AppError {
  constructor(readonly headers: Record<string, string>, retryAfter: string) {
    super("rate_limited", `Too many requests for this API key: try again in ${retryAfter} s`, 429);
  }
}

/** Per API key, per minute (HOOKLINE_API_RATE_LIMIT), held in PostgreSQL so it holds across instances (counted in memory between syncs: see `hitBuffered`). */
export async function limitApiKey(ctx: ServiceContext): Promise<Record<string, string> | undefined> {
  const limit = env().HOOKLINE_API_RATE_LIMIT;
  if (ctx.actor.type !== "apiKey" || limit === 0) return undefined;
  const verdict = await hitBuffered(`api:${ctx.actor.id}`, { limit, windowMs: 60_000 });
  const headers = rateLimitHeaders(verdict);
  if (!verdict.allowed) throw new RateLimited(headers, headers["Retry-After"]!);
  return headers;
}

/**
 * An error as the API answers it: status, `{ error: { code, message } }` body, and headers
 * (Retry-After; the rate-limit headers of the request, a refusal's own when it was the limit).
 */
export function errorReply(error: unknown, log: Logger = logger(), limitHeaders?: Record<string, string>) {
  const { status, body, retryAfterSeconds } = toErrorBody(error, (err) => log.error({ err }, "unexpected error"));
  const headers: Record<string, string> = { ...(error instanceof RateLimited ? error.headers : limitHeaders) };
  if (retryAfterSeconds !== undefined) headers["retry-after"] = String(retryAfterSeconds);
  return { status, body, headers };
}

export function errorResponse(error: unknown, log: Logger = logger(), limitHeaders?: Record<string, string>) {
  const { status, body, headers } = errorReply(error, log, limitHeaders);
  return NextResponse.json(body, { status, headers });
}

/** The caller's `x-request-id` when it looks like one (a proxy's), else a new one; echoed on the response. */
export function requestId(given: string | null | undefined): string {
  return given && /^[\w.:-]{1,100}$/.test(given) ? given : crypto.randomUUID();
}

/** One access line per API call (no query string: it can carry account names). */
export function logApiRequest(log: Logger, fields: { method: string; path: string; status: number; ms: number }) {
  if (fields.status >= 500) log.error(fields, "api request failed");
  else log.info(fields, "api request");
}

/**
 * Every /api/v1 route goes through here: authenticate, run one service verb,
 * map expected errors to the `{ error: { code, message, details? } }` body
 * (lib/errors.ts). Plain values become 200 JSON.
 */
export function apiRoute<P = Record<string, string>>(handler: Handler<P>) {
  return async (request: NextRequest, context: { params: Promise<P> }) => {
    const started = performance.now();
    const reqId = requestId(request.headers.get("x-request-id"));
    const log = logger().child({ reqId });
    let response: Response;
    let limitHeaders: Record<string, string> | undefined;
    try {
      const ctx = await authenticate(request);
      limitHeaders = await limitApiKey(ctx);
      const result = await handler(request, { ctx, params: await context.params });
      response = result instanceof Response ? result : NextResponse.json(result);
      for (const [name, value] of Object.entries(limitHeaders ?? {})) response.headers.set(name, value);
    } catch (error) {
      response = errorResponse(error, log, limitHeaders);
    }
    response.headers.set("x-request-id", reqId);
    logApiRequest(log, { method: request.method, path: request.nextUrl.pathname, status: response.status, ms: Math.round(performance.now() - started) });
    return response;
  };
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type RouteHandler = (request: NextRequest) => Response;

/** An answer given before authentication (no such path or method), logged like every other API answer. */
function refusal(request: NextRequest, error: AppError, headers: Record<string, string> = {}): Response {
  const reqId = requestId(request.headers.get("x-request-id"));
  logApiRequest(logger().child({ reqId }), { method: request.method, path: request.nextUrl.pathname, status: error.status, ms: 0 });
  return NextResponse.json(toErrorBody(error, () => undefined).body, { status: error.status, headers: { ...headers, "x-request-id": reqId } });
}

/**
 * The methods a route does not serve, answered in the API's error shape: 405 `method_not_allowed`
 * with `Allow` (Next's own 405 has neither a body nor `Allow`), and OPTIONS with the right `Allow`
 * (Next's would count these handlers as served). A route exports the ones it lacks:
 * `export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");`
 */
export function otherMethods(...served: Method[]): Record<Method | "OPTIONS", RouteHandler> {
  const allow = [...served, ...(served.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
  const refuse: RouteHandler = (request) =>
    refusal(request, new AppError("method_not_allowed", `${request.method} is not served here; this path takes ${served.join(", ")}`, 405), { allow });
  return { GET: refuse, POST: refuse, PUT: refuse, PATCH: refuse, DELETE: refuse, OPTIONS: () => new Response(null, { status: 204, headers: { allow } }) };
}

/** Any method on a path the API does not have: 404 `not_found` in the API's error shape (app/api/v1/[[...path]]). */
export const unknownPath: RouteHandler = (request) =>
  refusal(request, new AppError("not_found", `The API has no ${request.nextUrl.pathname} (its paths: /api/v1/openapi.json)`, 404));

/**
 * Reads a JSON body (any shape; the service verb validates it), refusing oversize and invalid JSON.
 * The size is enforced while streaming, so a chunked body (no Content-Length) or one that lies
 * about its length is cut off at the limit instead of being buffered whole.
 */
async function readJson(request: Request, maxBytes = 1024 * 1024): Promise<{ text: string; json: unknown }> {
  const tooLarge = () => bodyTooLarge(maxBytes);
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > maxBytes) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  return parseJsonBody(chunks);
}

/** Strict: a payload is stored and sent byte for byte, which bytes that are not UTF-8 cannot be. */
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * A body's bytes as JSON text and value: decoded as Request.text() does (BOM dropped), except that
 * bytes that are not UTF-8 (which JSON must be, RFC 8259) are refused rather than replaced; empty
 * is `{}`.
 */
export function parseJsonBody(chunks: Uint8Array[]): { text: string; json: unknown } {
  let text: string;
  try {
    text = utf8.decode(Buffer.concat(chunks));
  } catch {
    throw errors.badRequest("The body is not valid UTF-8");
  }
  if (text.trim() === "") return { text: "{}", json: {} };
  try {
    return { text, json: JSON.parse(text) };
  } catch {
    throw errors.badRequest("The body is not valid JSON");
  }
}

export const bodyTooLarge = (maxBytes: number) => errors.tooLarge(`The body is over ${Math.round(maxBytes / 1024)} KiB`);

/** The parsed JSON body; `parseBody.raw` also returns its exact text (publish keeps payload bytes as sent). */
export const parseBody = Object.assign(
  // Typed loosely on purpose: each service verb parses its input with its own zod schema.
  async (request: Request, maxBytes?: number): Promise<never> => (await readJson(request, maxBytes)).json as never,
  { raw: readJson },
);

export function searchParams(request: NextRequest): Record<string, string> {
  return Object.fromEntries(request.nextUrl.searchParams.entries());
}

export { AppError, parseWith };
