import "@/tests/helpers/no-executor-env";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "@/lib/db/client";
import { attemptDelivery } from "@/lib/delivery/attempt";
import { createEndpoint } from "@/lib/features/endpoints/service";
import { resetEnv } from "@/lib/env";
import { publish } from "@/lib/features/messages/publish";
import { makeWorkspace } from "@/tests/helpers/factories";
import { startReceiver, type Receiver } from "@/tests/helpers/receiver";
import { useTestDb } from "@/tests/helpers/services";

process.env.HOOKLINE_ALLOW_PRIVATE_NETWORKS = "true";

let db: Db;
let receiver: Receiver;

beforeAll(async () => {
  vi.spyOn(console, "error").mockImplementation(() => {}); // the failed inngest.send is expected
  resetEnv();
  ({ db } = await useTestDb());
  receiver = await startReceiver();
});

/** The attempt core reads and claims in one statement; these pin what that statement must keep. */
describe("the attempt core's claim", () => {
  it("hands the claim back, exactly as it was, when the endpoint's secret cannot be decrypted", async () => {
    const ctx = await makeWorkspace();
    const endpoint = await createEndpoint(ctx, { title: "Receiver", url: `${receiver.url}/hook` });
    const published = await publish(ctx, { eventType: "thing.happened", payload: { n: 1 } });
    const deliveryId = published.deliveries[0]!.id;
    const nextAttemptAt = new Date("2030-01-02T03:04:05.678Z");
    await db.delivery.update({ where: { id: deliveryId }, data: { nextAttemptAt } });
    await db.endpoint.update({ where: { id: endpoint.id }, data: { secretEnc: "v1.not.a.box" } });
    const before = receiver.requests.length;

    await expect(attemptDelivery(deliveryId, { trigger: "SCHEDULED", scheduleAttempt: 1 })).rejects.toThrow();
    const row = await db.delivery.findUniqueOrThrow({ where: { id: deliveryId } });
    expect(row).toMatchObject({ status: "PENDING", leaseExpiresAt: null, nextAttemptAt, attemptCount: 0 });
    expect(receiver.requests.length).toBe(before);
    expect(await db.attempt.count({ where: { deliveryId } })).toBe(0);
  });

  it("never claims a delivery whose lease is still running; claims it once the lease ran out", async () => {
    const ctx = await makeWorkspace();
    await createEndpoint(ctx, { title: "Receiver", url: `${receiver.url}/hook` });
    const published = await publish(ctx, { eventType: "thing.happened", payload: { n: 2 } });
    const deliveryId = published.deliveries[0]!.id;
    const leaseExpiresAt = new Date(Date.now() + 60_000);
    await db.delivery.update({ where: { id: deliveryId }, data: { status: "SENDING", leaseExpiresAt } });

    const waiting = await attemptDelivery(deliveryId, { trigger: "SCHEDULED", scheduleAttempt: 1 });
    expect(waiting).toMatchObject({ attemptId: null, next: { action: "retry", retryAt: leaseExpiresAt.toISOString() } });
    await expect(attemptDelivery(deliveryId, { trigger: "MANUAL" })).rejects.toMatchObject({ status: 409 });
    expect(await db.delivery.findUniqueOrThrow({ where: { id: deliveryId } })).toMatchObject({ status: "SENDING", leaseExpiresAt });

    await db.delivery.update({ where: { id: deliveryId }, data: { leaseExpiresAt: new Date(Date.now() - 1) } });
    const sent = await attemptDelivery(deliveryId, { trigger: "SCHEDULED", scheduleAttempt: 1 });
    expect(sent).toMatchObject({ ok: true, number: 1, next: { action: "succeeded" } });
    expect(await db.delivery.findUniqueOrThrow({ where: { id: deliveryId } })).toMatchObject({ status: "SUCCEEDED", leaseExpiresAt: null, attemptCount: 1 });
  });
});
