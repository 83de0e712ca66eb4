import { beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "@/lib/auth/password";
import type { ServiceContext } from "@/lib/context";
import type { Db } from "@/lib/db/client";
import { changeMemberRole, inviteMember, listMembers, removeMember } from "@/lib/features/settings/members";
import { getWorkspace, renameWorkspace } from "@/lib/features/settings/workspace";
import { makeWorkspace } from "@/tests/helpers/factories";
import { useTestDb } from "@/tests/helpers/services";

let db: Db;
beforeAll(async () => {
  ({ db } = await useTestDb());
});

const PASSWORD = "a long enough password";
const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2, 8)}@example.test`;

/** A second member of the owner's workspace, with a context of their own. */
async function addMember(owner: ServiceContext, role: "OWNER" | "ADMIN" | "VIEWER"): Promise<ServiceContext & { membershipId: string }> {
  const email = unique(role.toLowerCase());
  const invited = await inviteMember(owner, { email, password: PASSWORD, role });
  return { workspaceId: owner.workspaceId, role, actor: { type: "user", id: invited.userId, email }, membershipId: invited.membershipId };
}

async function ownMembershipId(ctx: ServiceContext) {
  return (await db.membership.findFirstOrThrow({ where: { workspaceId: ctx.workspaceId, userId: ctx.actor.type === "user" ? ctx.actor.id : "" } })).id;
}

describe("members", () => {
  it("invites a new person: creates the user with an argon2 hash of the chosen password, and the membership", async () => {
    const owner = await makeWorkspace();
    const email = unique("new");
    const result = await inviteMember(owner, { email: `  ${email.toUpperCase()} `, password: PASSWORD, role: "ADMIN" });
    expect(result).toMatchObject({ email, role: "ADMIN", createdUser: true });
    const user = await db.user.findUniqueOrThrow({ where: { email }, omit: { passwordHash: false } });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(user.passwordHash, PASSWORD)).toBe(true);
    const members = await listMembers(owner);
    expect(members.map((member) => [member.email, member.role])).toContainEqual([email, "ADMIN"]);
    expect(members.find((member) => member.isYou)?.role).toBe("OWNER");
  });

  it("adds an existing account without touching its password, and refuses a second membership", async () => {
    const first = await makeWorkspace();
    const email = unique("shared");
    await inviteMember(first, { email, password: PASSWORD, role: "VIEWER" });
    const second = await makeWorkspace();
    const result = await inviteMember(second, { email, password: "another password entirely", role: "ADMIN" });
    expect(result.createdUser).toBe(false);
    const user = await db.user.findUniqueOrThrow({ where: { email }, omit: { passwordHash: false } });
    expect(await verifyPassword(user.passwordHash, PASSWORD)).toBe(true);
    expect(await db.membership.count({ where: { userId: user.id } })).toBe(2);
    await expect(inviteMember(second, { email, password: PASSWORD, role: "VIEWER" })).rejects.toMatchObject({ status: 409 });
  });

  it("validates the invite: short passwords and bad emails are 400 and write nothing", async () => {
    const owner = await makeWorkspace();
    const before = await db.user.count();
    await expect(inviteMember(owner, { email: unique("short"), password: "short", role: "VIEWER" })).rejects.toMatchObject({ status: 400 });
    await expect(inviteMember(owner, { email: "not-an-email", password: PASSWORD, role: "VIEWER" })).rejects.toMatchObject({ status: 400 });
    expect(await db.user.count()).toBe(before);
  });

  it("refuses viewers (403) and lets admins invite, but only owners make owners", async () => {
    const owner = await makeWorkspace();
    const viewer = await addMember(owner, "VIEWER");
    const email = unique("blocked");
    await expect(inviteMember(viewer, { email, password: PASSWORD, role: "VIEWER" })).rejects.toMatchObject({ status: 403, code: "forbidden" });
    expect(await db.user.findUnique({ where: { email } })).toBeNull();

    const admin = await addMember(owner, "ADMIN");
    await expect(inviteMember(admin, { email: unique("by-admin"), password: PASSWORD, role: "VIEWER" })).resolves.toMatchObject({ role: "VIEWER" });
    await expect(inviteMember(admin, { email: unique("owner"), password: PASSWORD, role: "OWNER" })).rejects.toMatchObject({ status: 403 });
  });

  it("changes roles (owner only)", async () => {
    const owner = await makeWorkspace();
    const member = await addMember(owner, "VIEWER");
    await changeMemberRole(owner, { membershipId: member.membershipId, role: "ADMIN" });
    expect((await db.membership.findUniqueOrThrow({ where: { id: member.membershipId } })).role).toBe("ADMIN");

    const admin = { ...member, role: "ADMIN" as const };
    await expect(changeMemberRole(admin, { membershipId: member.membershipId, role: "OWNER" })).rejects.toMatchObject({ status: 403 });
    await expect(removeMember(admin, member.membershipId)).rejects.toMatchObject({ status: 403 });
  });

  it("never leaves a workspace without an owner", async () => {
    const owner = await makeWorkspace();
    const self = await ownMembershipId(owner);
    await expect(changeMemberRole(owner, { membershipId: self, role: "ADMIN" })).rejects.toMatchObject({ status: 409 });
    await expect(removeMember(owner, self)).rejects.toMatchObject({ status: 409 });
    expect((await db.membership.findUniqueOrThrow({ where: { id: self } })).role).toBe("OWNER");

    // With a second owner, the first may step down, and then the second is the last one.
    const second = await addMember(owner, "OWNER");
    await changeMemberRole(owner, { membershipId: self, role: "ADMIN" });
    await expect(removeMember(second, second.membershipId)).rejects.toMatchObject({ status: 409 });
    await removeMember(second, self);
    expect(await db.membership.findUnique({ where: { id: self } })).toBeNull();
  });

  it("keeps two owners demoting each other at once from leaving none", async () => {
    const owner = await makeWorkspace();
    const second = await addMember(owner, "OWNER");
    const self = await ownMembershipId(owner);
    const results = await Promise.allSettled([
      changeMemberRole(owner, { membershipId: second.membershipId, role: "VIEWER" }),
      changeMemberRole(second, { membershipId: self, role: "VIEWER" }),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    expect(await db.membership.count({ where: { workspaceId: owner.workspaceId, role: "OWNER" } })).toBe(1);
  });

  it("scopes every verb to the caller's workspace", async () => {
    const a = await makeWorkspace();
    const b = await makeWorkspace();
    const member = await addMember(a, "VIEWER");
    await expect(changeMemberRole(b, { membershipId: member.membershipId, role: "ADMIN" })).rejects.toMatchObject({ status: 404 });
    await expect(removeMember(b, member.membershipId)).rejects.toMatchObject({ status: 404 });
    expect((await listMembers(b)).map((m) => m.email)).not.toContain(member.actor.type === "user" ? member.actor.email : "");
  });
});

describe("workspace", () => {
  it("renames only the caller's workspace; viewers cannot", async () => {
    const a = await makeWorkspace();
    const b = await makeWorkspace();
    const before = (await getWorkspace(b)).name;
    await expect(renameWorkspace(a, { name: "  Acme Calls  " })).resolves.toMatchObject({ name: "Acme Calls" });
    expect((await getWorkspace(a)).name).toBe("Acme Calls");
    expect((await getWorkspace(b)).name).toBe(before);

    await expect(renameWorkspace(a, { name: "   " })).rejects.toMatchObject({ status: 400 });
    const viewer = await addMember(a, "VIEWER");
    await expect(renameWorkspace(viewer, { name: "Hijacked" })).rejects.toMatchObject({ status: 403 });
    expect((await getWorkspace(a)).name).toBe("Acme Calls");
  });
});
