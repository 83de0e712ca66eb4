import http from "node:http";
import type { AddressInfo } from "node:net";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnv } from "@/lib/env";
import { startTracing } from "@/lib/otel";
import { inSpan } from "@/lib/tracing";
import { makeWorkspace } from "@/tests/helpers/factories";
import { useTestDb } from "@/tests/helpers/services";
import { waitFor } from "@/tests/fixtures/engine/helpers";
import type { Db } from "@/lib/db/client";

process.env.HOOKLINE_ALLOW_PRIVATE_NETWORKS = "true";
process.env.HOOKLINE_ENCRYPTION_KEY = Buffer.alloc(32, 5).toString("base64");
resetEnv();

const exporter = new InMemorySpanExporter();
const provider = startTracing("hookline-test", { processor: new SimpleSpanProcessor(exporter) });

let db: Db;
let stopStack = async () => {};
let publish: typeof import("@/lib/features/messages/publish").publish;
let createEndpoint: typeof import("@/lib/features/endpoints/service").createEndpoint;

beforeAll(async () => {
  let url: string;
  ({ db, url } = await useTestDb());
  const { startDeliveryStack } = await import("@/tests/fixtures/delivery/stack");
  stopStack = (await startDeliveryStack({ databaseUrl: url })).stop;
  publish = (await import("@/lib/features/messages/publish")).publish;
  createEndpoint = (await import("@/lib/features/endpoints/service")).createEndpoint;
});
afterAll(async () => {
  await stopStack();
  await provider.shutdown();
});

describe("traces", () => {
  it("follow an event from the publish request through the deliver run to each attempt, and stay inside Hookline", async () => {
    const headers: http.IncomingHttpHeaders[] = [];
    const server = http.createServer((request, response) => {
      headers.push(request.headers);
      request.resume().on("end", () => response.writeHead(headers.length === 1 ? 500 : 200).end("{}"));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    afterAll(() => void server.close());
    const ctx = await makeWorkspace();
    await createEndpoint(ctx, {
      title: "traced",
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
      retryPolicy: { preset: "custom", delaysMs: [1000] },
    });
    // Next.js opens this span for the request; here the test plays that part.
    const published = await inSpan("POST /api/v1/messages", {}, () => publish(ctx, { eventType: "call:completed", payload: { n: 1 } }));
    const deliveryId = published.deliveries[0]!.id;
    await waitFor(async () => (await db.delivery.findUniqueOrThrow({ where: { id: deliveryId } })).status === "SUCCEEDED", 20_000, "delivery");

    const spans = exporter.getFinishedSpans();
    const request = spans.find((span) => span.name === "POST /api/v1/messages")!;
    const publishSpan = spans.find((span) => span.name === "hookline.publish")!;
    const attempts = spans.filter((span) => span.name === "hookline.deliver.attempt" && span.attributes["hookline.delivery_id"] === deliveryId);
    expect(publishSpan.spanContext().traceId).toBe(request.spanContext().traceId);
    expect(publishSpan.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(attempts.map((span) => [span.attributes["hookline.attempt"], span.attributes["hookline.outcome"], span.attributes["http.response.status_code"]])).toEqual([
      [1, "failure", 500],
      [2, "success", 200],
    ]);
    for (const attempt of attempts) {
      expect(attempt.spanContext().traceId).toBe(request.spanContext().traceId);
      expect(attempt.parentSpanContext?.spanId).toBe(publishSpan.spanContext().spanId);
    }
    // The trace stays ours: receivers get no traceparent.
    expect(headers).toHaveLength(2);
    for (const received of headers) expect(received.traceparent).toBeUndefined();
  });
});
