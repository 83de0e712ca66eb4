import "@/tests/helpers/no-executor-env";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import type { ServiceContext } from "@/lib/context";
import type { Db } from "@/lib/db/client";
import { resetEnv } from "@/lib/env";
import { createEndpoint } from "@/lib/features/endpoints/service";
import { publish } from "@/lib/features/messages/publish";
import * as portal from "@/lib/features/portal/actions";
import { createPortalLink } from "@/lib/features/portal/links";
import { createApiKey } from "@/lib/features/settings/api-keys";
import { assertDocumented, routeFetch } from "@/tests/helpers/api-client";
import { makeWorkspace } from "@/tests/helpers/factories";
import { useTestDb } from "@/tests/helpers/services";
import * as endpointsRoute from "@/app/api/v1/endpoints/route";
import * as portalRoute from "@/app/api/v1/accounts/[account]/portal/route";
import PortalMessagePage from "@/app/portal/[token]/messages/[id]/page";

process.env.HOOKLINE_ALLOW_PRIVATE_NETWORKS = "true";
resetEnv();

let db: Db;
let ctxA: ServiceContext;
let ctxB: ServiceContext;
const ids = {} as Record<"own" | "other" | "wide" | "otherWorkspace", string>;
const messages = {} as Record<"own" | "other" | "otherWorkspace", string>;
let token: string;
let readOnlyToken: string;
let expiredToken: string;

const base = "http://hookline.test";
const tokenOf = (url: string) => new URL(url).pathname.split("/")[2]!;

/** Everything a portal session could change, to prove a refused call changed nothing. */
async function snapshot() {
  const [endpoints, messages, deliveries, attempts] = await Promise.all([
    db.endpoint.findMany({ orderBy: { id: "asc" }, omit: {} }),
    db.message.count(),
    db.delivery.findMany({ orderBy: { id: "asc" }, select: { id: true, status: true, updatedAt: true } }),
    db.attempt.count(),
  ]);
  return JSON.stringify({ endpoints, messages, deliveries, attempts });
}

beforeAll(async () => {
  ({ db } = await useTestDb());
  ctxA = await makeWorkspace();
  ctxB = await makeWorkspace();
  const url = "http://127.0.0.1:9/hook";
  ids.own = (await createEndpoint(ctxA, { title: "acc_1 hook", url, account: "acc_1" })).id;
  ids.other = (await createEndpoint(ctxA, { title: "acc_2 hook", url, account: "acc_2" })).id;
  ids.wide = (await createEndpoint(ctxA, { title: "operator hook", url })).id;
  ids.otherWorkspace = (await createEndpoint(ctxB, { title: "same account, other workspace", url, account: "acc_1" })).id;
  messages.own = (await publish(ctxA, { eventType: "call:completed", account: "acc_1", payload: { duration: 40 } })).message.id;
  messages.other = (await publish(ctxA, { eventType: "call:completed", account: "acc_2", payload: { duration: 50 } })).message.id;
  messages.otherWorkspace = (await publish(ctxB, { eventType: "call:completed", account: "acc_1", payload: { duration: 60 } })).message.id;
  token = tokenOf((await createPortalLink(ctxA, "acc_1", {}, base)).url);
  readOnlyToken = tokenOf((await createPortalLink(ctxA, "acc_1", { readOnly: true }, base)).url);
  const expired = await createPortalLink(ctxA, "acc_1", {}, base);
  expiredToken = tokenOf(expired.url);
  await db.portalLink.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
});

