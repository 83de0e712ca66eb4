/**
 * The API as an attacker and a fuzzer see it (issue 11's suite):
 * - a crawl of every /api/v1 route and method with another workspace's key and this one's ids:
 *   0 reads (none of this workspace's ids or values in any answer), 0 writes (its rows unchanged);
 * - the same crawl anonymously: every answer is 401;
 * - property-based fuzz (fast-check) of every body and query: never a 5xx, and a refused request
 *   changes nothing (no half-write);
 * - a scan of every answer and every log line for each secret the test created: 0 found
 *   (except the answers whose purpose is to reveal one: create, reveal, rotate).
 * Routes are discovered from the file system, so a new route is crawled without editing this file.
 */
import path from "node:path";
import fc from "fast-check";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import "@/tests/helpers/no-executor-env";
import type { Db } from "@/lib/db/client";
import { resetEnv } from "@/lib/env";
import { createApiKey } from "@/lib/features/settings/api-keys";
import { apiV1Routes } from "@/tests/helpers/api-routes";
import { makeWorkspace } from "@/tests/helpers/factories";
import { useTestDb } from "@/tests/helpers/services";

process.env.HOOKLINE_ALLOW_PRIVATE_NETWORKS = "true";
process.env.HOOKLINE_API_RATE_LIMIT = "0";
resetEnv();

type Handler = (request: NextRequest, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Route = { file: string; path: string; method: string; handler: Handler; params: string[] };

const ROOT = path.resolve("app/api/v1");

async function discoverRoutes(): Promise<Route[]> {
  // The methods each file serves, read from its source (tests/helpers/api-routes.ts): the others
  // are exported too, as 405s (otherMethods in lib/api/route.ts), and the catch-all is left out.
  const routes: Route[] = [];
  for (const route of apiV1Routes()) {
    const mod = (await import(route.file)) as Record<string, unknown>;
    const rel = path.relative(ROOT, path.dirname(route.file)).split(path.sep).filter(Boolean);
    for (const method of route.methods.map((name) => name.toUpperCase())) {
      if (typeof mod[method] !== "function") throw new Error(`${route.file} does not export ${method}`);
      routes.push({
        file: route.file,
        path: `/api/v1/${rel.join("/")}`,
        method,
        handler: mod[method] as Handler,
        params: rel.filter((segment) => segment.startsWith("[")).map((segment) => segment.slice(1, -1)),
      });
    }
  }
  return routes;
}

let db: Db;
let routes: Route[];
const ids = { endpoint: "", message: "", delivery: "", eventType: "call:completed" };
let ownerA = "";
let ownerB = "";
let workspaceA = "";
const secrets = new Set<string>();
// Custom header values are shown to admins on the endpoint itself (viewers see them masked), nowhere else.
const adminVisible = new Set<string>();
const answers: Array<{ route: string; text: string }> = [];
const logs: string[] = [];
const figures = { crawled: 0, anonymous: 0, fuzzed: 0 };

/** The id a route's params need, by the collection the param belongs to. */
function paramsFor(route: Route, pick: typeof ids): Record<string, string> {
  const segments = route.path.split("/");
  return Object.fromEntries(
    route.params.map((param) => {
      const collection = segments[segments.indexOf(`[${param}]`) - 1];
      const value =
        collection === "accounts"
          ? "acc_fault_suite"
          : collection === "endpoints" ? pick.endpoint : collection === "messages" ? pick.message : collection === "deliveries" ? pick.delivery : pick.eventType;
      return [param, value];
    }),
  );
}

async function call(route: Route, key: string | null, options: { params: Record<string, string>; body?: string; query?: string }) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key) headers.authorization = `Bearer ${key}`;
  const url = `http://hookline.test${route.path}${options.query ?? ""}`;
  const hasBody = route.method !== "GET" && options.body !== undefined;
  const request = new NextRequest(url, { method: route.method, headers, body: hasBody ? options.body : undefined });
  const response = await route.handler(request, { params: Promise.resolve(options.params) });
  const text = await response.text();
  // Answers meant to reveal a secret: creating an endpoint, revealing and rotating its secret.
  const reveals = /\/secret(\/rotate)?$/.test(route.path) || (route.path === "/api/v1/endpoints" && route.method === "POST");
  if (!reveals) answers.push({ route: `${route.method} ${route.path}`, text });
  return { status: response.status, text };
}

