import "server-only";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import { apiKeyContext, bodyTooLarge, errorReply, limitApiKey, logApiRequest, parseJsonBody, requestId } from "@/lib/api/route";
import { publishBatchRequest, publishRequest, type BodyReader, type Reply } from "@/lib/features/messages/publish-requests";
import type { ServiceContext } from "@/lib/context";
import { logger } from "@/lib/log";
import { inSpan } from "@/lib/tracing";

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
const ROUTES: Record<string, (ctx: ServiceContext, readBody: BodyReader) => Promise<Reply>> = {
  "/api/v1/messages": publishRequest,
  "/api/v1/messages/batch": publishBatchRequest,
};

const globalForDirect = globalThis as unknown as { hooklineDirectInstalled?: boolean };

/**
 * Answers requests of the direct path on every HTTP(S) server of this process (Next's) but those
 * marked `hooklineInternal` (the metrics listener, lib/metrics-server.ts).
 */
export function installDirectPublish() {
  if (globalForDirect.hooklineDirectInstalled) return;
  globalForDirect.hooklineDirectInstalled = true;
  for (const Server of [http.Server, https.Server]) {
    const emit = Server.prototype.emit;
    Server.prototype.emit = function (this: http.Server & { hooklineInternal?: boolean }, event: string | symbol, ...args: unknown[]) {
      if (event === "request" && !this.hooklineInternal && direct(args[0] as IncomingMessage, args[1] as ServerResponse)) return true;
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
  const route = ROUTES[path];
  if (!route) return false;
  void answer(request, response, path, route);
  return true;
}

async function answer(request: IncomingMessage, response: ServerResponse, path: string, route: (typeof ROUTES)[string]) {
  const started = performance.now();
  const reqId = requestId(header(request, "x-request-id"));
  const log = logger().child({ reqId });
  let reply: Reply & { headers: Record<string, string> };
  let limitHeaders: Record<string, string> | undefined;
  try {
    reply = await inSpan(
      `POST ${path}`,
      { "http.request.method": "POST", "url.path": path },
      async (span) => {
        const ctx = await apiKeyContext(request.headers.authorization!);
        limitHeaders = await limitApiKey(ctx);
        const result = await route(ctx, (maxBytes) => readBody(request, maxBytes));
        span.setAttribute("http.response.status_code", result.status);
        return { ...result, headers: limitHeaders ?? {} };
      },
      header(request, "traceparent"),
    );
  } catch (error) {
    reply = errorReply(error, log, limitHeaders);
  }
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

/** The body, with the route's limits: a declared or streamed size over `maxBytes` stops reading (413). */
function readBody(request: IncomingMessage, maxBytes: number): ReturnType<BodyReader> {
  if (Number(request.headers["content-length"] ?? 0) > maxBytes) return Promise.reject(bodyTooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const stop = (error: Error) => {
      request.off("data", onData).off("end", onEnd).off("error", onError);
      request.resume(); // drained, not kept: the answer closes the connection
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > maxBytes) stop(bodyTooLarge(maxBytes));
      else chunks.push(chunk);
    };
    const onEnd = () => {
      try {
        resolve(parseJsonBody(chunks));
      } catch (error) {
        reject(error);
      }
    };
    const onError = (error: Error) => stop(error);
    request.on("data", onData).on("end", onEnd).on("error", onError);
  });
}