describe("a portal session for acc_1", () => {
  it("reaches its own endpoint, message and attempts", async () => {
    const attempts = await portal.portalListAttempts(token, { id: ids.own });
    expect(attempts.ok).toBe(true);
    const message = await portal.portalGetMessage(token, { id: messages.own });
    expect(message.ok && message.data.deliveries.map((d) => d.endpointId)).toEqual([ids.own]);
    const list = await portal.portalListMessages(token, {});
    expect(list.ok && list.data.data.map((m) => m.id)).toEqual([messages.own]);
    // The operator's workspace-wide endpoint got the acc_1 message too, but the portal never shows it.
    const all = await db.delivery.findMany({ where: { messageId: messages.own }, select: { endpointId: true } });
    expect(all.map((d) => d.endpointId).sort()).toEqual([ids.own, ids.wide].sort());
  });

  it("cannot read or change acc_2's endpoint, a workspace-wide one, or another workspace's", async () => {
    const before = await snapshot();
    for (const id of [ids.other, ids.wide, ids.otherWorkspace]) {
      const calls = [
        portal.portalListAttempts(token, { id }),
        portal.portalUpdateEndpoint(token, { id, patch: { title: "taken", url: "http://127.0.0.1:9/x" } }),
        portal.portalSetEnabled(token, { id, enabled: false }),
        portal.portalRevealSecret(token, { id }),
        portal.portalRotateSecret(token, { id }),
        portal.portalSendTest(token, { id, eventType: "call:completed", body: "{}" }),
        portal.portalRecover(token, { id, since: new Date(0).toISOString() }),
        portal.portalRecoveryProgress(token, { id, since: new Date(0).toISOString(), startedAt: new Date().toISOString() }),
      ];
      for (const result of await Promise.all(calls)) {
        expect(result).toMatchObject({ ok: false, error: { code: "not_found" } });
      }
    }
    for (const id of [messages.other, messages.otherWorkspace]) {
      expect(await portal.portalGetMessage(token, { id })).toMatchObject({ ok: false, error: { code: "not_found" } });
    }
    const foreign = await db.delivery.findMany({ where: { endpointId: { in: [ids.other, ids.wide, ids.otherWorkspace] } } });
    expect(foreign.length).toBeGreaterThan(0);
    expect(await portal.portalResend(token, { deliveryIds: foreign.map((d) => d.id) })).toMatchObject({ ok: false, error: { code: "not_found" } });
    // Filtering the log by a foreign endpoint still shows only acc_1's messages.
    const filtered = await portal.portalListMessages(token, { endpointId: ids.wide });
    expect(filtered.ok && filtered.data.data.map((m) => m.id)).toEqual([messages.own]);
    expect(await snapshot()).toBe(before);
  });

  it("creates endpoints owned by acc_1 only, with only the customer-facing settings", async () => {
    const created = await portal.portalCreateEndpoint(token, {
      title: "mine",
      url: "http://127.0.0.1:9/mine",
      eventTypes: ["call:completed"],
      filter: { accounts: ["acc_2"], rules: [{ path: "duration", op: "gte", value: 30 }] },
      // Not the customer's to choose: ignored.
      account: "acc_2",
      headers: { "x-operator": "1" },
      failureThreshold: 1,
    } as never);
    expect(created.ok).toBe(true);
    const row = await db.endpoint.findUniqueOrThrow({ where: { id: created.ok ? created.data.id : "" } });
    expect(row.account).toBe("acc_1");
    expect(row.workspaceId).toBe(ctxA.workspaceId);
    expect(row.headers).toEqual({});
    expect(row.failureThreshold).toBe(10);
    expect((row.filter as { accounts?: string[] }).accounts).toBeUndefined();
    const moved = await portal.portalUpdateEndpoint(token, { id: row.id, patch: { account: "acc_2" } as never });
    expect(moved.ok).toBe(true);
    expect((await db.endpoint.findUniqueOrThrow({ where: { id: row.id } })).account).toBe("acc_1");
  });

  it("a link limited to some event types offers and accepts only those", async () => {
    const limited = tokenOf((await createPortalLink(ctxA, "acc_1", { eventTypes: ["call:completed"] }, base)).url);
    const outside = await portal.portalCreateEndpoint(limited, { title: "x", url: "http://127.0.0.1:9/x", eventTypes: ["lead.created"] });
    expect(outside).toMatchObject({ ok: false, error: { code: "validation_failed" } });
    const all = await portal.portalCreateEndpoint(limited, { title: "x", url: "http://127.0.0.1:9/x" });
    expect(all.ok && all.data.eventTypes).toEqual(["call:completed"]);
  });

  it("a read-only link changes nothing", async () => {
    const before = await snapshot();
    const delivery = await db.delivery.findFirstOrThrow({ where: { endpointId: ids.own } });
    const results = await Promise.all([
      portal.portalCreateEndpoint(readOnlyToken, { title: "x", url: "http://127.0.0.1:9/x" }),
      portal.portalUpdateEndpoint(readOnlyToken, { id: ids.own, patch: { title: "renamed" } }),
      portal.portalSetEnabled(readOnlyToken, { id: ids.own, enabled: false }),
      portal.portalRevealSecret(readOnlyToken, { id: ids.own }),
      portal.portalRotateSecret(readOnlyToken, { id: ids.own }),
      portal.portalSendTest(readOnlyToken, { id: ids.own, eventType: "call:completed", body: "{}" }),
      portal.portalRecover(readOnlyToken, { id: ids.own, since: new Date(0).toISOString() }),
      portal.portalResend(readOnlyToken, { deliveryIds: [delivery.id] }),
    ]);
    for (const result of results) expect(result).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect((await portal.portalListAttempts(readOnlyToken, { id: ids.own })).ok).toBe(true);
    expect(await snapshot()).toBe(before);
  });

  it("an expired or tampered link is refused", async () => {
    const tampered = token.slice(0, -2) + (token.endsWith("AA") ? "BB" : "AA");
    for (const bad of [expiredToken, tampered, "", "../../api/v1/endpoints"]) {
      const result = await portal.portalListAttempts(bad, { id: ids.own });
      expect(result).toMatchObject({ ok: false, error: { code: "unauthorized" } });
    }
    const expired = await portal.portalListAttempts(expiredToken, { id: ids.own });
    expect(!expired.ok && expired.error.message).toMatch(/expired/);
  });

  it("cannot reach /api/v1, neither as a bearer key nor to mint links", async () => {
    const asBearer = await endpointsRoute.GET(
      new NextRequest(`${base}/api/v1/endpoints`, { headers: { authorization: `Bearer ${token}` } }),
      { params: Promise.resolve({}) },
    );
    expect(asBearer.status).toBe(401);
    const mint = await portalRoute.POST(
      new NextRequest(`${base}/api/v1/accounts/acc_2/portal`, { method: "POST", headers: { authorization: `Bearer ${token}` } }),
      { params: Promise.resolve({ account: "acc_2" }) },
    );
    expect(mint.status).toBe(401);
  });
});