/** Everything of workspace A that a request could read or change, in one comparable string. */
async function snapshotA(): Promise<string> {
  const where = { workspaceId: workspaceA };
  const [endpoints, eventTypes, messages, deliveries, attempts, keys] = await Promise.all([
    db.endpoint.findMany({ where, orderBy: { id: "asc" }, omit: { secretEnc: false, previousSecretEnc: false } as never }),
    db.eventType.findMany({ where, orderBy: { id: "asc" } }),
    db.message.findMany({ where, orderBy: { id: "asc" } }),
    db.delivery.findMany({ where, orderBy: { id: "asc" } }),
    db.attempt.findMany({ where, orderBy: { id: "asc" } }),
    db.apiKey.findMany({ where, orderBy: { id: "asc" }, select: { id: true, revokedAt: true, role: true, name: true } }),
  ]);
  return JSON.stringify({ endpoints, eventTypes, messages, deliveries, attempts, keys });
}

/** Row counts of every workspace: a refused request must leave them all as they were. */
async function counts(): Promise<string> {
  const tables = ["Endpoint", "EventType", "Message", "Delivery", "Attempt", "ApiKey", "Workspace", "Membership"];
  const rows = await Promise.all(tables.map((table) => db.$queryRawUnsafe<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM "${table}"`)));
  const endpointsHash = await db.$queryRawUnsafe<Array<{ h: string }>>(`SELECT md5(coalesce(string_agg(e::text, ',' ORDER BY id), '')) AS h FROM "Endpoint" e`);
  return JSON.stringify([rows.map((row) => row[0]!.n), endpointsHash[0]!.h]);
}

beforeAll(async () => {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    vi.spyOn(stream, "write").mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
      logs.push(String(chunk));
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write);
  }
  const testDb = await useTestDb();
  db = testDb.db;
  process.env.DATABASE_URL = testDb.url; // as the launcher sets it (the runs route reads the engine's tables)
  resetEnv();
  routes = await discoverRoutes();
  const a = await makeWorkspace("OWNER");
  workspaceA = a.workspaceId;
  ownerA = (await createApiKey(a, { name: "a" })).plaintext;
  const b = await makeWorkspace("OWNER");
  ownerB = (await createApiKey(b, { name: "b" })).plaintext;
  secrets.add(ownerA).add(ownerB);

  const endpointsRoute = routes.find((route) => route.path === "/api/v1/endpoints" && route.method === "POST")!;
  const headerValue = "Bearer fault-suite-header-secret-7f3a";
  secrets.add(headerValue);
  adminVisible.add(headerValue);
  const created = await call(endpointsRoute, ownerA, {
    params: {},
    body: JSON.stringify({ title: "A's endpoint", url: "http://127.0.0.1:9/a", headers: { Authorization: headerValue } }),
  });
  const endpoint = JSON.parse(created.text);
  ids.endpoint = endpoint.id;
  secrets.add(endpoint.secret);
  const eventTypes = routes.find((route) => route.path === "/api/v1/event-types" && route.method === "POST")!;
  await call(eventTypes, ownerA, { params: {}, body: JSON.stringify({ name: ids.eventType, description: "A's type" }) });
  const messages = routes.find((route) => route.path === "/api/v1/messages" && route.method === "POST")!;
  const message = JSON.parse((await call(messages, ownerA, { params: {}, body: JSON.stringify({ eventType: ids.eventType, payload: { a: "private-payload-of-a" } }) })).text);
  ids.message = message.id;
  ids.delivery = message.deliveries[0].id;
});

afterAll(() => {
  console.info(`[faults] api: ${figures.crawled} cross-workspace calls, ${figures.anonymous} anonymous calls, ${figures.fuzzed} fuzzed inputs`);
});

/** A body the route would accept from its own workspace (so a refusal is about ownership, not shape). */
function plausibleBody(route: Route): string {
  const bodies: Record<string, unknown> = {
    "POST /api/v1/endpoints/[id]/test": { eventType: ids.eventType, payload: { x: 1 } },
    "POST /api/v1/endpoints/[id]/recover": { since: new Date(Date.now() - 3600_000).toISOString() },
    "PATCH /api/v1/endpoints/[id]": { title: "taken over", url: "http://127.0.0.1:9/evil" },
    "PATCH /api/v1/event-types/[name]": { description: "taken over" },
    "POST /api/v1/endpoints/[id]/secret/rotate": { graceSeconds: 0 },
  };
  return JSON.stringify(bodies[`${route.method} ${route.path}`] ?? {});
}

describe("workspace isolation", () => {
  it("another workspace's key reads nothing and writes nothing of this one, on every route", async () => {
    const before = await snapshotA();
    const leaks: string[] = [];
    for (const route of routes) {
      const { status, text } = await call(route, ownerB, { params: paramsFor(route, ids), body: plausibleBody(route) });
      figures.crawled++;
      // Ids of A's rows must be refused; an account key (`[account]`) is the caller's own tenant-side name.
      const ownsIds = route.params.some((param) => param !== "account");
      if (ownsIds) expect([403, 404], `${route.method} ${route.path} → ${status}`).toContain(status);
      for (const value of [ids.endpoint, ids.message, ids.delivery, "private-payload-of-a", "A's endpoint", "A's type"]) {
        if (text.includes(value)) leaks.push(`${route.method} ${route.path} answered with ${value}`);
      }
    }
    expect(leaks).toEqual([]);
    expect(await snapshotA()).toBe(before);
    expect(figures.crawled).toBe(routes.length);
  });

  it("anonymous callers get 401 on every route", async () => {
    for (const route of routes) {
      if (route.path === "/api/v1/openapi.json") continue; // the public API description
      const { status } = await call(route, null, { params: paramsFor(route, ids), body: plausibleBody(route) });
      figures.anonymous++;
      expect(status, `${route.method} ${route.path}`).toBe(401);
    }
  });
});

describe("fuzz: every body and query", () => {
  const jsonish = fc.oneof(
    fc.jsonValue().map((value) => JSON.stringify(value)),
    fc.string(),
    fc.constantFrom("{", "[]", "null", '{"payload":', "\u0000", "{\"eventType\":\"x\",\"payload\":{}}"),
    fc
      .record(
        {
          title: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
          url: fc.oneof(fc.webUrl(), fc.string(), fc.constant("http://127.0.0.1:9/x")),
          eventType: fc.oneof(fc.constant(ids.eventType), fc.string()),
          eventTypes: fc.array(fc.string()),
          payload: fc.oneof(fc.object(), fc.jsonValue()),
          name: fc.string(),
          since: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.string()),
          headers: fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer())),
          secretHeaders: fc.oneof(fc.array(fc.string()), fc.constant(["Authorization"]), fc.jsonValue()),
          filter: fc.jsonValue(),
          retryPolicy: fc.jsonValue(),
          signature: fc.jsonValue(),
          timeoutMs: fc.oneof(fc.integer(), fc.double()),
          schema: fc.jsonValue(),
          graceSeconds: fc.oneof(fc.integer(), fc.string()),
          idempotencyKey: fc.string(),
        },
        { requiredKeys: [] },
      )
      .map((value) => JSON.stringify(value)),
  );
  const query = fc
    .dictionary(fc.constantFrom("limit", "cursor", "status", "eventType", "account", "outcome", "since", "functionId", "x"), fc.string(), { maxKeys: 4 })
    .map((params) => `?${new URLSearchParams(params).toString()}`);

  it("never answers 5xx, and a refused request leaves every row as it was", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1000 }), jsonish, query, async (index, body, search) => {
        const route = routes[index % routes.length]!;
        if (route.method === "DELETE") return; // a valid delete removes the fixtures the other cases need
        const before = await counts();
        const { status, text } = await call(route, ownerA, { params: paramsFor(route, ids), body, query: search });
        figures.fuzzed++;
        // With no executor in this file, a request that must queue work answers 503 "executor_unavailable", by design.
        const unavailable = status === 503 && JSON.parse(text).error?.code === "executor_unavailable";
        if (!unavailable) expect(status, `${route.method} ${route.path} ${search} ${body.slice(0, 200)} → ${text.slice(0, 200)}`).toBeLessThan(500);
        if (status >= 400) expect(await counts(), `${route.method} ${route.path} half-wrote`).toBe(before);
      }),
      { numRuns: Number(process.env.FAULTS_FUZZ_RUNS ?? 400) },
    );
  });
});

describe("secrets never leave except where they are meant to", () => {
  it("0 of the secrets this suite created appear in any answer or log line", () => {
    const found: string[] = [];
    for (const secret of secrets) {
      for (const answer of answers) {
        if (adminVisible.has(secret) && /^\S+ \/api\/v1\/endpoints(\/\[id\](\/(enable|disable))?)?$/.test(answer.route)) continue;
        if (answer.text.includes(secret)) found.push(`${answer.route}: ${secret.slice(0, 12)}…`);
      }
      for (const line of logs) if (line.includes(secret)) found.push(`log: ${secret.slice(0, 12)}… in ${line.slice(0, 300)}`);
    }
    expect(found).toEqual([]);
    expect(answers.length).toBeGreaterThan(0);
  });
});
