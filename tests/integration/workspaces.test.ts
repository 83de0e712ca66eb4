import "@/tests/helpers/no-executor-env";
import { NextRequest } from "next/server";
import { encode } from "next-auth/jwt";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { ServiceContext } from "@/lib/context";
import type { Db } from "@/lib/db/client";
import { resetEnv } from "@/lib/env";
import { getSessionContext, requireSessionContext } from "@/lib/auth/session";
import { createEndpoint } from "@/lib/features/endpoints/service";
import { createEventType } from "@/lib/features/event-types/service";
import { publish } from "@/lib/features/messages/publish";
import { createApiKey } from "@/lib/features/settings/api-keys";
import { inviteMember, removeMember } from "@/lib/features/settings/members";
import { createWorkspaceAction, switchWorkspaceAction } from "@/lib/features/workspaces/actions";
import { createWorkspace, listMyWorkspaces, switchWorkspace } from "@/lib/features/workspaces/service";
import { makeWorkspace } from "@/tests/helpers/factories";
import { useTestDb } from "@/tests/helpers/services";
import * as endpointsRoute from "@/app/api/v1/endpoints/route";
import * as endpointRoute from "@/app/api/v1/endpoints/[id]/route";
import * as eventTypesRoute from "@/app/api/v1/event-types/route";
import * as messagesRoute from "@/app/api/v1/messages/route";
import EndpointsPage from "@/app/(console)/endpoints/page";
import EndpointPage from "@/app/(console)/endpoints/[id]/page";
import MessagesPage from "@/app/(console)/messages/page";
import EventTypesPage from "@/app/(console)/event-types/page";
import AccountsPage from "@/app/(console)/accounts/page";
import SettingsPage from "@/app/(console)/settings/page";
import ConsoleLayout from "@/app/(console)/layout";

process.env.NEXTAUTH_SECRET = "a-test-secret-that-is-long-enough-0123456789";
process.env.HOOKLINE_ALLOW_PRIVATE_NETWORKS = "true";
delete process.env.NEXTAUTH_URL;
resetEnv();

// Pages and server actions read the session cookie through next/headers, which only exists inside
// a Next request; here it hands over the cookie this test "sends". Everything behind it is real:
// next-auth's JWT decoding, the membership lookup, the services, PostgreSQL.
const request = { cookie: "" };
vi.mock("next/headers", () => {
  const cookieStore = () => {
    const pairs = request.cookie ? request.cookie.split("; ").map((pair) => pair.split("=") as [string, string]) : [];
    return { getAll: () => pairs.map(([name, value]) => ({ name, value })), get: (name: string) => pairs.find(([n]) => n === name) };
  };
  return {
    cookies: async () => cookieStore(),
    headers: async () => new Headers({ host: "hookline.test", "x-forwarded-proto": "http", cookie: request.cookie }),
  };
});

let db: Db;
let user: ServiceContext; // the person with two workspaces
let stranger: ServiceContext; // someone else's workspace
const ws = {} as Record<"first" | "second", string>;
const marks = {} as Record<"first" | "second" | "stranger", { endpoint: string; endpointId: string; eventType: string; account: string; key: string }>;

async function signIn(ctx: ServiceContext) {
  const uid = ctx.actor.type === "user" ? ctx.actor.id : "";
  request.cookie = `next-auth.session-token=${await encode({ token: { uid }, secret: process.env.NEXTAUTH_SECRET! })}`;
}

/** Distinct, searchable data in one workspace: an endpoint, an event type, a message, an API key. */
async function fill(ctx: ServiceContext, tag: string) {
  const eventType = `${tag}:happened`;
  await createEventType(ctx, { name: eventType, description: `${tag} event` });
  const account = `acc_${tag}`;
  const endpoint = `${tag} endpoint`;
  const { id: endpointId } = await createEndpoint(ctx, { title: endpoint, url: `http://127.0.0.1:9/${tag}`, account });
  await publish(ctx, { eventType, account, payload: { tag } });
  const key = `${tag} key`;
  await createApiKey(ctx, { name: key });
  return { endpoint, endpointId, eventType, account, key };
}

