/**
 * The executor's side of the Inngest SDK call protocol (docs/SDK_SPEC.md in
 * inngest/inngest, and node_modules/inngest/components/InngestCommHandler.js):
 * the body of a call request, and what a reply means.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import https from "node:https";
import ipaddr from "ipaddr.js";
import { parseRetryAfter } from "./duration";

export type StepResult = { type: "data"; data: unknown } | { type: "error"; error: unknown };
export type Memo = { hashedId: string; result: StepResult };

export type CallRequest = {
  /** the function's registered URL; its `stepId` parameter is replaced */
  url: string;
  /** "step" to discover / run the next step, or the hashed id of a planned step */
  stepId: string;
  runId: string;
  event: Record<string, unknown>;
  /** a batch run's events (the first is `event`) */
  events?: Record<string, unknown>[];
  /** in the order the steps completed: that order is ctx.stack */
  memos: Memo[];
  attempt: number;
  maxAttempts: number;
  disableImmediateExecution: boolean;
};

/** One element of a 206 reply. */
export type Op = {
  id: string;
  op: string;
  name?: string;
  displayName?: string;
  opts?: Record<string, unknown>;
  data?: unknown;
  error?: unknown;
};

export type SerializedError = { name: string; message: string; stack?: string };

export type CallOutcome =
  | { kind: "complete"; output: unknown }
  | { kind: "ops"; ops: Op[]; retryAfterMs?: number }
  | { kind: "error"; retriable: boolean; retryAfterMs?: number; error: SerializedError };

function callBody(request: CallRequest) {
  return {
    event: request.event,
    events: request.events ?? [request.event],
    steps: Object.fromEntries(request.memos.map((memo) => [memo.hashedId, memo.result])),
    version: 2,
    ctx: {
      run_id: request.runId,
      attempt: request.attempt,
      max_attempts: request.maxAttempts,
      disable_immediate_execution: request.disableImmediateExecution,
      // Everything travels in the body; /v0/runs/:id/{batch,actions} are never needed.
      use_api: false,
      stack: { stack: request.memos.map((memo) => memo.hashedId), current: request.memos.length },
    },
  };
}

/** Reads a reply of the serve handler. */
function parseReply(status: number, header: (name: string) => string | undefined, text: string): CallOutcome {
  const retryAfterMs = parseRetryAfter(header("retry-after"));
  const body = parseJson(text);
  if (status === 200) return { kind: "complete", output: body ?? null };
  if (status === 206) {
    // A forced RunComplete arrives as a single object rather than an array.
    const ops = (Array.isArray(body) ? body : [body]).filter(isOp);
    if (!ops.length) return { kind: "error", retriable: true, error: { name: "ProtocolError", message: `206 reply without ops: ${text.slice(0, 200)}` } };
    return { kind: "ops", ops, ...(retryAfterMs !== undefined && { retryAfterMs }) };
  }
  // The SDK marks NonRetriableError and exhausted attempts with 400 + x-inngest-no-retry: true.
  const retriable = header("x-inngest-no-retry") !== "true" && status !== 400;
  return { kind: "error", retriable, ...(retryAfterMs !== undefined && { retryAfterMs }), error: toError(body, `HTTP ${status}${text ? `: ${text.slice(0, 500)}` : ""}`) };
}

function toError(value: unknown, fallback: string): SerializedError {
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const message = typeof record.message === "string" ? record.message : typeof record.error === "string" ? record.error : fallback;
    return { name: typeof record.name === "string" ? record.name : "Error", message, ...(typeof record.stack === "string" && { stack: record.stack }) };
  }
  return { name: "Error", message: fallback };
}

