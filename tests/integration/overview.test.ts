import { beforeAll, describe, expect, it } from "vitest";
import type { ServiceContext } from "@/lib/context";
import type { Db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { listEndpointsWithStats } from "@/lib/features/endpoints/queries";
import { getOverview } from "@/lib/features/overview/queries";
import { makeWorkspace } from "@/tests/helpers/factories";
import { useTestDb } from "@/tests/helpers/services";

let db: Db;
beforeAll(async () => {
  ({ db } = await useTestDb());
});

const HOUR = 3_600_000;

async function endpoint(ctx: ServiceContext, title: string, extra: Record<string, unknown> = {}) {
  return db.endpoint.create({ data: { id: newId("ep"), workspaceId: ctx.workspaceId, title, url: "https://example.test/hook", secretEnc: "x", ...extra } });
}

/** A message, its delivery and one attempt per outcome given, `ageMs` ago. */
async function delivered(ctx: ServiceContext, endpointId: string, outcomes: Array<{ ok: boolean; ageMs?: number; status?: number; durationMs?: number; test?: boolean }>) {
  const message = await db.message.create({ data: { id: newId("msg"), workspaceId: ctx.workspaceId, eventType: "call:completed", body: "{}", test: outcomes.some((outcome) => outcome.test) } });
  const delivery = await db.delivery.create({
    data: { id: newId("dlv"), workspaceId: ctx.workspaceId, messageId: message.id, endpointId, status: outcomes.at(-1)?.ok ? "SUCCEEDED" : "FAILED" },
  });
  let number = 0;
  for (const outcome of outcomes) {
    await db.attempt.create({
      data: {
        id: newId("att"),
        workspaceId: ctx.workspaceId,
        deliveryId: delivery.id,
        messageId: message.id,
        endpointId,
        eventType: "call:completed",
        number: ++number,
        trigger: outcome.test ? "TEST" : "SCHEDULED",
        outcome: outcome.ok ? "SUCCESS" : "FAILURE",
        requestUrl: "https://example.test/hook",
        requestHeaders: {},
        responseStatus: outcome.status ?? (outcome.ok ? 200 : 500),
        durationMs: outcome.durationMs ?? 100,
        createdAt: new Date(Date.now() - (outcome.ageMs ?? 0)),
      },
    });
  }
}

describe("overview stats", () => {
  it("is empty for a new workspace, with a checklist of what is set up", async () => {
    const ctx = await makeWorkspace();
    await endpoint(ctx, "Only endpoint");
    const overview = await getOverview(ctx);
    expect(overview.hasDeliveries).toBe(false);
    expect(overview.setup).toEqual({ endpoints: 1, eventTypes: 0, hasMessages: false });
    expect(overview.kpis).toMatchObject({ messages24h: 0, deliveries24h: 0, attempts24h: 0, successRate24h: null, p50Ms: null, p95Ms: null });
    expect(overview.series.hourly).toHaveLength(24);
    expect(overview.series.daily).toHaveLength(14);
    expect(overview.attention).toEqual([]);
    expect(overview.recentFailures).toEqual([]);
  });

  it("counts attempts per hour and day, success rate and percentiles, scoped to the workspace and without test sends", async () => {
    const ctx = await makeWorkspace();
    const other = await makeWorkspace();
    const good = await endpoint(ctx, "Good");
    const bad = await endpoint(ctx, "Bad", { consecutiveFailures: 2 });
    const off = await endpoint(ctx, "Off", { enabled: false, disabledReason: "10 consecutive deliveries failed", disabledAt: new Date() });
    await delivered(ctx, good.id, [{ ok: true, durationMs: 100 }]);
    await delivered(ctx, good.id, [{ ok: true, durationMs: 200, ageMs: 2 * HOUR }]);
    await delivered(ctx, bad.id, [{ ok: false, durationMs: 300 }, { ok: false, status: 503, durationMs: 1000 }]);
    await delivered(ctx, good.id, [{ ok: false, test: true }]); // a Send test: not counted
    await delivered(ctx, good.id, [{ ok: true, ageMs: 3 * 24 * HOUR }]); // outside the 24 h window, inside 14 days
    const foreign = await endpoint(other, "Foreign");
    await delivered(other, foreign.id, [{ ok: false }]);

    const overview = await getOverview(ctx);
    expect(overview.hasDeliveries).toBe(true);
    expect(overview.kpis).toMatchObject({ messages24h: 4, deliveries24h: 5, attempts24h: 4, succeeded24h: 2, successRate24h: 0.5 });
    expect(overview.kpis.p50Ms).toBe(250);
    expect(overview.kpis.p95Ms).toBeGreaterThan(800);

    const hourly = overview.series.hourly;
    expect(hourly.at(-1)).toMatchObject({ succeeded: 1, failed: 2 });
    expect(hourly.at(-3)).toMatchObject({ succeeded: 1, failed: 0 });
    expect(hourly.reduce((sum, bucket) => sum + bucket.succeeded + bucket.failed, 0)).toBe(4);
    expect(new Date(hourly.at(-1)!.bucket).getTime()).toBeLessThanOrEqual(Date.now());
    expect(Date.now() - new Date(hourly.at(-1)!.bucket).getTime()).toBeLessThan(HOUR);
    expect(overview.series.daily.reduce((sum, bucket) => sum + bucket.succeeded + bucket.failed, 0)).toBe(5);

    expect(overview.attention.map((item) => item.title)).toEqual(["Off", "Bad"]);
    expect(overview.attention[0]).toMatchObject({ enabled: false, reason: "10 consecutive deliveries failed" });
    expect(overview.attention[1]!.reason).toContain("2 deliveries failed in a row");
    expect(overview.attention[1]!.reason).toContain("HTTP 503");
    expect(overview.attention[1]).toMatchObject({ failed24h: 2, attempts24h: 2 });
    expect(overview.attention.map((item) => item.id)).toEqual([off.id, bad.id]);

    expect(overview.recentFailures).toHaveLength(2);
    expect(overview.recentFailures[0]).toMatchObject({ endpointTitle: "Bad", responseStatus: 503, number: 2 });

    // The endpoints list counts the same way: its Send test is not in its 24 h rate.
    const listed = await listEndpointsWithStats(ctx);
    expect(listed.find((item) => item.id === good.id)!.stats).toMatchObject({ attempts24h: 2, succeeded24h: 2, successRate24h: 1 });
    expect(listed.find((item) => item.id === bad.id)!.stats).toMatchObject({ attempts24h: 2, succeeded24h: 0 });
  });
});