/** What a console page hands to the browser: the props of its element tree, as text (component types left out). */
async function render(page: Promise<unknown>): Promise<string> {
  const seen = new WeakSet<object>();
  return JSON.stringify(await page, (key, value: unknown) => {
    if (key === "type" || key.startsWith("_") || typeof value === "function") return undefined;
    if (value && typeof value === "object") {
      if (seen.has(value)) return undefined;
      seen.add(value);
    }
    return value;
  });
}

async function pagesText() {
  const none = Promise.resolve({});
  return [
    await render(EndpointsPage({ searchParams: none })),
    await render(MessagesPage({ searchParams: none })),
    await render(EventTypesPage()),
    await render(AccountsPage()),
    await render(SettingsPage()),
    await render(ConsoleLayout({ children: null })),
  ].join("\n");
}

async function api(route: { GET: (request: NextRequest, context: { params: Promise<never> }) => Promise<Response> }, path: string, params = {}) {
  const response = await route.GET(new NextRequest(`http://hookline.test${path}`, { headers: { cookie: request.cookie } }), { params: Promise.resolve(params as never) });
  return { status: response.status, text: await response.text() };
}

const redirectOf = (error: unknown) => (error as { digest?: string }).digest?.split(";")[2];

beforeAll(async () => {
  ({ db } = await useTestDb());
  user = await makeWorkspace("OWNER");
  ws.first = user.workspaceId;
  marks.first = await fill(user, "first");
  const created = await createWorkspace(user, { name: "Second product" });
  ws.second = created.id;
  marks.second = await fill({ ...user, workspaceId: ws.second }, "second");
  stranger = await makeWorkspace("OWNER");
  marks.stranger = await fill(stranger, "stranger");
});

