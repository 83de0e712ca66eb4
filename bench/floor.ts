/**
 * The floor: the least a durable delivery can cost on this machine, beside the bench's limit.
 *
 * `npm run bench`'s ratio divides Hookline's end-to-end rate by the limit phase, which signs and
 * POSTs with no database at all. This script measures what sits between the two: a pipeline that
 * does only what any durable webhook sender must — store the message and one row per endpoint
 * (one INSERT per message, committed before it counts as published), claim a batch of an
 * endpoint's rows (one UPDATE … RETURNING), sign and POST each with undici at the endpoint's
 * concurrency, record the batch's outcomes (one UPDATE) — and nothing else: no publish API, no
 * engine, no Attempt rows, no retries, leases, filters, counters or metrics. It runs in a process
 * of its own (as the worker does) against the embedded PostgreSQL with its default settings, and
 * POSTs to the bench's receiver, in the same shape as end to end (1,000 messages × 20 endpoints,
 * 1 KiB payloads, 10 requests per endpoint). The limit phase runs before and after it, as in
 * `npm run bench`.
 *
 *   npx tsx --conditions=react-server bench/floor.ts [--messages 1000] [--endpoints 20]
 *     [--concurrency 10] [--batch 100] [--publish-concurrency 16] [--rounds 3]
 *     [--attempt-rows | --attempt-inline] [--lean] [--http-publish] [--json FILE]
 *
 * What it prints: deliveries/s, the ratio to the limit, and CPU per delivery (the pipeline's
 * process and PostgreSQL's). docs/performance.md (*The floor*) has the figures.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { Agent } from "undici";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { generateSecret, signRequest } from "@/lib/delivery/sign";
import { limitLoop, payloadOf, publishBody, request } from "./lib/client";
import { Receiver } from "./lib/receiver";
import { clusterCpuMs, readProcs } from "./lib/server";
import { log, now, parseArgs, round, sleep } from "./lib/util";

const args = parseArgs(process.argv.slice(2));
const messages = args.number("messages", 1000);
const endpoints = args.number("endpoints", 20);
const concurrency = args.number("concurrency", 10);
const batch = args.number("batch", 100);
const publishConcurrency = args.number("publish-concurrency", 16);
const rounds = args.number("rounds", 3);
/** Also an attempt row per delivery, with the request's and response's headers as Hookline keeps them. */
const attemptRows = args.bool("attempt-rows");
/**
 * The same attempt data (request and response headers, response body, duration) kept on the
 * delivery's own row instead, as a sender could keep a first success: one row version fewer.
 */
const attemptInline = args.bool("attempt-inline");
if (attemptRows && attemptInline) throw new Error("--attempt-rows and --attempt-inline are two shapes of one thing: pick one");
/** The response's headers and body are read and kept. */
const keepsAttempt = attemptRows || attemptInline;
/**
 * With --attempt-rows or --attempt-inline: each attempt keeps its status, duration and response
 * body, not its request's and response's headers (a console could rebuild the request's from the
 * endpoint's signing scheme and the attempt's timestamp).
 */
const lean = args.bool("lean");
if (lean && !keepsAttempt) throw new Error("--lean applies to --attempt-rows or --attempt-inline");
/**
 * Publishes arrive over HTTP (a keep-alive POST of the payload from the bench's process, parsed and
 * stored by a plain node:http server in the pipeline's process) instead of from inside it.
 */
