import { Agent, type Dispatcher } from "undici";
import { assertUrlAllowed, guardedLookup, UrlNotAllowedError } from "@/lib/delivery/ssrf";

/** What an Attempt stores of the response body. */
export const RESPONSE_BODY_LIMIT = 64 * 1024;
/**
 * Past the stored 64 KiB the body is still read (and dropped) so the connection finishes cleanly
 * and can be reused; past 1 MiB the receiver is misbehaving and the connection is cut. The attempt
 * then fails as RESPONSE_TOO_LARGE even after a 2xx status line: the exchange never completed.
 */
export const RESPONSE_READ_LIMIT = 1024 * 1024;

export type SendErrorCode =
  | "TIMEOUT"
  | "CONNECTION"
  | "DNS"
  | "TLS"
  | "BLOCKED_ADDRESS"
  | "INVALID_URL"
  | "REDIRECT"
  | "RESPONSE_TOO_LARGE"
  | "HTTP_ERROR";

export interface SendWebhookInput {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Covers everything: DNS, connect, TLS, waiting and reading the response. */
  timeoutMs: number;
  allowPrivate: boolean;
  requireHttps?: boolean;
}

/** `ok` is true exactly when `errorCode` is absent. */
export interface SendWebhookResult {
  ok: boolean;
  status?: number;
  /** Lowercased names; repeated headers joined with ", ". */
  headers?: Record<string, string>;
  body?: string;
  bodyTruncated: boolean;
  durationMs: number;
  errorCode?: SendErrorCode;
  /** Built from error codes and the remote's answer only, never from request headers or the body. */
  errorMessage?: string;
}

type Failure = { code: SendErrorCode; message: string };

// undici's dispatcher, not node:http: the same POST costs about half the CPU (30-47 against 57-78 µs
// per request on the bench machine, docs/performance.md), and the sender is most of a delivery
// worker's time. Keep-alive with idle sockets dropped after 5 s; undici's own header and body
// timeouts are off: the endpoint's timeout covers everything (the timer below). Redirects are not
// followed (a dispatcher never does). One difference from node:http: undici refuses a `100
// Continue` nobody asked for (Hookline never sends `Expect`), so such a receiver's attempts fail as
// CONNECTION ("bad response"); other 1xx answers are skipped.
const agentOptions = { keepAliveTimeout: 5000, keepAliveMaxTimeout: 5000, headersTimeout: 0, bodyTimeout: 0 } as const;

/**
 * One pool per guard mode (a socket opened for a private address is never reused by a request that
 * must not reach one) and per request timeout: undici's connect timeout is the pool's, and a
 * request still connecting (DNS, TCP, TLS) when the endpoint's timeout ends cannot be aborted, so
 * its socket must give up by then too, or a stalling endpoint would gather sockets. Endpoints use
 * few distinct timeouts (whole ms from 1,000 to 30,000).
 */
const agents = new Map<string, Agent>();
function agentFor(allowPrivate: boolean, timeoutMs: number): Agent {
  const key = `${allowPrivate ? "open" : "guarded"}:${timeoutMs}`;
  let agent = agents.get(key);
  if (!agent) {
    agent = new Agent({ ...agentOptions, connect: { timeout: timeoutMs, ...(allowPrivate ? {} : { lookup: guardedLookup }) } });
    agents.set(key, agent);
  }
  return agent;
}

