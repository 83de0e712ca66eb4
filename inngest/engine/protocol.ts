/**
 * The executor's side of the Inngest SDK call protocol (docs/SDK_SPEC.md in
 * inngest/inngest, and node_modules/inngest/components/InngestCommHandler.js):
 * the body of a call request, and what a reply means.
 */
import { createHmac } from "node:crypto";
import http from "node:http";
import https from "node:https";
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
    events: [request.event],
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

/**
 * Calls the serve handler and reads its reply. node:http rather than fetch:
 * steps may legitimately run for many minutes, past undici's fixed 300 s
 * headers timeout. Transport failures are retriable errors, as on Inngest.
 */
export async function invoke(request: CallRequest, options: { signingKey?: string; timeoutMs: number }): Promise<CallOutcome> {
  const url = new URL(request.url);
  url.searchParams.set("stepId", request.stepId);
  const body = callBody(request);
  const text = JSON.stringify(body);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text)),
    "x-inngest-server-kind": "dev",
  };
  if (options.signingKey) headers["x-inngest-signature"] = sign(body, options.signingKey);
  try {
    const reply = await post(url, headers, text, options.timeoutMs);
    return parseReply(reply.status, (name) => reply.headers[name]?.toString(), reply.text);
  } catch (error) {
    return { kind: "error", retriable: true, error: { name: "CallError", message: `calling ${url.origin}${url.pathname}: ${(error as Error).message}` } };
  }
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
function sign(body: unknown, signingKey: string): string {
  const t = Math.floor(Date.now() / 1000).toString();
  const key = signingKey.replace(/^signkey-\w+-/, "");
  const s = createHmac("sha256", key).update(canonicalJson(body) + t).digest("hex");
  return `t=${t}&s=${s}`;
}

/** RFC 8785 canonical JSON (what the SDK's `canonicalize` produces) for JSON-safe values. */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((key) => record[key] !== undefined).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(",")}}`;
}
