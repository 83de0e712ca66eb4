import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ensureSetupToken, setupTokenPath } from "@/lib/features/sign-in/setup-token";
import { authenticateApiKey, createApiKey, hashApiKey, revokeApiKey } from "@/lib/features/settings/api-keys";
import { bootstrapFromEnv } from "@/lib/bootstrap";
import { resetEnv } from "@/lib/env";
import { verifyPassword } from "@/lib/auth/password";
import { createFirstAdmin, needsSetup } from "@/lib/features/sign-in/service";
import { makeWorkspace } from "@/tests/helpers/factories";
import { useTestDb } from "@/tests/helpers/services";
import type { Db } from "@/lib/db/client";

let db: Db;
beforeAll(async () => {
  ({ db } = await useTestDb());
  process.env.HOOKLINE_DATA_DIR = mkdtempSync(path.join(tmpdir(), "hookline-auth-"));
  resetEnv();
});
const token = () => ensureSetupToken(() => {});

function withEnv(vars: Record<string, string | undefined>) {
  for (const [name, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetEnv();
}

describe("first-run setup and env bootstrap", () => {
  beforeEach(async () => {
    await db.membership.deleteMany();
    await db.apiKey.deleteMany();
    await db.user.deleteMany();
    await db.workspace.deleteMany();
  });

  it("creates the first admin once, then refuses", async () => {
    expect(await needsSetup()).toBe(true);
    const { user, workspace } = await createFirstAdmin({ email: " Ada@Example.com ", password: "correct horse battery", workspaceName: "Acme", setupToken: token() });
    expect(user.email).toBe("ada@example.com");
    expect(workspace.name).toBe("Acme");
    expect(await needsSetup()).toBe(false);
    await expect(createFirstAdmin({ email: "eve@example.com", password: "correct horse battery", workspaceName: "Evil", setupToken: "anything" })).rejects.toMatchObject({
      code: "conflict",
      status: 409,
    });
    expect(await db.user.count()).toBe(1);
  });

  it("needs the one-time setup token from the server's data dir, checked before anything is written (finding 6)", async () => {
    const printed: string[] = [];
    const issued = ensureSetupToken((line) => printed.push(line));
    expect(printed.join("\n")).toContain(issued); // announced on the console
    expect(readFileSync(setupTokenPath(), "utf8").trim()).toBe(issued);
    const input = { email: "eve@example.com", password: "correct horse battery", workspaceName: "Evil" };
    await expect(createFirstAdmin({ ...input, setupToken: "setup_guessed" })).rejects.toMatchObject({ status: 403, code: "setup_token_invalid" });
    await expect(createFirstAdmin(input as never)).rejects.toMatchObject({ status: 400 });
    expect(await db.user.count()).toBe(0);
    expect(await db.workspace.count()).toBe(0);
    // The same token again after a restart; consumed by the first admin.
    expect(ensureSetupToken(() => {})).toBe(issued);
    await createFirstAdmin({ ...input, email: "ada@example.com", setupToken: issued });
    expect(existsSync(setupTokenPath())).toBe(false);
  });

  it("rejects short passwords without writing anything", async () => {
    await expect(createFirstAdmin({ email: "ada@example.com", password: "short", workspaceName: "Acme", setupToken: token() })).rejects.toMatchObject({ status: 400 });
    expect(await db.user.count()).toBe(0);
    expect(await db.workspace.count()).toBe(0);
  });

  it("lets the first admin adopt the workspace an env API key created", async () => {
    withEnv({ HOOKLINE_API_KEY: "hk_only_a_key_0123456789abcdef" });
    expect(await bootstrapFromEnv()).toEqual({ admin: "skipped", apiKey: "created" });
    const { workspace } = await createFirstAdmin({ email: "ada@example.com", password: "correct horse battery", workspaceName: "Acme", setupToken: token() });
    expect(await db.workspace.count()).toBe(1);
    expect((await authenticateApiKey("hk_only_a_key_0123456789abcdef"))?.workspaceId).toBe(workspace.id);
    withEnv({ HOOKLINE_API_KEY: undefined });
  });

  it("bootstraps admin and API key from env idempotently, never overwriting", async () => {
    const apiKey = "hk_bootstrap_key_0123456789abcdef";
    withEnv({ HOOKLINE_ADMIN_EMAIL: "ops@example.com", HOOKLINE_ADMIN_PASSWORD: "first password 123", HOOKLINE_API_KEY: apiKey });
    expect(await bootstrapFromEnv()).toEqual({ admin: "created", apiKey: "created" });
    withEnv({ HOOKLINE_ADMIN_PASSWORD: "a different password" });
    expect(await bootstrapFromEnv()).toEqual({ admin: "exists", apiKey: "exists" });

    expect(await db.user.count()).toBe(1);
    expect(await db.workspace.count()).toBe(1);
    expect(await db.apiKey.count()).toBe(1);
    const user = await db.user.findUniqueOrThrow({ where: { email: "ops@example.com" }, omit: { passwordHash: false } });
    expect(await verifyPassword(user.passwordHash, "first password 123")).toBe(true);
    expect(await verifyPassword(user.passwordHash, "a different password")).toBe(false);
    const membership = await db.membership.findFirstOrThrow({ where: { userId: user.id } });
    expect(membership.role).toBe("OWNER");

    const ctx = await authenticateApiKey(apiKey);
    expect(ctx?.workspaceId).toBe(membership.workspaceId);
    withEnv({ HOOKLINE_ADMIN_EMAIL: undefined, HOOKLINE_ADMIN_PASSWORD: undefined, HOOKLINE_API_KEY: undefined });
  });
});

describe("API keys", () => {
  it("authenticates a valid key to its own workspace and stores only the hash", async () => {
    const a = await makeWorkspace();
    const b = await makeWorkspace();
    const { plaintext, key } = await createApiKey(a, { name: "CI" });
    expect(plaintext).toMatch(/^hk_[A-Za-z0-9_-]{32}$/);
    const stored = await db.apiKey.findUniqueOrThrow({ where: { id: key.id }, omit: { hash: false } });
    expect(stored.hash).toBe(hashApiKey(plaintext));
    expect(JSON.stringify(key)).not.toContain(plaintext);

    const ctx = await authenticateApiKey(plaintext);
    expect(ctx).toMatchObject({ workspaceId: a.workspaceId, role: "ADMIN", actor: { type: "apiKey", id: key.id } });
    expect(ctx?.workspaceId).not.toBe(b.workspaceId);
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt).not.toBeNull();
  });

  it("refuses revoked, unknown and malformed keys", async () => {
    const ws = await makeWorkspace();
    const { plaintext, key } = await createApiKey(ws, { name: "temp" });
    await revokeApiKey(ws, key.id);
    expect(await authenticateApiKey(plaintext)).toBeNull();
    expect(await authenticateApiKey(`${plaintext}x`)).toBeNull();
    expect(await authenticateApiKey("Bearer nonsense")).toBeNull();
  });

  it("cannot revoke another workspace's key, and viewers cannot create keys", async () => {
    const owner = await makeWorkspace();
    const other = await makeWorkspace();
    const { key, plaintext } = await createApiKey(owner, { name: "mine" });
    await expect(revokeApiKey(other, key.id)).rejects.toMatchObject({ status: 404 });
    expect(await authenticateApiKey(plaintext)).not.toBeNull();
    const viewer = await makeWorkspace("VIEWER");
    await expect(createApiKey(viewer, { name: "nope" })).rejects.toMatchObject({ status: 403 });
  });
});
