/**
 * Read path at scale: a workspace of its own with N attempts across 1,000
 * endpoints, generated with SQL straight into the server's database; then the
 * exact SQL the services issue (captured from a logging Prisma client running
 * the real service functions), EXPLAIN (ANALYZE, BUFFERS) of it, and the API's
 * response times.
 */
import { createHash } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import type { ServiceContext } from "@/lib/context";
import { setDb, type Db } from "@/lib/db/client";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { listEndpointAttempts } from "@/lib/features/endpoints/list-attempts";
import { listMessages } from "@/lib/features/messages/queries";
import { Api } from "./client";
import { BENCH_METRICS_TOKEN } from "./server";
import { checkDeadline, log, median, now, progress, round } from "./util";

export const READ_WORKSPACE = "ws_benchread";
export const READ_API_KEY = "hk_benchread0123456789abcdef";

export type GenerateResult = { attempts: number; deliveries: number; messages: number; endpoints: number; seconds: number };

/**
 * 1,000 endpoints; messages fan out to 10 endpoints each; every delivery has 4 attempts (3
 * failures then the outcome), so 1 M attempts = 25,000 messages × 10 deliveries × 4 attempts.
 * Statuses: 5 % FAILED, 5 % PENDING (retry due tomorrow, already requested, so sweep leaves it),
 * the rest SUCCEEDED. Times spread over the last 7 days (retention is 30). FK triggers are off
 * for the load (session_replication_role = replica): the rows are consistent by construction.
 */