const httpPublish = args.bool("http-publish");
/** Also writes the rounds' figures to this file as JSON (what `npm run bench` reads for its floor phase). */
const jsonOut = args.string("json", "");
const PAYLOAD_BYTES = 1024;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS floor_message (id bigserial PRIMARY KEY, body text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
  CREATE TABLE IF NOT EXISTS floor_delivery (
    id bigserial PRIMARY KEY,
    message_id bigint NOT NULL,
    route text NOT NULL,
    status smallint NOT NULL DEFAULT 0,
    attempts int NOT NULL DEFAULT 0,
    response_status int,
    completed_at timestamptz,
    request_headers jsonb,
    response_headers jsonb,
    response_body text,
    duration_ms int
  );
  CREATE INDEX IF NOT EXISTS floor_delivery_pending ON floor_delivery (route, id) WHERE status = 0;
  CREATE INDEX IF NOT EXISTS floor_delivery_message ON floor_delivery (message_id);
  CREATE TABLE IF NOT EXISTS floor_attempt (
    id bigserial PRIMARY KEY,
    delivery_id bigint NOT NULL,
    route text NOT NULL,
    request_headers jsonb,
    response_status int,
    response_headers jsonb,
    response_body text,
    duration_ms int NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX IF NOT EXISTS floor_attempt_route ON floor_attempt (route, created_at DESC, id DESC);
  CREATE INDEX IF NOT EXISTS floor_attempt_delivery ON floor_attempt (delivery_id)`;

/** A publish: the message and its deliveries in one statement (one transaction, committed synchronously). */
const PUBLISH = `
  WITH m AS (INSERT INTO floor_message (body) VALUES ($1) RETURNING id),
       d AS (INSERT INTO floor_delivery (message_id, route) SELECT m.id, r FROM m, unnest($2::text[]) AS r)
  SELECT id FROM m`;

/** A claim: up to $2 of a route's waiting deliveries, with their message's body. */
const CLAIM = `
  UPDATE floor_delivery d SET status = 1, attempts = d.attempts + 1
    FROM (SELECT id FROM floor_delivery WHERE route = $1 AND status = 0 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED) c, floor_message m
   WHERE d.id = c.id AND m.id = d.message_id
  RETURNING d.id, d.message_id, m.body`;

/** A record: a batch's outcomes in one statement. */
const RECORD = `
  UPDATE floor_delivery d SET status = CASE WHEN r.code BETWEEN 200 AND 299 THEN 2 ELSE 3 END, response_status = r.code, completed_at = now()
    FROM unnest($1::bigint[], $2::int[]) AS r(id, code)
   WHERE d.id = r.id`;

/** With --attempt-rows: the record also inserts each attempt (what was sent and received). */
const RECORD_WITH_ATTEMPTS = `
  WITH input AS (
    SELECT * FROM json_to_recordset($1::json) AS x(id bigint, route text, code int, "requestHeaders" jsonb, "responseHeaders" jsonb, body text, ms int)
  ), d AS (
    UPDATE floor_delivery d SET status = CASE WHEN x.code BETWEEN 200 AND 299 THEN 2 ELSE 3 END, response_status = x.code, completed_at = now()
      FROM input x WHERE d.id = x.id RETURNING d.id
  )
  INSERT INTO floor_attempt (delivery_id, route, request_headers, response_status, response_headers, response_body, duration_ms)
  SELECT x.id, x.route, x."requestHeaders", x.code, x."responseHeaders", x.body, x.ms FROM input x JOIN d ON d.id = x.id`;

/** With --attempt-inline: the record keeps the attempt on the delivery's row. */
const RECORD_INLINE = `
  UPDATE floor_delivery d SET status = CASE WHEN x.code BETWEEN 200 AND 299 THEN 2 ELSE 3 END, response_status = x.code, completed_at = now(),
         request_headers = x."requestHeaders", response_headers = x."responseHeaders", response_body = x.body, duration_ms = x.ms
    FROM json_to_recordset($1::json) AS x(id bigint, code int, "requestHeaders" jsonb, "responseHeaders" jsonb, body text, ms int)
   WHERE d.id = x.id`;

type Round = { prefix: string; messages: number };
type Control = Round | { published: string } | "exit";
const routesOf = (prefix: string) => Array.from({ length: endpoints }, (_, i) => `${prefix}/${i}`);

/** The pipeline's process: publishes a round's messages and drains them through one lane per endpoint. */
async function pipeline() {
  const databaseUrl = process.env.FLOOR_DATABASE_URL!;
  const receiverUrl = process.env.FLOOR_RECEIVER_URL!;
  const publishPool = new pg.Pool({ connectionString: databaseUrl, max: 5 });
  // Claims and records may be lost in a crash (the rows are claimed again: at-least-once, as in
  // Hookline), so they do not wait for the WAL flush; publishes do.
  const lanePool = new pg.Pool({ connectionString: databaseUrl, max: 10, options: "-c synchronous_commit=off" });
  // Every route is on the receiver's one origin: connections for all lanes at once.
  const agent = new Agent({ connections: endpoints * concurrency, keepAliveTimeout: 10_000 });
  const secret = generateSecret();

  type Reply = { status: number; headers: Record<string, string>; body: string; ms: number };
  const post = (url: URL, headers: Record<string, string>, body: string) =>
    new Promise<Reply>((resolve, reject) => {
      const started = performance.now();
      const reply: Reply = { status: 0, headers: {}, body: "", ms: 0 };
      const chunks: Buffer[] = [];
      agent.dispatch(
        { origin: url.origin, path: url.pathname, method: "POST", headers, body },
        {
          onRequestStart: () => {},
          onResponseStart: (_controller, statusCode, responseHeaders) => {
            reply.status = statusCode;
            if (keepsAttempt && !lean) for (const [name, value] of Object.entries(responseHeaders)) reply.headers[name] = Array.isArray(value) ? value.join(", ") : (value ?? "");
          },
          onResponseData: (_controller, chunk) => void (keepsAttempt && chunks.push(chunk)),
          onResponseEnd: () => {
            reply.body = keepsAttempt ? Buffer.concat(chunks).toString("utf8") : "";
            reply.ms = Math.round(performance.now() - started);
            resolve(reply);
          },
          onResponseError: (_controller, error) => reject(error),
        },
      );
    });

  // --http-publish: POST /<prefix> {"eventType", "payload"} → 202 {"id"}, stored before the answer.
  const published = new Map<string, () => void>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const answer = (status: number, body: unknown) => {
        const text = JSON.stringify(body);
        res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
        res.end(text);
      };
      let payload: unknown;
      try {
        payload = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { payload?: unknown }).payload;
      } catch {
        return answer(400, { code: "invalid_json" });
      }
      if (!payload || typeof payload !== "object") return answer(400, { code: "validation_failed" });
      publishPool
        .query<{ id: string }>({ name: "floor.publish", text: PUBLISH, values: [JSON.stringify(payload), routesOf((req.url ?? "/").slice(1))] })
        .then(({ rows }) => answer(202, { id: rows[0]!.id }), () => answer(500, { code: "internal" }));
    });
  });
  server.keepAliveTimeout = 60_000;
  if (httpPublish) await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

  async function run({ prefix, messages: count }: Round) {
    const routes = routesOf(prefix);
    const urls = new Map(routes.map((route) => [route, new URL(`${receiverUrl}/${route}`)]));
    let sent = 0;
    let producing = true;
    const producer = async () => {
      while (sent < count) {
        const seq = sent++;
        await publishPool.query({ name: "floor.publish", text: PUBLISH, values: [payloadOf(PAYLOAD_BYTES, seq), routes] });
      }
    };
    const lane = async (route: string) => {
      const url = urls.get(route)!;
      for (;;) {
        const { rows } = await lanePool.query<{ id: string; message_id: string; body: string }>({ name: "floor.claim", text: CLAIM, values: [route, batch] });
        if (!rows.length) {
          if (!producing) return;
          await sleep(2);
          continue;
        }
        const replies = new Array<Reply & { requestHeaders: Record<string, string> }>(rows.length);
        let next = 0;
        await Promise.all(
          Array.from({ length: Math.min(concurrency, rows.length) }, async () => {
            while (next < rows.length) {
              const i = next++;
              const row = rows[i]!;
              const signed = signRequest({
                signature: { scheme: "standard" },
                secrets: { current: secret },
                msgId: `msg_${row.message_id}`,
                timestamp: Math.floor(Date.now() / 1000),
                body: row.body,
                eventType: "bench.floor",
                attempt: 1,
              });
              const requestHeaders = { "content-type": "application/json", ...signed.headers };
              const reply = await post(url, requestHeaders, signed.body).catch((): Reply => ({ status: 0, headers: {}, body: "", ms: 0 }));
              replies[i] = { ...reply, requestHeaders };
            }
          }),
        );
        if (keepsAttempt) {
          const input = rows.map((row, i) => {
            const r = replies[i]!;
            const headers = lean ? { requestHeaders: null, responseHeaders: null } : { requestHeaders: r.requestHeaders, responseHeaders: r.headers };
            return { id: row.id, route, code: r.status, ...headers, body: r.body, ms: r.ms };
          });
          const statement = attemptRows ? { name: "floor.record-attempts", text: RECORD_WITH_ATTEMPTS } : { name: "floor.record-inline", text: RECORD_INLINE };
          await lanePool.query({ ...statement, values: [JSON.stringify(input)] });
        } else {
          await lanePool.query({ name: "floor.record", text: RECORD, values: [rows.map((row) => row.id), replies.map((r) => r.status)] });
        }
      }
    };
    const lanes = routes.map(lane);
    if (httpPublish) await new Promise<void>((resolve) => published.set(prefix, resolve));
    else await Promise.all(Array.from({ length: publishConcurrency }, producer));
    producing = false;
    await Promise.all(lanes);
  }

  process.on("message", (message: Control) => {
    if (message === "exit") {
      server.close();
      void Promise.all([publishPool.end(), lanePool.end(), agent.close()]).then(() => process.exit(0));
      return;
    }
    if ("published" in message) return published.get(message.published)?.();
    run(message).then(
      () => process.send!({ done: message.prefix }),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
  process.send!({ ready: httpPublish ? (server.address() as AddressInfo).port : 0 });
}

/** One round as `--json` writes it: the rate, the limit phases' mean around it, and CPU per delivery. */
export type FloorRound = {
  load: number;
  perSecond: number;
  limitPerSecond: number;
  ratio: number;
  cpuMsPerDelivery: { pipeline: number; postgres: number };
  walKibPerDelivery: number;
};
export type FloorResult = { shape: string; messages: number; endpoints: number; concurrency: number; rounds: FloorRound[] };

function roundDone(child: ChildProcess, prefix: string) {
  return new Promise<void>((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (typeof message === "object" && message && (message as { done?: string }).done === prefix) {
        child.off("message", onMessage);
        resolve();
      }
    };
    child.on("message", onMessage);
    child.once("exit", (code) => reject(new Error(`the pipeline exited with ${code}`)));
  });
}

async function main() {
  const dataDir = path.resolve(`data/bench-floor-${process.pid}`);
  const postgres = await startEmbeddedPostgres({ dataDir, password: "bench", database: "floor" });
  const receiver = await new Receiver().listen();
  let child: ChildProcess | undefined;
  const postgresCpuMs = () => clusterCpuMs(dataDir);
  const childCpuMs = () => (readProcs().get(child!.pid!)?.cpuTicks ?? 0) * 10;
  try {
    const admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    await admin.query(SCHEMA);
    const walLsn = async () => (await admin.query<{ lsn: string }>("SELECT pg_current_wal_lsn()::text AS lsn")).rows[0]!.lsn;
    const walBytesSince = async (lsn: string) => Number((await admin.query<{ n: string }>("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::bigint AS n", [lsn])).rows[0]!.n);

    const limitConcurrency = Math.min(50, endpoints * concurrency);
    const limit = (label: string) =>
      limitLoop({ url: (i) => receiver.url(`limit/${i % endpoints}`), count: Math.max(5000, messages * endpoints), concurrency: limitConcurrency, payloadBytes: PAYLOAD_BYTES, label });
    await limitLoop({ url: (i) => receiver.url(`limit-warm/${i % endpoints}`), count: 2000, concurrency: limitConcurrency, payloadBytes: PAYLOAD_BYTES, label: "limit warm-up" });

    child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...process.argv.slice(2)], {
      env: { ...process.env, FLOOR_ROLE: "pipeline", FLOOR_DATABASE_URL: postgres.url, FLOOR_RECEIVER_URL: `http://127.0.0.1:${receiver.port}` },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const publishPort = await new Promise<number>((resolve, reject) => {
      child!.once("message", (message: { ready: number }) => resolve(message.ready));
      child!.once("exit", (code) => reject(new Error(`the pipeline exited with ${code} before it was ready`)));
    });
    const publishAgent = new http.Agent({ keepAlive: true, maxSockets: publishConcurrency });
    /** A round: its messages published (from here over HTTP with --http-publish), then all delivered. */
    const runRound = async (prefix: string, count: number) => {
      const done = roundDone(child!, prefix);
      child!.send({ prefix, messages: count });
      if (httpPublish) {
        let next = 0;
        await Promise.all(
          Array.from({ length: publishConcurrency }, async () => {
            while (next < count) {
              const reply = await request(publishAgent, `http://127.0.0.1:${publishPort}/${prefix}`, { method: "POST", body: publishBody("bench.floor", next++, PAYLOAD_BYTES) });
              if (reply.status !== 202) throw new Error(`publish answered ${reply.status}: ${reply.text}`);
            }
          }),
        );
        child!.send({ published: prefix });
      }
      await done;
    };
    await runRound("warm", 200);

    const measured: FloorRound[] = [];
    for (let r = 1; r <= rounds; r++) {
      const load = os.loadavg()[0]!;
      const before = await limit(`limit before round ${r}`);
      const prefix = `floor${r}`;
      const total = messages * endpoints;
      const cpu0 = { node: childCpuMs(), pg: postgresCpuMs() };
      const lsn = await walLsn();
      const start = now();
      await runRound(prefix, messages);
      const seconds = (receiver.lastArrival(`${prefix}/`) - start) / 1000;
      const delivered = receiver.distinct(`${prefix}/`);
      const cpu = { node: (childCpuMs() - cpu0.node) / total, pg: (postgresCpuMs() - cpu0.pg) / total };
      const walKib = (await walBytesSince(lsn)) / 1024 / total;
      const after = await limit(`limit after round ${r}`);
      const limitRate = (before.perSecond + after.perSecond) / 2;
      const rate = delivered / seconds;
      if (delivered !== total) throw new Error(`round ${r}: ${delivered} of ${total} deliveries arrived`);
      const m: FloorRound = {
        load: round(load),
        perSecond: round(rate, 1),
        limitPerSecond: round(limitRate, 1),
        ratio: round(rate / limitRate, 3),
        cpuMsPerDelivery: { pipeline: round(cpu.node, 3), postgres: round(cpu.pg, 3) },
        walKibPerDelivery: round(walKib, 2),
      };
      measured.push(m);
      log(`round ${r}: ${m.perSecond} deliveries/s, limit ${m.limitPerSecond}/s, ratio ${m.ratio}, CPU ${m.cpuMsPerDelivery.pipeline} + ${m.cpuMsPerDelivery.postgres} ms per delivery`);
    }
    publishAgent.destroy();
    const shape = [attemptRows && "attempt rows", attemptInline && "attempts on the delivery row", lean && "no headers kept", httpPublish && "publishes over HTTP"].filter(Boolean).join(" and ");
    console.log(`\nThe floor${shape ? ` with ${shape}` : ""}: ${messages} messages × ${endpoints} endpoints, ${PAYLOAD_BYTES} B, ${concurrency} requests per endpoint, claims of ${batch}\n`);
    console.log("| round | load (1 min) | deliveries/s | limit/s (mean of before and after) | floor ÷ limit | CPU ms per delivery: pipeline + PostgreSQL | WAL KiB per delivery |");
    console.log("|---|---|---|---|---|---|---|");
    measured.forEach((m, i) => {
      const { pipeline, postgres } = m.cpuMsPerDelivery;
      console.log(`| ${i + 1} | ${m.load} | ${m.perSecond} | ${m.limitPerSecond} | **${m.ratio}** | ${pipeline} + ${postgres} = ${round(pipeline + postgres, 3)} | ${m.walKibPerDelivery} |`);
    });
    if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify({ shape: shape || "bare", messages, endpoints, concurrency, rounds: measured } satisfies FloorResult, null, 2)}\n`);
    await admin.end();
  } finally {
    if (child && child.exitCode === null) {
      child.send("exit");
      await new Promise((resolve) => child!.once("exit", resolve));
    }
    await receiver.close();
    await postgres.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.env.FLOOR_ROLE === "pipeline") await pipeline();
else await main();
