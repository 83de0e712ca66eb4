/**
 * HTTP clients of the bench: the API (keep-alive agent, bounded concurrency or
 * paced open loop) and the "limit" loop, which does what a delivery does on the
 * wire — Standard Webhooks signature, 1 KiB body, keep-alive POST — and nothing else.
 */
import http from "node:http";
import { Agent } from "undici";
import { generateSecret, signRequest } from "@/lib/delivery/sign";
import { createHooklineClient, type HooklineClient } from "@/lib/openapi/client";
import { checkDeadline, now, progress, sleep } from "./util";

export type HttpReply = { status: number; text: string };

export function request(agent: http.Agent, url: string, init: { method: string; headers?: Record<string, string>; body?: string }): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.body !== undefined) {
      headers["content-type"] ??= "application/json";
      headers["content-length"] = String(Buffer.byteLength(init.body));
    }
    const req = http.request(url, { method: init.method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.setTimeout(60_000, () => req.destroy(new Error(`no reply from ${init.method} ${url} within 60 s`)));
    req.on("error", reject);
    req.end(init.body);
  });
}

/** A JSON payload of exactly `bytes` bytes (ASCII). */
export function payloadOf(bytes: number, seq: number, extra: Record<string, unknown> = {}): string {
  const head = JSON.stringify({ account: `acc_${seq % 50}`, seq, ...extra, pad: "" });
  const pad = Math.max(0, bytes - Buffer.byteLength(head));
  return head.slice(0, -2) + "x".repeat(pad) + '"}';
}

export class Api {
  readonly agent: http.Agent;
  /** The typed API client (lib/openapi/client.ts) over the same keep-alive agent: the bench drives the API the way users' code does. */
  readonly hookline: HooklineClient;
  constructor(
    readonly baseUrl: string,
    private readonly apiKey: string,
    maxSockets = 64,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets, keepAliveMsecs: 10_000 });
    this.hookline = createHooklineClient({ baseUrl, apiKey, fetch: (input) => this.fetch(input) });
  }

  private async fetch(input: Request): Promise<Response> {
    const body = input.body ? await input.text() : undefined;
    const reply = await request(this.agent, input.url, { method: input.method, headers: Object.fromEntries(input.headers), body });
    return new Response(reply.status === 204 ? null : reply.text, { status: reply.status, headers: { "content-type": "application/json" } });
  }

  async call<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
    const reply = await request(this.agent, `${this.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.apiKey}` },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    let json: unknown = null;
    try {
      json = JSON.parse(reply.text);
    } catch {}
    if (reply.status >= 400) throw new Error(`${method} ${path} → ${reply.status}: ${reply.text.slice(0, 300)}`);
    return { status: reply.status, json: json as T };
  }

  close() {
    this.agent.destroy();
  }
}

export type Publish = { seq: number; id: string; sentAt: number; latencyMs: number; status: number };

/** The POST /api/v1/messages body with the payload text kept as is. */
export function publishBody(eventType: string, seq: number, payloadBytes: number) {
  return `{"eventType":${JSON.stringify(eventType)},"payload":${payloadOf(payloadBytes, seq)}}`;
}

/**
 * One publish as a plain keep-alive POST of the payload text as is, like an app that forwards a
 * stored event. Not through the typed client: its Request, Headers and Response objects put the
 * bench's process at 45–50 % of a core at a paced 500/s (about 30 % this way), CPU taken from the
 * server it measures on the same cores (the typed client drives setup and the other calls).
 */
export async function publishOne(api: Api, eventType: string, seq: number, payloadBytes: number): Promise<Publish> {
  const sentAt = now();
  const { status, json } = await api.call<{ id: string }>("POST", "/api/v1/messages", publishBody(eventType, seq, payloadBytes));
  if (status !== 202) throw new Error(`publish answered ${status}: ${JSON.stringify(json).slice(0, 300)}`);
  return { seq, id: json.id, sentAt, latencyMs: now() - sentAt, status };
}

