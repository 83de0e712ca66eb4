/**
 * Every server action as an attacker calls it (issue 11's suite): the console's actions under a
 * session of workspace A, and the portal's under a portal link of A, each with workspace B's ids
 * (endpoint, delivery, message, event type, API key, membership): 0 reads (none of B's ids,
 * titles, payloads or secrets in any result), 0 writes (B's rows compared before/after). Then
 * anonymously: every action refuses. Actions are discovered from the `"use server"` files under
 * lib/features, so a new action fails this test until it has its crawl input below.
 *
 * The session is the one thing not real here: `getSessionContext` (next-auth reading the request's
 * cookie) is replaced by the context of a real user and membership of A; everything under it runs.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import "@/tests/helpers/no-executor-env";
import type { SessionContext } from "@/lib/auth/session";
import type { Db } from "@/lib/db/client";
import { resetEnv } from "@/lib/env";
import { makeWorkspace } from "@/tests/helpers/factories";
import { useTestDb } from "@/tests/helpers/services";

const session = vi.hoisted(() => ({ current: null as SessionContext | null }));
vi.mock("@/lib/auth/session", async (original) => ({
  ...(await original<typeof import("@/lib/auth/session")>()),
  getSessionContext: async () => session.current,
}));
// Outside a request, next/headers has no request: the host the console was reached on.
vi.mock("next/headers", () => ({ headers: async () => new Headers({ host: "hookline.test" }) }));

process.env.HOOKLINE_ALLOW_PRIVATE_NETWORKS = "true";
resetEnv();

type Action = (...args: unknown[]) => Promise<unknown>;
type Found = { name: string; file: string; call: Action };

const FEATURES = path.resolve("lib/features");
async function discoverActions(): Promise<Found[]> {
  const files = readdirSync(FEATURES, { recursive: true, encoding: "utf8" })
    .filter((file) => /\.tsx?$/.test(file) && /^\s*["']use server["']/.test(readFileSync(path.join(FEATURES, file), "utf8")))
    .sort();
  const found: Found[] = [];
  for (const file of files) {
    const mod = (await import(path.join(FEATURES, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) if (typeof value === "function") found.push({ name, file, call: value as Action });
  }
  return found;
}

let db: Db;
let actions: Found[];
let portalToken = "";
let ownEndpoint = "";
const b = { workspace: "", endpoint: "", delivery: "", message: "", eventType: "b-private:type", apiKey: "", membership: "", secret: "", keyText: "" };
const headerValue = "Bearer action-crawl-header-secret-91c2";
const figures = { crawled: 0, anonymous: 0 };

/** What an action of A's console (or A's portal) is called with: B's ids wherever it takes one. */
function inputsFor(name: string): unknown[] | undefined {
  const since = new Date(Date.now() - 3600_000).toISOString();
  const endpointVerbs: Record<string, unknown> = {
    CreateEndpoint: { title: "A's new", url: "http://127.0.0.1:9/a", eventTypes: [b.eventType] },
    UpdateEndpoint: { id: b.endpoint, patch: { title: "taken over", url: "http://127.0.0.1:9/evil" } },
    SetEnabled: { id: b.endpoint, enabled: false },
    SendTest: { id: b.endpoint, eventType: b.eventType, body: "{}" },
    Resend: { deliveryIds: [b.delivery] },
    Recover: { id: b.endpoint, since },
    RecoveryProgress: { id: b.endpoint, since, startedAt: since },
    RevealSecret: { id: b.endpoint },
    RotateSecret: { id: b.endpoint },
    ListAttempts: { id: b.endpoint },
    GetMessage: { id: b.message },
    ListMessages: {},
  };
  const console: Record<string, unknown> = {
    openPortalAction: { account: "acc_b" },
    revokePortalLinksAction: { account: "acc_b" },
    createEventTypeAction: { name: b.eventType, description: "A's copy" },
    updateEventTypeAction: { name: b.eventType, changes: { description: "taken over" } },
    setEventTypeArchivedAction: { name: b.eventType, archived: true },
    importPresetAction: { preset: "stripe" },
    resendDeliveryAction: { deliveryId: b.delivery },
    firePlaygroundEventAction: { eventType: b.eventType, account: "acc_b", payloadText: "{}" },
    createApiKeyAction: { name: "A's key" },
    revokeApiKeyAction: { id: b.apiKey },
    inviteMemberAction: { email: "new-member@example.test", role: "ADMIN" },
    changeRoleAction: { membershipId: b.membership, role: "VIEWER" },
    removeMemberAction: { membershipId: b.membership },
    renameWorkspaceAction: { name: "A renamed" },
    updatePortalSettingsAction: { productName: "A portal" },
    createWorkspaceAction: { name: "A's second workspace" },
    switchWorkspaceAction: { workspaceId: b.workspace },
  };
  for (const [verb, input] of Object.entries(endpointVerbs)) console[`${verb[0]!.toLowerCase()}${verb.slice(1)}Action`] = input;
  if (name === "setupAction") {
    const form = new FormData();
    for (const [field, value] of Object.entries({ email: "intruder@example.test", password: "a-long-password-1", workspaceName: "Mine", setupToken: "guess" })) {
      form.set(field, value);
    }
    return [{}, form];
  }
  const portalVerb = /^portal(\w+)$/.exec(name)?.[1];
  if (portalVerb) return portalVerb in endpointVerbs ? [portalToken, endpointVerbs[portalVerb]] : undefined;
  return name in console ? [console[name]] : undefined;
}

