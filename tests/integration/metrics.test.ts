import "@/tests/helpers/no-executor-env";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { resetEnv } from "@/lib/env";
import { createApiKey } from "@/lib/features/settings/api-keys";
import { startMetricsServer } from "@/lib/metrics-server";
import type { HooklineClient } from "@/lib/openapi/client";
import * as metricsRoute from "@/app/api/metrics/route";
import { testClient } from "@/tests/helpers/api-client";
import { makeWorkspace } from "@/tests/helpers/factories";
import { startReceiver, type Receiver } from "@/tests/helpers/receiver";
import { useTestDb } from "@/tests/helpers/services";

const TOKEN = "metrics-token-0123456789";
process.env.HOOKLINE_ALLOW_PRIVATE_NETWORKS = "true";
process.env.HOOKLINE_METRICS_TOKEN = TOKEN;
resetEnv();

let api: HooklineClient;
let receiver: Receiver;

async function scrape(authorization?: string) {
  const headers: Record<string, string> = authorization ? { authorization } : {};
  const response = await metricsRoute.GET(new NextRequest("http://hookline.test/api/metrics", { headers }));
  return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
}

/** The value of one sample, e.g. value(text, 'hookline_attempts_total{outcome="success",trigger="TEST"}'). */
function value(text: string, sample: string): number {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${sample} `));
  return line ? Number(line.slice(sample.length + 1)) : Number.NaN;
}

beforeAll(async () => {
  await useTestDb();
  api = testClient((await createApiKey(await makeWorkspace("OWNER"), { name: "metrics" })).plaintext);
  receiver = await startReceiver();
});

describe("/api/metrics", () => {
  it("needs the metrics token", async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape("Bearer wrong-token-0123456789")).status).toBe(401);
    const ok = await scrape(`Bearer ${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.type).toContain("text/plain");
  });

  it("moves with publishes, attempts, the backlog and endpoint state", async () => {
    const before = (await scrape(`Bearer ${TOKEN}`)).text;
    expect(value(before, 'hookline_delivery_backlog{state="due"}')).toBe(0);

    const endpoint = (await api.POST("/endpoints", { body: { title: "Receiver", url: `${receiver.url}/hook` } })).data!;
    for (let i = 0; i < 3; i++) await api.POST("/messages", { body: { eventType: "call:completed", payload: { i } } });
    await api.POST("/messages", { body: { eventType: "call:completed", payload: { i: 0 }, idempotencyKey: "k1" } });
    await api.POST("/messages", { body: { eventType: "call:completed", payload: { i: 0 }, idempotencyKey: "k1" } });
    // Two real attempts against the loopback receiver: one success, one 500.
    receiver.respond({ status: 200 }, { status: 500 });
    const id = { params: { path: { id: endpoint.id } } };
    await api.POST("/endpoints/{id}/test", { ...id, body: { eventType: "call:completed" } });
    await api.POST("/endpoints/{id}/test", { ...id, body: { eventType: "call:completed" } });
    await api.POST("/endpoints/{id}/disable", id);

    const after = (await scrape(`Bearer ${TOKEN}`)).text;
    expect(value(after, 'hookline_messages_published_total{result="created"}')).toBe(4);
    expect(value(after, 'hookline_messages_published_total{result="duplicate"}')).toBe(1);
    expect(value(after, "hookline_publish_duration_seconds_count")).toBe(5);
    expect(value(after, 'hookline_attempts_total{outcome="success",trigger="TEST"}')).toBe(1);
    expect(value(after, 'hookline_attempts_total{outcome="failure",trigger="TEST"}')).toBe(1);
    expect(value(after, 'hookline_attempt_duration_seconds_count{outcome="success"}')).toBe(1);
    expect(value(after, 'hookline_attempt_duration_seconds_bucket{le="+Inf",outcome="failure"}')).toBe(1);
    // No executor here: the four deliveries wait, due now.
    expect(value(after, 'hookline_delivery_backlog{state="due"}')).toBe(4);
    expect(value(after, 'hookline_delivery_backlog{state="in_flight"}')).toBe(0);
    expect(value(after, 'hookline_deliveries{status="PENDING"}')).toBe(4);
    expect(value(after, "hookline_delivery_oldest_due_seconds")).toBeGreaterThanOrEqual(0);
    // None waits in an endpoint's backlog (no lane was full).
    expect(value(after, 'hookline_delivery_backlog{state="deferred"}')).toBe(0);
    expect(value(after, "hookline_delivery_backlog_oldest_seconds")).toBe(0);
    expect(value(after, 'hookline_endpoints{state="disabled"}')).toBe(1);
    expect(value(after, 'hookline_endpoints{state="enabled"}')).toBe(0);
    expect(after).toContain("# TYPE hookline_engine_runs gauge");

    // Finished and paused deliveries are read from the database as well (apart from those on their way).
    const [first, second] = await db().delivery.findMany({ orderBy: { createdAt: "asc" }, take: 2 });
    await db().delivery.update({ where: { id: first!.id }, data: { status: "SUCCEEDED", nextAttemptAt: null } });
    await db().delivery.update({ where: { id: second!.id }, data: { status: "PAUSED" } });
    const moved = (await scrape(`Bearer ${TOKEN}`)).text;
    const status = (text: string, name: string) => value(text, `hookline_deliveries{status="${name}"}`);
    // The two test sends' deliveries: one succeeded, one failed.
    expect(status(after, "SUCCEEDED")).toBe(1);
    expect(status(after, "FAILED")).toBe(1);
    expect(status(moved, "SUCCEEDED")).toBe(2);
    expect(status(moved, "FAILED")).toBe(1);
    expect(status(moved, "PAUSED")).toBe(1);
    expect(status(moved, "PENDING")).toBe(2);
    expect(value(moved, 'hookline_delivery_backlog{state="due"}')).toBe(2);

    // The engine's runs: those on their way and finished ones come from two counts (lib/metrics.ts).
    await db().$executeRawUnsafe(`INSERT INTO inngest_engine.events (id, name, payload) VALUES ('evt_metrics', 'test/metrics', '{}')`);
    await db().$executeRawUnsafe(
      `INSERT INTO inngest_engine.runs (id, function_id, event_id, event_name, status)
       SELECT 'run_metrics_' || n, 'hookline-metrics-fn', 'evt_metrics', 'test/metrics', s
         FROM unnest(ARRAY['RUNNING', 'SLEEPING', 'SLEEPING', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'FAILED']) WITH ORDINALITY AS t(s, n)`,
    );
    const withRuns = (await scrape(`Bearer ${TOKEN}`)).text;
    const runs = (status: string) => value(withRuns, `hookline_engine_runs{function="hookline-metrics-fn",status="${status}"}`);
    expect([runs("RUNNING"), runs("SLEEPING"), runs("COMPLETED"), runs("FAILED")]).toEqual([1, 2, 3, 1]);

    // A batch counts each of its messages (one repeats a key) and its request's duration once.
    const batch = await api.POST("/messages/batch", {
      body: { messages: [{ eventType: "call:completed", payload: { b: 1 } }, { eventType: "call:completed", payload: { b: 2 } }, { eventType: "call:completed", payload: { i: 0 }, idempotencyKey: "k1" }] },
    });
    expect(batch.response.status).toBe(202);
    const afterBatch = (await scrape(`Bearer ${TOKEN}`)).text;
    expect(value(afterBatch, 'hookline_messages_published_total{result="created"}')).toBe(6);
    expect(value(afterBatch, 'hookline_messages_published_total{result="duplicate"}')).toBe(2);
    expect(value(afterBatch, "hookline_publish_duration_seconds_count")).toBe(6);
  });

  it("serves the same registry on a loopback-only listener", async () => {
    const server = await startMetricsServer(0);
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const text = await (await fetch(server.url)).text();
      expect(value(text, 'hookline_messages_published_total{result="created"}')).toBe(6);
      expect((await fetch(server.url.replace("/metrics", "/other"))).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