/** `count` publishes, `concurrency` in flight at a time, as fast as the server answers. */
export async function publishClosedLoop(api: Api, opts: { eventType: string; count: number; concurrency: number; payloadBytes: number; label: string; onTick?: () => string }) {
  const results: Publish[] & { errors?: string[] } = [];
  const errors: string[] = [];
  results.errors = errors;
  let next = 0;
  const bar = progress(opts.label);
  const worker = async () => {
    while (next < opts.count) {
      checkDeadline(opts.label);
      const seq = next++;
      try {
        results.push(await publishOne(api, opts.eventType, seq, opts.payloadBytes));
      } catch (error) {
        // A failed publish is a result (counted and reported), not the end of the bench.
        errors.push(String(error).slice(0, 300));
        if (errors.length > Math.max(20, opts.count / 10)) throw new Error(`${errors.length} publishes failed; last: ${errors.at(-1)}`);
      }
      bar.update(`${results.length}/${opts.count} published${errors.length ? ` (${errors.length} failed)` : ""}${opts.onTick ? `, ${opts.onTick()}` : ""}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, opts.count) }, worker));
  bar.done(`${results.length}/${opts.count} published${errors.length ? `, ${errors.length} failed (${errors[0]})` : ""}`);
  return results;
}

/** An open loop at `rate`/s for `seconds`: requests go out on schedule whether or not earlier ones returned. */
export async function publishPaced(api: Api, opts: { eventType: string; rate: number; seconds: number; payloadBytes: number; label: string }) {
  const total = Math.round(opts.rate * opts.seconds);
  const results: Publish[] = [];
  const failures: string[] = [];
  const inFlight = new Set<Promise<void>>();
  const bar = progress(opts.label);
  const start = now();
  let sent = 0;
  let maxInFlight = 0;
  while (sent < total) {
    checkDeadline(opts.label);
    const due = Math.min(total, Math.floor(((now() - start) / 1000) * opts.rate) + 1);
    while (sent < due) {
      const seq = sent++;
      const p = publishOne(api, opts.eventType, seq, opts.payloadBytes)
        .then((r) => void results.push(r), (error) => void failures.push(String(error)))
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    maxInFlight = Math.max(maxInFlight, inFlight.size);
    bar.update(`${sent}/${total} sent, ${results.length} answered, ${inFlight.size} in flight`);
    await sleep(1);
  }
  const sentDoneAt = now();
  while (inFlight.size) {
    checkDeadline(`${opts.label} (waiting for ${inFlight.size} answers)`);
    if (now() - sentDoneAt > 60_000) break; // the rest count as unanswered
    bar.update(`${total}/${total} sent, ${results.length} answered, ${failures.length} failed, ${inFlight.size} in flight`);
    await Promise.race([sleep(250), ...inFlight]);
  }
  const unanswered = inFlight.size;
  for (let i = 0; i < unanswered; i++) failures.push("no answer within 60 s of the end of the phase");
  bar.done(`${results.length}/${total} answered (${failures.length} failed, ${unanswered} of them unanswered), max ${maxInFlight} in flight`);
  return { results, failures, sendSeconds: (sentDoneAt - start) / 1000, totalSeconds: (now() - start) / 1000, maxInFlight };
}

/** A bare POST on undici's dispatcher (what the attempt core sends with, minus its guards): the status. */
function dispatchPost(agent: Agent, url: URL, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let status = 0;
    agent.dispatch(
      { origin: url.origin, path: url.pathname, method: "POST", headers, body },
      {
        onRequestStart: () => {},
        onResponseStart: (_controller, statusCode) => void (status = statusCode),
        onResponseData: () => {},
        onResponseEnd: () => resolve(status),
        onResponseError: (_controller, error) => reject(error),
      },
    );
  });
}

/**
 * The machine's limit for what a delivery does on the wire, with no database: sign
 * (Standard Webhooks, like the attempt core), POST 1 KiB with keep-alive, read the reply. Sent
 * with undici's dispatcher, the client the attempt core uses since 2026-12-03 (node:http before,
 * which costs about twice the CPU per request): the limit is the fastest sender we know, so the
 * ratio measures what Hookline adds, not which client it picked (docs/performance.md).
 */
export async function limitLoop(opts: {
  url: (i: number) => string;
  count: number;
  concurrency: number;
  payloadBytes: number;
  label: string;
  /** node:http: the client of every limit phase before 2026-12-03, measured beside it so older results compare */
  client?: "undici" | "node:http";
}) {
  const client = opts.client ?? "undici";
  const sender = (() => {
    if (client === "undici") {
      const agent = new Agent({ connections: opts.concurrency, keepAliveTimeout: 5000 });
      return { post: (url: string, headers: Record<string, string>, body: string) => dispatchPost(agent, new URL(url), headers, body), close: () => agent.close() };
    }
    const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency, scheduling: "lifo" });
    return { post: async (url: string, headers: Record<string, string>, body: string) => (await request(agent, url, { method: "POST", headers, body })).status, close: () => agent.destroy() };
  })();
  const secret = generateSecret();
  const body = payloadOf(opts.payloadBytes, 0);
  let next = 0;
  let done = 0;
  let failed = 0;
  const bar = progress(opts.label);
  const start = now();
  const worker = async () => {
    while (next < opts.count) {
      const i = next++;
      const signed = signRequest({
        signature: { scheme: "standard" },
        secrets: { current: secret },
        msgId: `msg_limit${i}`,
        timestamp: Math.floor(Date.now() / 1000),
        body,
        eventType: "bench.limit",
        attempt: 1,
      });
      const status = await sender.post(opts.url(i), { "content-type": "application/json", ...signed.headers }, signed.body);
      if (status !== 200) failed++;
      done++;
      if ((done & 255) === 0) bar.update(`${done}/${opts.count}`);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const seconds = (now() - start) / 1000;
  await sender.close();
  bar.done(`${done} in ${seconds.toFixed(2)} s → ${(done / seconds).toFixed(0)}/s`);
  return { deliveries: done, failed, seconds, perSecond: done / seconds, concurrency: opts.concurrency, client };
}