describe("POST /api/v1/accounts/{account}/portal", () => {
  it("returns a short-lived link for an admin key, refuses viewers and bad input", async () => {
    const { plaintext: admin } = await createApiKey(ctxA, { name: "admin", role: "ADMIN" });
    const { plaintext: viewer } = await createApiKey(ctxA, { name: "viewer", role: "VIEWER" });
    const call = (key: string, body: unknown, account = "acc_1") =>
      portalRoute.POST(
        new NextRequest(`${base}/api/v1/accounts/${account}/portal`, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
        { params: Promise.resolve({ account }) },
      );
    const started = Date.now();
    const ok = await call(admin, { readOnly: true });
    expect(ok.status).toBe(201);
    const link = await ok.json();
    expect(link.url).toMatch(/\/portal\/hlp_[A-Za-z0-9_-]{43}$/);
    expect(link.readOnly).toBe(true);
    const lifetime = new Date(link.expiresAt).getTime() - started;
    expect(lifetime).toBeGreaterThan(3590_000);
    expect(lifetime).toBeLessThanOrEqual(3601_000);
    const stored = await db.portalLink.findUniqueOrThrow({ where: { id: link.id } });
    expect(stored.tokenHash).not.toContain(tokenOf(link.url));
    const custom = await (await call(admin, { expiresIn: 300 })).json();
    expect(new Date(custom.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(300_000);
    expect((await call(viewer, {})).status).toBe(403);
    const bad = await call(admin, { expiresIn: 5 });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe("validation_failed");
    expect((await call(admin, {}, "has space")).status).toBe(400);
  });
});

describe("revoking portal links (GET/DELETE /api/v1/accounts/{account}/portal[/{id}])", () => {
  it("ends one link or all of an account's at once, sessions included; another workspace's key and viewers cannot", async () => {
    const key = (await createApiKey(ctxA, { name: "revoker" })).plaintext;
    const viewerKey = (await createApiKey(ctxA, { name: "viewer", role: "VIEWER" })).plaintext;
    const otherKey = (await createApiKey(ctxB, { name: "other workspace" })).plaintext;
    const first = await createPortalLink(ctxA, "acc_9", {}, base);
    const second = await createPortalLink(ctxA, "acc_9", { readOnly: true }, base);
    const elsewhere = await createPortalLink(ctxA, "acc_10", {}, base);
    const call = async (method: string, path: string, apiKey: string) => {
      const request = new Request(`${base}/api/v1${path}`, { method, headers: { authorization: `Bearer ${apiKey}` } });
      const response = await routeFetch(request);
      await assertDocumented(request, response);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const works = async (url: string) => (await portal.portalListMessages(tokenOf(url), {})).ok;

    const listed = await call("GET", "/accounts/acc_9/portal", key);
    expect((listed.body.data as Array<{ id: string; readOnly: boolean }>).map(({ id, readOnly }) => ({ id, readOnly }))).toEqual([
      { id: second.id, readOnly: true },
      { id: first.id, readOnly: false },
    ]);
    expect(JSON.stringify(listed.body)).not.toContain("hlp_"); // the token is never stored, so never listed

    // Another workspace's key: the link is not found there, and "all of acc_9" there ends nothing here.
    expect((await call("DELETE", `/accounts/acc_9/portal/${first.id}`, otherKey)).status).toBe(404);
    expect((await call("DELETE", "/accounts/acc_9/portal", otherKey)).body).toEqual({ revoked: 0 });
    expect((await call("DELETE", "/accounts/acc_9/portal", viewerKey)).status).toBe(403);
    expect([await works(first.url), await works(second.url)]).toEqual([true, true]);

    expect((await call("DELETE", `/accounts/acc_9/portal/${first.id}`, key)).body).toEqual({ revoked: 1 });
    expect(await works(first.url)).toBe(false);
    expect(await portal.portalListMessages(tokenOf(first.url), {})).toMatchObject({ ok: false, error: { message: expect.stringContaining("expired") } });
    expect(await works(second.url)).toBe(true);
    expect((await call("DELETE", `/accounts/acc_9/portal/${first.id}`, key)).body).toEqual({ revoked: 0 }); // already ended
    expect((await call("DELETE", `/accounts/acc_10/portal/${first.id}`, key)).status).toBe(404); // not that account's

    expect((await call("DELETE", "/accounts/acc_9/portal", key)).body).toEqual({ revoked: 1 });
    expect(await works(second.url)).toBe(false);
    expect((await call("GET", "/accounts/acc_9/portal", key)).body).toEqual({ data: [] });
    expect(await works(elsewhere.url)).toBe(true); // another account's link is untouched
  });
});

describe("the portal's message page", () => {
  it("shows the account's own message with its own deliveries only; another account's or workspace's is not found", async () => {
    const page = async (id: string) => JSON.stringify((await PortalMessagePage({ params: Promise.resolve({ token, id }) })) as { props: unknown }, (key, value: unknown) =>
      key === "type" || key.startsWith("_") || typeof value === "function" ? undefined : value,
    );
    const own = await page(messages.own);
    expect(own).toContain(messages.own);
    expect(own).toContain(ids.own);
    expect(own).not.toContain(ids.wide); // the operator's workspace-wide endpoint got it too, unseen here
    for (const id of [messages.other, messages.otherWorkspace]) {
      await expect(page(id)).rejects.toMatchObject({ digest: expect.stringContaining("404") });
    }
  });
});