/** Never rejects: every network fault becomes a result with an error code. Redirects are not followed. */
export function sendWebhook(input: SendWebhookInput): Promise<SendWebhookResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);

  let url: URL;
  try {
    url = assertUrlAllowed(input.url, { allowPrivate: input.allowPrivate, requireHttps: input.requireHttps });
  } catch (error) {
    const { code, message } = error as UrlNotAllowedError; // the only thing assertUrlAllowed throws
    return Promise.resolve(notSent(code, message, elapsed()));
  }

  return new Promise((resolve) => {
    let status: number | undefined;
    let headers: Record<string, string> | undefined;
    const kept: Buffer[] = [];
    let keptBytes = 0;
    let receivedBytes = 0;
    let settled = false;
    // The request's handle once it is on a socket; a timeout before that aborts it when it gets there.
    let controller: Dispatcher.DispatchController | undefined;

    const finish = (failure?: Failure) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const outcome = failure ?? statusFailure(status ?? 0, headers?.location);
      resolve({
        ok: !outcome,
        status,
        headers,
        body: status === undefined ? undefined : utf8Prefix(Buffer.concat(kept)),
        bodyTruncated: receivedBytes > keptBytes,
        durationMs: elapsed(),
        ...(outcome && { errorCode: outcome.code, errorMessage: outcome.message }),
      });
    };
    const stop = (failure: Failure) => {
      finish(failure);
      controller?.abort(new Error(failure.message));
    };

    const timer = setTimeout(() => stop({ code: "TIMEOUT", message: `No complete response within ${input.timeoutMs} ms` }), input.timeoutMs);

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart: (started) => {
        controller = started;
        if (settled) started.abort(new Error("The attempt is over"));
      },
      onResponseStart: (_controller, statusCode, responseHeaders) => {
        // 1xx informational answers (102, 103) come first; the final one decides.
        if (statusCode < 200) return;
        status = statusCode;
        headers = {};
        for (const [name, value] of Object.entries(responseHeaders)) {
          headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : (value ?? "");
        }
      },
      onResponseData: (_controller, chunk) => {
        receivedBytes += chunk.length;
        if (keptBytes < RESPONSE_BODY_LIMIT) {
          const part = chunk.subarray(0, RESPONSE_BODY_LIMIT - keptBytes);
          kept.push(part);
          keptBytes += part.length;
        }
        if (receivedBytes > RESPONSE_READ_LIMIT) {
          stop({ code: "RESPONSE_TOO_LARGE", message: `The response exceeded ${RESPONSE_READ_LIMIT} bytes; reading stopped` });
        }
      },
      onResponseEnd: () => finish(),
      onResponseError: (_controller, error) => finish(networkFailure(error as NodeJS.ErrnoException)),
    };
    // Invalid headers come back through onResponseError, at once (UND_ERR_INVALID_ARG).
    agentFor(input.allowPrivate, input.timeoutMs).dispatch(
      { origin: url.origin, path: `${url.pathname}${url.search}`, method: "POST", headers: input.headers, body: input.body },
      handler,
    );
  });
}

function notSent(code: SendErrorCode, message: string, durationMs: number): SendWebhookResult {
  return { ok: false, bodyTruncated: false, durationMs, errorCode: code, errorMessage: message };
}

function statusFailure(status: number, location: string | undefined): Failure | undefined {
  if (status >= 200 && status < 300) return undefined;
  if (status >= 300 && status < 400) {
    const target = location ? ` to ${location.slice(0, 500)}` : "";
    return { code: "REDIRECT", message: `HTTP ${status} redirect${target} was not followed` };
  }
  return { code: "HTTP_ERROR", message: `HTTP ${status}` };
}

const DNS_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "ENODATA", "ESERVFAIL"]);
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|EPROTO$)/;

/** A request that could not be built (an invalid header name or value). */
function buildFailure(error: NodeJS.ErrnoException): Failure {
  return { code: "CONNECTION", message: `The request could not be built (${error.code ?? "unknown error"})` };
}

// Node's and undici's network error messages name the code, host and port only, so they are safe
// to show ("connect ECONNREFUSED 127.0.0.1:9", "other side closed").
function networkFailure(error: NodeJS.ErrnoException): Failure {
  const code = error.code ?? "";
  if (error instanceof UrlNotAllowedError) return { code: error.code, message: error.message };
  if (code === "UND_ERR_INVALID_ARG") return buildFailure(error);
  if (code === "UND_ERR_CONNECT_TIMEOUT") return { code: "TIMEOUT", message: "No connection within the endpoint's timeout" };
  if (DNS_CODES.has(code)) return { code: "DNS", message: `DNS lookup failed: ${error.message}` };
  if (TLS_CODE.test(code)) {
    // OpenSSL failures read "write EPROTO 80DC…:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:…".
    const reason = /:error:[0-9A-F]+:[^:]*:[^:]*:([^:]+):/.exec(error.message)?.[1] ?? error.message;
    // Certificates are always verified (self-signed ones are refused); say so plainly.
    const hint = /CERT|SELF_SIGNED|UNABLE_TO_|DEPTH_ZERO|ERR_TLS_CERT/.test(code) ? " (a valid certificate is required)" : "";
    return { code: "TLS", message: `TLS error: ${reason}${hint}` };
  }
  return { code: "CONNECTION", message: `Connection failed: ${error.message}` };
}

/** Decodes without a torn character at the end: the 64 KiB cut may land inside a multi-byte one. */
function utf8Prefix(bytes: Buffer): string {
  let end = bytes.length;
  let back = 0;
  // Step back over continuation bytes (10xxxxxx) to the start of the last character.
  while (back < 3 && end - back - 1 >= 0 && (bytes[end - back - 1]! & 0xc0) === 0x80) back++;
  const lead = bytes[end - back - 1];
  if (lead !== undefined && lead >= 0xc0) {
    const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
    if (back + 1 < length) end -= back + 1; // incomplete: drop it
  }
  return bytes.subarray(0, end).toString("utf8");
}
