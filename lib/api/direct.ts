import "server-only";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import { context, propagation, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import https from "node:https";
import { apiKeyContext, bodyTooLarge, errorReply, limitApiKey, logApiRequest, parseJsonBody, requestId } from "@/lib/api/route";
import { publishBatchRequest, publishRequest, type BodyReader, type Reply, type RequestKey } from "@/lib/features/messages/publish-requests";
import type { ServiceContext } from "@/lib/context";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { tracer } from "@/lib/tracing";

/**
 * The direct publish path. Publishing is the one API call an app makes hundreds of times a second,
 * and Next's router, request objects and response streams cost about 3 ms of CPU per call, more
 * than the publish itself. So `POST /api/v1/messages` and `/api/v1/messages/batch` with an API key
 * are answered here, in the same Next.js process, before Next sees the request: the same core
 * (lib/features/messages/publish-requests.ts), the same authentication, rate limit, error bodies,
 * request id and access line as the route (lib/api/route.ts), on Node's own request and response.
 * Anything else, including a publish with a session cookie, goes on to Next unchanged.
 * Installed by instrumentation-node.ts; HOOKLINE_DIRECT_PUBLISH=0 turns it off.
 */
const ROUTES: Record<string, (ctx: ServiceContext, readBody: BodyReader, idempotencyKey: RequestKey) => Promise<Reply>> = {
  "/api/v1/messages": publishRequest,
  "/api/v1/messages/batch": publishBatchRequest,
};

const globalForDirect = globalThis as unknown as { hooklineDirect?: typeof direct };

/**
 * Answers requests of the direct path on every HTTP(S) server of this process (Next's) but those
 * marked `hooklineInternal` (the metrics listener, lib/metrics-server.ts). Installed once; each
 * later load of this module (`next dev` recompiling it) only swaps in its own `direct`.
 */
export function installDirectPublish() {
  const installed = globalForDirect.hooklineDirect !== undefined;
  globalForDirect.hooklineDirect = direct;
  if (installed) return;
  for (const Server of [http.Server, https.Server]) {
    const emit = Server.prototype.emit;
    Server.prototype.emit = function (this: http.Server & { hooklineInternal?: boolean }, event: string | symbol, ...args: unknown[]) {
      if (event === "request" && !this.hooklineInternal && globalForDirect.hooklineDirect!(args[0] as IncomingMessage, args[1] as ServerResponse)) return true;
      return emit.apply(this, [event, ...args] as never);
    } as typeof emit;
  }
}

/** True when the request is the direct path's (and is being answered); false: Next's. */
export function direct(request: IncomingMessage, response: ServerResponse): boolean {
  if (request.method !== "POST" || !request.headers.authorization) return false;
  const url = request.url ?? "";
  const query = url.indexOf("?");
  const path = query < 0 ? url : url.slice(0, query);
  const route = Object.hasOwn(ROUTES, path) ? ROUTES[path] : undefined;
  if (!route) return false;
  answer(request, response, path, route).catch((error) => {
    // Only a bug gets here (answer maps every expected failure to a reply): never leave the client
    // waiting. errorReply logs it and gives the API's 500 body.
    const { status, body } = errorReply(error);
    if (!response.headersSent) response.writeHead(status, { "content-type": "application/json", connection: "close" }).end(JSON.stringify(body));
    else response.destroy();
  });
  return true;
}

async function answer(request: IncomingMessage, response: ServerResponse, path: string, route: (typeof ROUTES)[string]) {
  const started = performance.now();
  const reqId = requestId(header(request, "x-request-id"));
  const log = logger().child({ reqId });
  // The request's span, as Next makes one for a route: a child of the caller's trace context;
  // an error only when the answer is a 5xx (a 4xx is the caller's).
  const span = tracer().startSpan(`POST ${path}`, { kind: SpanKind.SERVER, attributes: { "http.request.method": "POST", "url.path": path } }, propagation.extract(context.active(), request.headers));
  let reply: Reply & { headers: Record<string, string> };
  let limitHeaders: Record<string, string> | undefined;
  try {
    reply = await context.with(trace.setSpan(context.active(), span), async () => {
      const ctx = await apiKeyContext(request.headers.authorization!);
      limitHeaders = await limitApiKey(ctx);
      return { ...(await route(ctx, (maxBytes) => readBody(request, maxBytes), header(request, "idempotency-key"))), headers: limitHeaders ?? {} };
    });
  } catch (error) {
    reply = errorReply(error, log, limitHeaders);
    if (reply.status >= 500) span.recordException(error as Error);
  }
  span.setAttribute("http.response.status_code", reply.status);
  if (reply.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
  const body = JSON.stringify(reply.body);
  if (!request.complete) reply.headers.connection = "close"; // a refused body is not read to its end
  if (!response.headersSent && !response.destroyed) {
    response.writeHead(reply.status, { ...reply.headers, "content-type": "application/json", "content-length": Buffer.byteLength(body), "x-request-id": reqId });
    response.end(body);
  }
  logApiRequest(log, { method: "POST", path, status: reply.status, ms: Math.round(performance.now() - started) });
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The client hung up before its body arrived: nothing to answer, logged as the client's doing. */
const clientGone = () => new AppError("client_closed_request", "The client closed the connection before its body arrived", 400);

/**
 * The body, with the route's limits: a declared or streamed size over `maxBytes` stops reading
 * (413). A client that hung up (before or while the body came) ends it with `clientGone`.
 */
export function readBody(request: IncomingMessage, maxBytes: number): ReturnType<BodyReader> {
  if (Number(request.headers["content-length"] ?? 0) > maxBytes) return Promise.reject(bodyTooLarge(maxBytes));
  if (request.readableAborted || (request.destroyed && !request.complete)) return Promise.reject(clientGone());
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const detach = () => request.off("data", onData).off("end", onEnd).off("error", onGone).off("close", onClose);
    const stop = (error: Error) => {
      detach();
      request.resume(); // drained, not kept: the answer closes the connection
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > maxBytes) stop(bodyTooLarge(maxBytes));
      else chunks.push(chunk);
    };
    const onEnd = () => {
      detach();
      try {
        resolve(parseJsonBody(chunks));
      } catch (error) {
        reject(error);
      }
    };
    const onGone = () => stop(clientGone());
    const onClose = () => !request.complete && onGone();
    request.on("data", onData).on("end", onEnd).on("error", onGone).on("close", onClose);
  });
}
