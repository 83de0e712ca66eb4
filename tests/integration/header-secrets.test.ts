import "@/tests/helpers/no-executor-env";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { ServiceContext } from "@/lib/context";
import { isSealed, MASK } from "@/lib/crypto/header-box";
import type { Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { attemptDelivery } from "@/lib/delivery/attempt";
import { resetEnv } from "@/lib/env";
import { createEndpoint, getEndpoint, listEndpoints, updateEndpoint } from "@/lib/features/endpoints/service";
import { publish } from "@/lib/features/messages/publish";
import { makeWorkspace } from "@/tests/helpers/factories";
import { startReceiver, type Receiver } from "@/tests/helpers/receiver";
import { useTestDb } from "@/tests/helpers/services";

process.env.HOOKLINE_ALLOW_PRIVATE_NETWORKS = "true";

let db: Db;
let url: string;
let receiver: Receiver;
let admin: ServiceContext;
let viewer: ServiceContext;
const HEADERS = { Authorization: "Bearer sk_live_header_secret_1", "X-Auth": "xauth_secret_2", "X-Tenant": "tenant_value_3" };
const VALUES = Object.values(HEADERS);

beforeAll(async () => {
  vi.spyOn(console, "error").mockImplementation(() => {});
  resetEnv();
  ({ db, url } = await useTestDb());
  receiver = await startReceiver();
  admin = await makeWorkspace("OWNER");
  viewer = { ...admin, role: "VIEWER" };
});

async function storedHeaders(id: string): Promise<Record<string, string>> {
  const [row] = await db.$queryRawUnsafe<Array<{ headers: Record<string, string> }>>(`SELECT headers FROM "Endpoint" WHERE id = $1`, id);
  return row!.headers;
}

async function deliverOnce(endpointId: string) {
  const published = await publish(admin, { eventType: "call:completed", payload: { n: 1 } });
  const delivery = published.deliveries.find((d) => d.endpointId === endpointId)!;
  await attemptDelivery(delivery.id, { trigger: "SCHEDULED", scheduleAttempt: 1 });
  return db.attempt.findFirstOrThrow({ where: { deliveryId: delivery.id } });
}

describe("custom header values are secrets (finding 4)", () => {
  it("are encrypted at rest, shown to admins, masked for viewers", async () => {
    const endpoint = await createEndpoint(admin, { title: "H", url: `${receiver.url}/h`, headers: HEADERS });
    expect(endpoint.headers).toEqual(HEADERS);
    const stored = await storedHeaders(endpoint.id);
    expect(Object.keys(stored).sort()).toEqual(Object.keys(HEADERS).sort());
    expect(Object.values(stored).every(isSealed)).toBe(true);
    for (const value of VALUES) expect(JSON.stringify(stored)).not.toContain(value);

    expect((await getEndpoint(admin, endpoint.id)).headers).toEqual(HEADERS);
    const seen = await getEndpoint(viewer, endpoint.id);
    expect(seen.headers).toEqual({ Authorization: MASK, "X-Auth": MASK, "X-Tenant": MASK });
    for (const value of VALUES) expect(JSON.stringify(await listEndpoints(viewer))).not.toContain(value);

    // A PATCH of something else keeps the values (and keeps them sealed).
    await updateEndpoint(admin, endpoint.id, { title: "Renamed" });
    expect((await getEndpoint(admin, endpoint.id)).headers).toEqual(HEADERS);
    expect(Object.values(await storedHeaders(endpoint.id)).every(isSealed)).toBe(true);
  });

  it("reach the receiver in clear but are redacted in the stored attempt", async () => {
    const endpoint = await createEndpoint(admin, { title: "Send", url: `${receiver.url}/send`, headers: HEADERS });
    const attempt = await deliverOnce(endpoint.id);
    const received = receiver.requests.at(-1)!;
    expect(received.headers.authorization).toBe(HEADERS.Authorization);
    expect(received.headers["x-auth"]).toBe(HEADERS["X-Auth"]);
    expect(received.headers["x-tenant"]).toBe(HEADERS["X-Tenant"]);
    const kept = attempt.requestHeaders as Record<string, string>;
    expect(kept.Authorization).toBe("[redacted]");
    expect(kept["X-Auth"]).toBe("[redacted]");
    expect(kept["X-Tenant"]).toBe("[redacted]");
    for (const value of VALUES) expect(JSON.stringify(attempt)).not.toContain(value);
  });

  it("the start-up migration encrypts values stored in clear by earlier versions", async () => {
    const endpoint = await createEndpoint(admin, { title: "Legacy", url: `${receiver.url}/legacy` });
    await db.$executeRawUnsafe(`UPDATE "Endpoint" SET headers = $2::jsonb WHERE id = $1`, endpoint.id, JSON.stringify(HEADERS));
    // Before the migration runs, the clear values still work.
    expect((await getEndpoint(admin, endpoint.id)).headers).toEqual(HEADERS);
    await migrate(url);
    const stored = await storedHeaders(endpoint.id);
    expect(Object.values(stored).every(isSealed)).toBe(true);
    await migrate(url); // idempotent: sealed values are not sealed twice
    expect(await storedHeaders(endpoint.id)).toEqual(stored);
    await deliverOnce(endpoint.id);
    expect(receiver.requests.at(-1)!.headers.authorization).toBe(HEADERS.Authorization);
  });

  it("a header marked not secret is visible to viewers and kept in attempts; credential-looking names stay secret", async () => {
    const headers = { ...HEADERS, "X-Api-Key": "apikey_secret_4", "X-Region": "eu-west" };
    // Authorization and X-Api-Key are left unmarked: their names look like credentials, so they are secret anyway.
    const endpoint = await createEndpoint(admin, { title: "Flags", url: `${receiver.url}/flags`, headers, secretHeaders: ["X-Tenant"] });
    expect([...endpoint.secretHeaders].sort()).toEqual(["Authorization", "X-Api-Key", "X-Auth", "X-Tenant"]);
    expect(Object.values(await storedHeaders(endpoint.id)).every(isSealed)).toBe(true); // every value sealed at rest
    const seen = await getEndpoint(viewer, endpoint.id);
    expect(seen.headers).toEqual({ Authorization: MASK, "X-Auth": MASK, "X-Tenant": MASK, "X-Api-Key": MASK, "X-Region": "eu-west" });
    expect(seen.secretHeaders).toEqual(endpoint.secretHeaders);

    const attempt = await deliverOnce(endpoint.id);
    expect(receiver.requests.at(-1)!.headers["x-api-key"]).toBe("apikey_secret_4");
    const kept = attempt.requestHeaders as Record<string, string>;
    expect(kept["X-Region"]).toBe("eu-west");
    for (const name of ["Authorization", "X-Auth", "X-Tenant", "X-Api-Key"]) expect(kept[name], name).toBe("[redacted]");
  });

  it("an update that does not say keeps each header's setting, and a new header starts secret", async () => {
    const endpoint = await createEndpoint(admin, { title: "Keep", url: `${receiver.url}/keep`, headers: { "X-Region": "eu", "X-Team": "a" }, secretHeaders: [] });
    expect(endpoint.secretHeaders).toEqual([]);
    const updated = await updateEndpoint(admin, endpoint.id, { headers: { "X-Region": "us", "X-Team": "a", "X-New": "n" } });
    expect(updated.secretHeaders).toEqual(["X-New"]);
    expect((await getEndpoint(viewer, endpoint.id)).headers).toEqual({ "X-Region": "us", "X-Team": "a", "X-New": MASK });
    const marked = await updateEndpoint(admin, endpoint.id, { secretHeaders: ["x-team"] }); // names match case-insensitively
    expect(marked.secretHeaders).toEqual(["X-Team"]);
  });

  it("endpoints saved before the flag keep every header secret; an unknown name is a 400", async () => {
    const endpoint = await createEndpoint(admin, { title: "Old", url: `${receiver.url}/old`, headers: { "X-Region": "eu" }, secretHeaders: [] });
    await db.$executeRawUnsafe(`UPDATE "Endpoint" SET "visibleHeaders" = DEFAULT WHERE id = $1`, endpoint.id); // as the migration leaves old rows
    expect((await getEndpoint(viewer, endpoint.id)).headers).toEqual({ "X-Region": MASK });
    await expect(updateEndpoint(admin, endpoint.id, { secretHeaders: ["X-Regoin"] })).rejects.toMatchObject({
      status: 400,
      details: [expect.objectContaining({ path: "secretHeaders.0", message: "X-Regoin is not one of the custom headers" })],
    });
  });
});