function isOp(value: unknown): value is Op {
  return !!value && typeof value === "object" && typeof (value as Op).id === "string" && typeof (value as Op).op === "string";
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

/** A serve handler called in-process (`serve()` from `inngest/edge`): no HTTP, no port. */
export type InProcessHandler = (request: Request) => Promise<Response>;

export type InvokeOptions = {
  /** Signs each call as Inngest does (`x-inngest-signature`) and requires the reply to be signed with it. */
  signingKey?: string;
  timeoutMs: number;
  /** Calls whose URL starts with `url` go to `handler` in this process instead of over HTTP. */
  inProcess?: { url: string; handler: InProcessHandler };
  /** Off by default: the engine calls only loopback (and in-process) targets. */
  allowRemote?: boolean;
};

/**
 * Calls the serve handler and reads its reply. node:http rather than fetch:
 * steps may legitimately run for many minutes, past undici's fixed 300 s
 * headers timeout. Transport failures are retriable errors, as on Inngest.
 */
export async function invoke(request: CallRequest, options: InvokeOptions): Promise<CallOutcome> {
  const url = new URL(request.url);
  url.searchParams.set("stepId", request.stepId);
  const body = callBody(request);
  const text = JSON.stringify(body);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-inngest-server-kind": options.signingKey ? "cloud" : "dev",
  };
  if (options.signingKey) headers["x-inngest-signature"] = signRequestBody(body, options.signingKey);
  const where = `${url.origin}${url.pathname}`;
  try {
    let reply: Reply;
    if (options.inProcess && request.url.startsWith(options.inProcess.url)) {
      const response = await options.inProcess.handler(new Request(url, { method: "POST", headers: { ...headers, host: url.host }, body: text }));
      reply = { status: response.status, header: (name) => response.headers.get(name) ?? undefined, text: await response.text() };
    } else {
      if (!options.allowRemote && !isLoopback(url)) {
        return { kind: "error", retriable: false, error: { name: "TargetRefused", message: `${where} is not on loopback; the engine calls remote apps only when configured to` } };
      }
      const raw = await post(url, { ...headers, "content-length": String(Buffer.byteLength(text)) }, text, options.timeoutMs);
      reply = { status: raw.status, header: (name) => raw.headers[name]?.toString(), text: raw.text };
    }
    if (options.signingKey && !verifyReply(reply, options.signingKey)) {
      return { kind: "error", retriable: true, error: { name: "SignatureError", message: `the reply of ${where} is not signed with the engine's signing key` } };
    }
    return parseReply(reply.status, reply.header, reply.text);
  } catch (error) {
    return { kind: "error", retriable: true, error: { name: "CallError", message: `calling ${where}: ${(error as Error).message}` } };
  }
}

type Reply = { status: number; header: (name: string) => string | undefined; text: string };

/** loopback addresses and `localhost` only: the local engine is never a proxy into a network. */
export function isLoopback(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (host === "localhost") return true;
  if (!ipaddr.isValid(host)) return false;
  const address = ipaddr.process(host);
  return address.range() === "loopback";
}

/**
 * The SDK signs every reply of a signed call (`x-inngest-signature: t=…&s=…`,
 * HMAC-SHA256 of the reply body + t). Errors the SDK answers before it could
 * check our signature (401) carry none: those are not replies of our app either.
 */
function verifyReply(reply: Reply, signingKey: string): boolean {
  const header = reply.header("x-inngest-signature");
  if (!header) return false;
  const params = new URLSearchParams(header);
  const t = params.get("t");
  const s = params.get("s");
  if (!t || !s) return false;
  return safeEqual(hmac(signingKey, reply.text + t), s);
}

function safeEqual(a: string, b: string) {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function post(url: URL, headers: Record<string, string>, text: string, timeoutMs: number) {
  const transport = url.protocol === "https:" ? https : http;
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>((resolve, reject) => {
    const req = transport.request(url, { method: "POST", headers, agent: agents[url.protocol === "https:" ? "https" : "http"], timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`no reply within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(text);
  });
}

/** `x-inngest-signature` as the SDK verifies it: HMAC-SHA256 over canonical JSON + timestamp. */
export function signRequestBody(body: unknown, signingKey: string, nowMs = Date.now()): string {
  const t = Math.floor(nowMs / 1000).toString();
  return `t=${t}&s=${hmac(signingKey, canonicalJson(body) + t)}`;
}

/** The key is the signing key without its `signkey-<env>-` prefix, as UTF-8 (the SDK's `signDataWithKey`). */
function hmac(signingKey: string, data: string) {
  return createHmac("sha256", signingKey.replace(/^signkey-\w+-/, "")).update(data).digest("hex");
}

/** What the SDK sends as `Authorization: Bearer …` on registration: the prefix + SHA-256 of the key's hex bytes. */
export function hashSigningKey(signingKey: string): string {
  const prefix = /^signkey-\w+-/.exec(signingKey)?.[0] ?? "";
  return `${prefix}${createHash("sha256").update(Buffer.from(signingKey.slice(prefix.length), "hex")).digest("hex")}`;
}

/** RFC 8785 canonical JSON (what the SDK's `canonicalize` produces) for JSON-safe values. */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((key) => record[key] !== undefined).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(",")}}`;
}