/** Everything of workspace B an action could read or change, in one comparable string. */
async function snapshotB(): Promise<string> {
  const where = { workspaceId: b.workspace };
  const rows = await Promise.all([
    db.workspace.findUnique({ where: { id: b.workspace } }),
    db.membership.findMany({ where, orderBy: { id: "asc" } }),
    db.endpoint.findMany({ where, orderBy: { id: "asc" } }),
    db.eventType.findMany({ where, orderBy: { id: "asc" } }),
    db.message.findMany({ where, orderBy: { id: "asc" } }),
    db.delivery.findMany({ where, orderBy: { id: "asc" } }),
    db.attempt.findMany({ where, orderBy: { id: "asc" } }),
    db.apiKey.findMany({ where, orderBy: { id: "asc" } }),
    db.portalLink.findMany({ where, orderBy: { id: "asc" } }),
  ]);
  return JSON.stringify(rows);
}

beforeAll(async () => {
  db = (await useTestDb()).db;
  actions = await discoverActions();
  const { createEndpoint } = await import("@/lib/features/endpoints/service");
  const { createEventType } = await import("@/lib/features/event-types/service");
  const { publish } = await import("@/lib/features/messages/publish");
  const { createApiKey } = await import("@/lib/features/settings/api-keys");
  const { createPortalLink } = await import("@/lib/features/portal/links");

  const ctxB = await makeWorkspace("OWNER");
  b.workspace = ctxB.workspaceId;
  b.membership = (await db.membership.findFirstOrThrow({ where: { workspaceId: b.workspace } })).id;
  await createEventType(ctxB, { name: b.eventType, description: "B's private type" });
  const endpoint = await createEndpoint(ctxB, {
    title: "B's endpoint",
    url: "http://127.0.0.1:9/b",
    account: "acc_b",
    headers: { Authorization: headerValue },
  });
  b.endpoint = endpoint.id;
  b.secret = endpoint.secret;
  const message = await publish(ctxB, { eventType: b.eventType, account: "acc_b", payload: { b: "private-payload-of-b" } });
  b.message = message.message.id;
  b.delivery = message.deliveries[0]!.id;
  const key = await createApiKey(ctxB, { name: "B's key" });
  b.apiKey = key.key.id;
  b.keyText = key.plaintext;
  await createPortalLink(ctxB, "acc_b", {}, "http://hookline.test"); // A revoking "acc_b" must not end B's link

  const ctxA = await makeWorkspace("OWNER");
  const workspaceA = await db.workspace.findUniqueOrThrow({ where: { id: ctxA.workspaceId } });
  session.current = { ...(ctxA as SessionContext), workspaceName: workspaceA.name };
  ownEndpoint = (await createEndpoint(ctxA, { title: "A's endpoint", url: "http://127.0.0.1:9/a", account: "acc_a" })).id;
  const link = await createPortalLink(ctxA, "acc_a", {}, "http://hookline.test");
  portalToken = link.path.split("/")[2]!;
});