export async function generate(client: pg.Client, attempts: number, endpoints = 1000): Promise<GenerateResult> {
  const started = now();
  const perMessage = 10;
  const perDelivery = 4;
  const messages = Math.max(1, Math.round(attempts / (perMessage * perDelivery)));
  const spanSeconds = 7 * 24 * 3600;
  await client.query("SET session_replication_role = replica");
  await client.query("SET synchronous_commit = off"); // this session only: the load, not the server under test
  await client.query(`INSERT INTO "Workspace" (id, name, "createdAt") VALUES ($1, 'Bench read path', now() - interval '8 days')`, [READ_WORKSPACE]);
  await client.query(
    `INSERT INTO "ApiKey" (id, "workspaceId", name, prefix, hash, role, "createdAt") VALUES ('key_benchread', $1, 'bench read path', $2, $3, 'ADMIN', now())`,
    [READ_WORKSPACE, READ_API_KEY.slice(0, 10), createHash("sha256").update(READ_API_KEY).digest("hex")],
  );
  await client.query(
    `INSERT INTO "Endpoint" (id, "workspaceId", title, url, "eventTypes", "secretEnc", "timeoutMs", "createdAt", "updatedAt")
     SELECT 'ep_benchread' || lpad(g::text, 5, '0'), $1, 'Read endpoint ' || g, 'http://127.0.0.1:9/read/' || g,
            ARRAY['bench.read.none'], 'unused', 15000, now() - interval '8 days', now()
       FROM generate_series(1, $2::int) g`,
    [READ_WORKSPACE, endpoints],
  );
  const chunk = Math.max(1, Math.ceil(messages / 20));
  const bar = progress("generate");
  for (let from = 1; from <= messages; from += chunk) {
    checkDeadline("read-path generation");
    const to = Math.min(messages, from + chunk - 1);
    const params = [READ_WORKSPACE, from, to, messages, spanSeconds, endpoints];
    // m: message number; its createdAt grows with m, so ids (zero-padded m) sort by creation.
    await client.query(
      `INSERT INTO "Message" (id, "workspaceId", "eventType", account, body, test, "createdAt")
       SELECT 'msg_bench' || lpad(m::text, 9, '0'), $1, 'bench.read.' || (m % 5), 'acc_' || (m % 50),
              '{"account":"acc_' || (m % 50) || '","seq":' || m || ',"pad":"' || repeat('x', 960) || '"}', false,
              now() - (($4::int - m) * ($5::float8 / $4::int)) * interval '1 second'
         FROM generate_series($2::int, $3::int) m`,
      params.slice(0, 5),
    );
    await client.query(
      `INSERT INTO "Delivery" (id, "workspaceId", "messageId", "endpointId", status, "attemptCount", "nextAttemptAt",
                               "lastResponseStatus", "requestedAt", "completedAt", "createdAt", "updatedAt")
       SELECT 'dlv_bench' || lpad(m::text, 9, '0') || '_' || k, $1, 'msg_bench' || lpad(m::text, 9, '0'),
              'ep_benchread' || lpad((((m * 10 + k) % $6::int) + 1)::text, 5, '0'),
              (CASE (m * 10 + k) % 20 WHEN 0 THEN 'FAILED' WHEN 1 THEN 'PENDING' ELSE 'SUCCEEDED' END)::"DeliveryStatus",
              4, CASE (m * 10 + k) % 20 WHEN 1 THEN now() + interval '1 day' END,
              CASE (m * 10 + k) % 20 WHEN 0 THEN 500 WHEN 1 THEN 503 ELSE 200 END,
              t, CASE (m * 10 + k) % 20 WHEN 1 THEN NULL ELSE t + interval '10 seconds' END, t, t
         FROM generate_series($2::int, $3::int) m
        CROSS JOIN generate_series(0, 9) k
        CROSS JOIN LATERAL (SELECT now() - (($4::int - m) * ($5::float8 / $4::int)) * interval '1 second' AS t) times`,
      params,
    );
    await client.query(
      `INSERT INTO "Attempt" (id, "workspaceId", "deliveryId", "messageId", "endpointId", "eventType", number, trigger, outcome,
                              "requestUrl", "requestHeaders", "responseStatus", "responseHeaders", "responseBody",
                              "errorCode", "errorMessage", "durationMs", "createdAt")
       SELECT 'att_bench' || lpad(m::text, 9, '0') || '_' || k || '_' || n, $1, 'dlv_bench' || lpad(m::text, 9, '0') || '_' || k,
              'msg_bench' || lpad(m::text, 9, '0'), ep, 'bench.read.' || (m % 5), n, 'SCHEDULED',
              (CASE WHEN n = 4 AND (m * 10 + k) % 20 > 1 THEN 'SUCCESS' ELSE 'FAILURE' END)::"AttemptOutcome",
              'http://127.0.0.1:9/read/' || ep,
              jsonb_build_object('content-type', 'application/json', 'user-agent', 'Hookline/0.1.0',
                'x-hookline-event-type', 'bench.read.' || (m % 5), 'x-hookline-attempt', n::text,
                'webhook-id', 'msg_bench' || lpad(m::text, 9, '0'), 'webhook-timestamp', '1760000000',
                'webhook-signature', 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='),
              CASE WHEN n = 4 AND (m * 10 + k) % 20 > 1 THEN 200 ELSE 500 END,
              '{"content-type":"text/plain","content-length":"2"}'::jsonb,
              CASE WHEN n = 4 AND (m * 10 + k) % 20 > 1 THEN 'ok' ELSE 'error' END,
              CASE WHEN n = 4 AND (m * 10 + k) % 20 > 1 THEN NULL ELSE 'HTTP_ERROR' END,
              CASE WHEN n = 4 AND (m * 10 + k) % 20 > 1 THEN NULL ELSE 'HTTP 500' END,
              (m * 7 + n) % 300, t + (n - 1) * interval '2 seconds'
         FROM generate_series($2::int, $3::int) m
        CROSS JOIN generate_series(0, 9) k
        CROSS JOIN generate_series(1, 4) n
        CROSS JOIN LATERAL (SELECT now() - (($4::int - m) * ($5::float8 / $4::int)) * interval '1 second' AS t,
                                   'ep_benchread' || lpad((((m * 10 + k) % $6::int) + 1)::text, 5, '0') AS ep) x`,
      params,
    );
    bar.update(`${to}/${messages} messages (${to * perMessage * perDelivery} attempts), ${((now() - started) / 1000).toFixed(0)} s`, true);
  }
  await client.query("RESET session_replication_role");
  bar.update("VACUUM ANALYZE…", true);
  // What autovacuum would have done by the time a workspace holds this much.
  for (const table of ["Endpoint", "Message", "Delivery", "Attempt"]) await client.query(`VACUUM (ANALYZE) "${table}"`);
  const seconds = round((now() - started) / 1000, 1);
  bar.done(`${messages * perMessage * perDelivery} attempts, ${messages * perMessage} deliveries, ${messages} messages, ${endpoints} endpoints in ${seconds} s`);
  return { attempts: messages * perMessage * perDelivery, deliveries: messages * perMessage, messages, endpoints, seconds };
}

type Captured = { sql: string; params: unknown[] };

export type QueryReport = {
  name: string;
  /** The service function, in this process, through Prisma (median of `runs`). */
  serviceMedianMs: number;
  /** The main statement alone, through pg, round trip (median of `runs`). */
  sqlMedianMs: number;
  /** The main statement's server-side execution time (EXPLAIN ANALYZE, TIMING OFF; median of `runs`): robust to a loaded client. */
  executionMedianMs: number;
  statements: Array<{ sql: string; params: unknown[]; explain: string; executionMs: number | null; planningMs: number | null }>;
  rows: number;
};