describe("more than one workspace", () => {
  it("makes the creator the owner of the new workspace and switches them into it", async () => {
    const membership = await db.membership.findUniqueOrThrow({ where: { workspaceId_userId: { workspaceId: ws.second, userId: (user.actor as { id: string }).id } } });
    expect(membership.role).toBe("OWNER");
    expect(await db.membership.count({ where: { workspaceId: ws.second } })).toBe(1);
    await signIn(user);
    const session = await getSessionContext();
    expect(session).toMatchObject({ workspaceId: ws.second, workspaceName: "Second product", role: "OWNER" });
    const choices = await listMyWorkspaces(session!);
    expect(choices.map(({ id, role, current }) => ({ id, role, current }))).toEqual([
      { id: ws.first, role: "OWNER", current: false },
      { id: ws.second, role: "OWNER", current: true },
    ]);
  });

  it("pages show only the current workspace's data, before and after a switch", async () => {
    await signIn(user);
    await switchWorkspace(user, { workspaceId: ws.second });
    let text = await pagesText();
    for (const value of Object.values(marks.second)) expect(text).toContain(value);
    for (const value of [...Object.values(marks.first), ...Object.values(marks.stranger)]) expect(text).not.toContain(value);
    expect(text).toContain("Second product");
    // The other workspace's endpoint, by its id: not found, not shown.
    await expect(EndpointPage({ params: Promise.resolve({ id: marks.first.endpointId }) })).rejects.toMatchObject({
      digest: expect.stringContaining("404"),
    });

    const switched = await switchWorkspaceAction({ workspaceId: ws.first });
    expect(switched).toMatchObject({ ok: true, data: { id: ws.first } });
    text = await pagesText();
    for (const value of Object.values(marks.first)) expect(text).toContain(value);
    for (const value of [...Object.values(marks.second), ...Object.values(marks.stranger)]) expect(text).not.toContain(value);
    expect(await render(EndpointPage({ params: Promise.resolve({ id: marks.first.endpointId }) }))).toContain(marks.first.endpoint);
  });

  it("/api/v1 with the session cookie answers for the current workspace only", async () => {
    await signIn(user);
    for (const [current, other] of [
      ["second", "first"],
      ["first", "second"],
    ] as const) {
      await switchWorkspace(user, { workspaceId: ws[current] });
      const answers = [await api(endpointsRoute, "/api/v1/endpoints"), await api(eventTypesRoute, "/api/v1/event-types"), await api(messagesRoute, "/api/v1/messages")];
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
      const text = answers.map((answer) => answer.text).join("\n");
      for (const value of [marks[current].endpointId, marks[current].eventType, marks[current].account]) expect(text).toContain(value);
      for (const value of [marks[other].endpointId, marks[other].eventType, marks[other].account, marks.stranger.endpointId]) expect(text).not.toContain(value);
      expect((await api(endpointRoute, `/api/v1/endpoints/${marks[other].endpointId}`, { id: marks[other].endpointId })).status).toBe(404);
    }
  });

  it("cannot switch into a workspace the user is not a member of", async () => {
    await signIn(user);
    await switchWorkspace(user, { workspaceId: ws.first });
    for (const workspaceId of [stranger.workspaceId, "ws_doesnotexist", ""]) {
      const result = await switchWorkspaceAction({ workspaceId });
      expect(result.ok).toBe(false);
      expect(!result.ok && result.error.code).toBe(workspaceId ? "not_found" : "validation_failed");
    }
    await expect(switchWorkspace(user, { workspaceId: stranger.workspaceId })).rejects.toMatchObject({ status: 404 });
    expect(await db.membership.count({ where: { workspaceId: stranger.workspaceId, userId: (user.actor as { id: string }).id } })).toBe(0);
    expect((await getSessionContext())?.workspaceId).toBe(ws.first);
    expect(await pagesText()).not.toContain(marks.stranger.endpoint);
  });

  it("validates the name: empty is 400, a name the user already has is 409, and neither writes anything", async () => {
    await signIn(user);
    const before = await db.workspace.count();
    const empty = await createWorkspaceAction({ name: "   " });
    expect(empty).toMatchObject({ ok: false, error: { code: "validation_failed" } });
    expect(!empty.ok && JSON.stringify(empty.error.details)).toContain("Name your workspace");
    const long = await createWorkspaceAction({ name: "x".repeat(81) });
    expect(long).toMatchObject({ ok: false, error: { code: "validation_failed" } });
    const same = await createWorkspaceAction({ name: " second PRODUCT " });
    expect(same).toMatchObject({ ok: false, error: { code: "conflict", message: expect.stringContaining("already have a workspace named") } });
    expect(await db.workspace.count()).toBe(before);
    // Another user may use the same name: names are unique per person, not per installation.
    await expect(createWorkspace(stranger, { name: "Second product" })).resolves.toMatchObject({ role: "OWNER" });
  });

  it("only an owner of some workspace can create one", async () => {
    const viewer = await inviteMember(stranger, { email: `viewer-${Date.now()}@example.test`, password: "a long enough password", role: "VIEWER" });
    const viewerCtx: ServiceContext = { workspaceId: stranger.workspaceId, role: "VIEWER", actor: { type: "user", id: viewer.userId, email: viewer.email } };
    const before = await db.workspace.count();
    await expect(createWorkspace(viewerCtx, { name: "Mine now" })).rejects.toMatchObject({ status: 403 });
    expect(await db.workspace.count()).toBe(before);
  });

  it("a member removed from the current workspace falls back to another of theirs; removed from all, gets the no-workspace page", async () => {
    const member = await inviteMember(stranger, { email: `member-${Date.now()}@example.test`, password: "a long enough password", role: "ADMIN" });
    const memberCtx: ServiceContext = { workspaceId: stranger.workspaceId, role: "ADMIN", actor: { type: "user", id: member.userId, email: member.email } };
    const other = await makeWorkspace("OWNER");
    const second = await inviteMember(other, { email: member.email, password: "a long enough password", role: "VIEWER" });
    await signIn(memberCtx);
    await switchWorkspace(memberCtx, { workspaceId: stranger.workspaceId });
    expect((await getSessionContext())?.workspaceId).toBe(stranger.workspaceId);

    await removeMember(stranger, member.membershipId);
    expect(await getSessionContext()).toMatchObject({ workspaceId: other.workspaceId, role: "VIEWER" });
    expect(await render(EndpointsPage({ searchParams: Promise.resolve({}) }))).not.toContain(marks.stranger.endpoint);

    await removeMember(other, second.membershipId);
    expect(await getSessionContext()).toBeNull();
    await expect(requireSessionContext()).rejects.toSatisfy((error) => redirectOf(error) === "/no-workspace");
    expect(await switchWorkspaceAction({ workspaceId: stranger.workspaceId })).toMatchObject({ ok: false, error: { code: "unauthorized" } });

    request.cookie = "";
    await expect(requireSessionContext()).rejects.toSatisfy((error) => redirectOf(error) === "/login");
  });
});