describe("server actions across workspaces", () => {
  it("every action has its crawl input (a new action gets one in this file)", () => {
    expect(actions.length).toBeGreaterThan(30);
    const missing = actions.filter((action) => !inputsFor(action.name)).map((action) => `${action.file}: ${action.name}`);
    expect(missing).toEqual([]);
  });

  it("A's session (and A's portal link) with B's ids reads nothing and writes nothing of B", async () => {
    // The harness reaches A's own data (else every refusal below would prove nothing).
    const own = actions.find((action) => action.name === "revealSecretAction")!;
    expect(await own.call({ id: ownEndpoint })).toMatchObject({ ok: true, data: { secret: expect.stringMatching(/^whsec_/) } });
    const portalOwn = actions.find((action) => action.name === "portalListAttempts")!;
    expect(await portalOwn.call(portalToken, { id: ownEndpoint })).toMatchObject({ ok: true });

    const before = await snapshotB();
    const leaks: string[] = [];
    const accepted: string[] = [];
    const ids = [b.workspace, b.endpoint, b.delivery, b.message, b.apiKey, b.membership];
    const values = [b.workspace, b.endpoint, b.delivery, b.message, b.apiKey, b.membership, b.secret, b.keyText, headerValue, "private-payload-of-b", "B's endpoint", "B's private type", "B's key"];
    for (const action of actions) {
      const result = await action.call(...inputsFor(action.name)!);
      figures.crawled++;
      const text = JSON.stringify(result) ?? "";
      for (const value of values) if (text.includes(value)) leaks.push(`${action.name} answered with ${value.slice(0, 16)}`);
      // An action given one of B's row ids must refuse (the rest act on A's own rows, or B's names in A).
      const input = JSON.stringify(inputsFor(action.name)!.slice(-1));
      if (ids.some((id) => input.includes(id)) && (result as { ok?: boolean }).ok !== false) accepted.push(`${action.name} → ${text.slice(0, 160)}`);
    }
    expect(leaks).toEqual([]);
    expect(accepted).toEqual([]);
    expect(await snapshotB()).toBe(before);
    console.info(`[faults] actions: ${figures.crawled} cross-workspace calls (${actions.length} actions), 0 reads, 0 writes of the other workspace`);
  });

  it("an id (or name) left out or of the wrong type, or no input object at all, is refused as invalid, never read as the first row in scope", async () => {
    // A has rows of its own here (an endpoint, its portal link's account): an id that reached Prisma
    // as `undefined` would filter nothing and act on them. The fields tried are those the crawl
    // input fills with one of B's ids or names, so a new action's id field is tried too.
    const refs = new Set([b.workspace, b.endpoint, b.delivery, b.message, b.apiKey, b.membership, b.eventType]);
    const isRef = (value: unknown) => refs.has(value as string) || (Array.isArray(value) && value.some((item) => refs.has(item as string)));
    const accepted: string[] = [];
    let tried = 0;
    const attempt = async (action: Found, args: unknown[], what: string) => {
      const result = (await action.call(...args)) as { ok?: boolean; error?: { code?: string } };
      tried++;
      // A clear refusal of the input, not an internal error from deeper down.
      if (result.ok !== false || result.error?.code !== "validation_failed") accepted.push(`${action.name} ${what} → ${JSON.stringify(result).slice(0, 160)}`);
    };
    for (const action of actions) {
      const inputs = inputsFor(action.name)!;
      const input = inputs.at(-1);
      if (action.name === "setupAction" || !input || typeof input !== "object") continue;
      for (const whole of [undefined, null, "id", [b.endpoint]]) await attempt(action, [...inputs.slice(0, -1), whole], `given ${JSON.stringify(whole)} as its input`);
      for (const [key, value] of Object.entries(input)) {
        if (!isRef(value)) continue;
        for (const bad of [undefined, 42, ""]) {
          // An endpoint's eventTypes may be left out: it then receives every event type.
          if (key === "eventTypes" && bad === undefined) continue;
          const changed: Record<string, unknown> = { ...(input as Record<string, unknown>) };
          if (bad === undefined) delete changed[key];
          else changed[key] = bad;
          await attempt(action, [...inputs.slice(0, -1), changed], `without a valid ${key} (${String(bad)})`);
        }
      }
    }
    expect(tried).toBeGreaterThan(150);
    expect(accepted).toEqual([]);
  });

  it("anonymous: every action refuses", async () => {
    const signedIn = session.current;
    session.current = null;
    try {
      const accepted: string[] = [];
      for (const action of actions) {
        const inputs = inputsFor(action.name)!;
        // The portal's callers are anonymous by design: their key is the token, here a made-up one.
        if (action.name.startsWith("portal")) inputs[0] = `hlp_${"x".repeat(43)}`;
        const result = (await action.call(...inputs)) as { ok?: boolean };
        figures.anonymous++;
        if (result?.ok === true) accepted.push(`${action.name} → ${JSON.stringify(result).slice(0, 120)}`);
      }
      expect(accepted).toEqual([]);
    } finally {
      session.current = signedIn;
    }
  });
});
