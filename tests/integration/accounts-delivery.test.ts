import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnv } from "@/lib/env";
import { makeWorkspace } from "@/tests/helpers/factories";
import { startReceiver } from "@/tests/helpers/receiver";
import { useTestDb } from "@/tests/helpers/services";
import { waitFor } from "@/tests/fixtures/engine/helpers";
import type { Db } from "@/lib/db/client";

process.env.HOOKLINE_ALLOW_PRIVATE_NETWORKS = "true";
process.env.HOOKLINE_ENCRYPTION_KEY = Buffer.alloc(32, 5).toString("base64");
resetEnv();

let db: Db;
let services: {
  createEndpoint: typeof import("@/lib/features/endpoints/service").createEndpoint;
  publish: typeof import("@/lib/features/messages/publish").publish;
};
let stopStack = async () => {};

beforeAll(async () => {
  let url: string;
  ({ db, url } = await useTestDb());
  const { startDeliveryStack } = await import("@/tests/fixtures/delivery/stack");
  stopStack = (await startDeliveryStack({ databaseUrl: url })).stop;
  services = {
    createEndpoint: (await import("@/lib/features/endpoints/service")).createEndpoint,
    publish: (await import("@/lib/features/messages/publish")).publish,
  };
});
afterAll(() => stopStack());

describe("accounts own endpoints (real receivers, local engine)", () => {
  it("an account's messages never reach another account's endpoints; workspace-wide endpoints receive as configured", async () => {
    const ctx = await makeWorkspace();
    const [acc1, acc2, wide, wideLong] = await Promise.all([startReceiver(), startReceiver(), startReceiver(), startReceiver()]);
    await services.createEndpoint(ctx, { title: "acc_1", url: `${acc1.url}/hook`, account: "acc_1" });
    // An owner is a boundary, not a filter: a filter naming acc_2 does not open acc_1's endpoint to acc_2.
    await services.createEndpoint(ctx, { title: "acc_2", url: `${acc2.url}/hook`, account: "acc_2", filter: { accounts: ["acc_1", "acc_2"] } });
    await services.createEndpoint(ctx, { title: "everything", url: `${wide.url}/hook` });
    await services.createEndpoint(ctx, {
      title: "long calls of acc_1",
      url: `${wideLong.url}/hook`,
      filter: { accounts: ["acc_1"], rules: [{ path: "duration", op: "gte", value: 30 }] },
    });

    const sent = [
      { account: "acc_1", duration: 45 },
      { account: "acc_2", duration: 50 },
      { account: "acc_1", duration: 10 },
      { account: null, duration: 99 },
      { account: "acc_3", duration: 60 },
    ];
    for (const [index, call] of sent.entries()) {
      await services.publish(ctx, {
        eventType: "call:completed",
        ...(call.account ? { account: call.account } : {}),
        payload: { call_id: `c${index}`, duration: call.duration },
      });
    }
    // The account can also come from the payload's own `account` field (call tracking puts it there).
    await services.publish(ctx, { eventType: "call:completed", payload: { call_id: "c5", account: "acc_2", duration: 5 } });

    await waitFor(async () => wide.requests.length === 6 && acc1.requests.length === 2 && acc2.requests.length === 2 && wideLong.requests.length === 1, 20_000, "deliveries");
    // Give any wrong delivery time to show up before asserting it did not happen.
    await waitFor(async () => (await db.delivery.count({ where: { status: { notIn: ["SUCCEEDED"] } } })) === 0, 20_000, "all deliveries done");
    const ids = (receiver: { requests: Array<{ body: Buffer }> }) =>
      receiver.requests.map((request) => (JSON.parse(request.body.toString()) as { call_id: string }).call_id).sort();
    expect(ids(acc1)).toEqual(["c0", "c2"]);
    expect(ids(acc2)).toEqual(["c1", "c5"]);
    expect(ids(wide)).toEqual(["c0", "c1", "c2", "c3", "c4", "c5"]);
    expect(ids(wideLong)).toEqual(["c0"]);
  });
});