export async function measureQueries(databaseUrl: string, client: pg.Client, runs = 20): Promise<QueryReport[]> {
  const captured: Captured[] = [];
  const prisma = new PrismaClient({
    adapter: new PrismaPg({ connectionString: databaseUrl, max: 4 }),
    omit: { endpoint: { secretEnc: true, previousSecretEnc: true }, apiKey: { hash: true }, user: { passwordHash: true } },
    log: [{ level: "query", emit: "event" }],
  });
  prisma.$on("query", (event) => {
    let params: unknown[] = [];
    try {
      params = JSON.parse(event.params);
    } catch {}
    captured.push({ sql: event.query, params });
  });
  setDb(prisma as unknown as Db);
  const ctx: ServiceContext = { workspaceId: READ_WORKSPACE, role: "ADMIN", actor: { type: "system" } };
  const endpointId = "ep_benchread00500";
  const cases: Array<{ name: string; run: () => Promise<{ data: unknown[] }> }> = [
    { name: "endpoint detail: last 10 attempts (listEndpointAttempts)", run: () => listEndpointAttempts(ctx, endpointId, { limit: 10 }) },
    { name: "messages: first page (listMessages limit 20)", run: () => listMessages(ctx, { limit: 20 }) },
    { name: "messages: by account (account=acc_7)", run: () => listMessages(ctx, { limit: 20, account: "acc_7" }) },
    { name: "messages: by status (status=FAILED, deliveries some)", run: () => listMessages(ctx, { limit: 20, status: "FAILED" }) },
    { name: "messages: by status (status=PENDING) + account", run: () => listMessages(ctx, { limit: 20, status: "PENDING", account: "acc_3" }) },
  ];
  const reports: QueryReport[] = [];
  try {
    for (const testCase of cases) {
      checkDeadline("read-path queries");
      await testCase.run(); // warm: plan caches, connection
      captured.length = 0;
      const first = await testCase.run();
      const statements = captured.filter((c) => !/^(BEGIN|COMMIT|SELECT 1)/i.test(c.sql)).map((c) => ({ ...c }));
      const serviceTimes: number[] = [];
      for (let i = 0; i < runs; i++) {
        const started = now();
        await testCase.run();
        serviceTimes.push(now() - started);
      }
      const explained = [];
      for (const statement of statements) {
        const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`, statement.params);
        const explain = rows.map((row) => row["QUERY PLAN"]).join("\n");
        explained.push({
          sql: statement.sql,
          params: statement.params,
          explain,
          executionMs: numberAfter(explain, "Execution Time:"),
          planningMs: numberAfter(explain, "Planning Time:"),
        });
      }
      // The main statement is the one that reads the listed table (the biggest plan).
      const main = statements.reduce((best, s) => (/"Attempt"|"Message"/.test(s.sql) && s.sql.length > (best?.sql.length ?? 0) ? s : best), statements[0]);
      const sqlTimes: number[] = [];
      const execTimes: number[] = [];
      if (main) {
        for (let i = 0; i < runs; i++) {
          const started = now();
          await client.query(main.sql, main.params);
          sqlTimes.push(now() - started);
          const { rows } = await client.query(`EXPLAIN (ANALYZE, TIMING OFF) ${main.sql}`, main.params);
          execTimes.push(numberAfter(rows.map((row) => row["QUERY PLAN"]).join("\n"), "Execution Time:") ?? NaN);
        }
      }
      const report = {
        name: testCase.name,
        serviceMedianMs: median(serviceTimes),
        sqlMedianMs: median(sqlTimes),
        executionMedianMs: median(execTimes),
        statements: explained,
        rows: first.data.length,
      };
      log(`  ${testCase.name}: server ${report.executionMedianMs} ms, round trip ${report.sqlMedianMs} ms, service ${report.serviceMedianMs} ms, ${report.rows} rows`);
      reports.push(report);
    }
  } finally {
    await prisma.$disconnect();
  }
  return reports;
}

function numberAfter(text: string, label: string): number | null {
  const match = new RegExp(`${label}\\s*([0-9.]+)`).exec(text);
  return match ? Number(match[1]) : null;
}

export type HttpTiming = { path: string; medianMs: number; p90Ms: number; status: number; runs: number };

export async function measureHttp(baseUrl: string, runs = 20): Promise<HttpTiming[]> {
  const api = new Api(baseUrl, READ_API_KEY, 1);
  const scraper = new Api(baseUrl, BENCH_METRICS_TOKEN, 1);
  const paths = ["/api/v1/endpoints/ep_benchread00500/attempts?limit=10", "/api/v1/messages?limit=20", "/api/v1/messages?limit=20&status=FAILED", "/api/metrics"];
  const out: HttpTiming[] = [];
  try {
    for (const path of paths) {
      const client = path === "/api/metrics" ? scraper : api;
      for (let i = 0; i < 3; i++) await client.call("GET", path);
      const times: number[] = [];
      let status = 0;
      for (let i = 0; i < runs; i++) {
        const started = now();
        status = (await client.call("GET", path)).status;
        times.push(now() - started);
      }
      const sorted = [...times].sort((a, b) => a - b);
      out.push({ path, medianMs: median(times), p90Ms: round(sorted[Math.floor(0.9 * (sorted.length - 1))]!), status, runs });
      log(`  GET ${path}: median ${median(times)} ms`);
    }
  } finally {
    api.close();
    scraper.close();
  }
  return out;
}
