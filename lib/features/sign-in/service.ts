import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { AppError, errors } from "@/lib/errors";
import { consumeSetupToken, setupTokenMatches } from "@/lib/features/sign-in/setup-token";
import { newId } from "@/lib/ids";
import { workspaceNameSchema } from "@/lib/features/workspaces/schema";
import { hashPassword, MIN_PASSWORD_LENGTH } from "@/lib/auth/password";

export const firstAdminSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email("Enter a valid email address")),
  password: z.string().min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`).max(200),
  workspaceName: workspaceNameSchema,
  setupToken: z.string().trim().min(1, "Enter the setup token from the server's console").max(200),
});
export type FirstAdminInput = z.input<typeof firstAdminSchema>;

// Serialises first-run setup between concurrent requests and app instances.
const SETUP_LOCK = 7_235_901_115;

export async function needsSetup(): Promise<boolean> {
  return (await db().user.count()) === 0;
}

/**
 * Creates the first admin (OWNER) and their workspace. Refused once any user
 * exists, so the setup page cannot be used to take over an installation.
 */
export async function createFirstAdmin(input: FirstAdminInput) {
  const parsed = firstAdminSchema.safeParse(input);
  if (!parsed.success) throw errors.validation(z.flattenError(parsed.error).fieldErrors);
  const { email, password, workspaceName, setupToken } = parsed.data;
  // Checked before argon2 runs: a wrong token costs nothing.
  if (!setupTokenMatches(setupToken)) {
    if (!(await needsSetup())) throw errors.conflict("Hookline is already set up: sign in instead");
    throw new AppError(
      "setup_token_invalid",
      "That setup token is not right. Copy it from the server's console (or the setup-token file in its data dir).",
      403,
      { setupToken: ["That setup token is not right"] },
    );
  }
  const passwordHash = await hashPassword(password);
  const created = await db().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SETUP_LOCK})`;
    if ((await tx.user.count()) > 0) throw errors.conflict("Hookline is already set up: sign in instead");
    // HOOKLINE_API_KEY alone bootstraps a workspace with no members; the first admin adopts it.
    const unclaimed = await tx.workspace.findFirst({ where: { memberships: { none: {} } }, orderBy: { createdAt: "asc" } });
    if (!unclaimed) return createOwner(tx, { email, passwordHash, workspaceName });
    const workspace = await tx.workspace.update({ where: { id: unclaimed.id }, data: { name: workspaceName } });
    const user = await tx.user.create({ data: { id: newId("usr"), email, passwordHash } });
    await tx.membership.create({ data: { id: newId("mem"), workspaceId: workspace.id, userId: user.id, role: "OWNER" } });
    return { workspace, user };
  });
  consumeSetupToken(); // one time only
  return created;
}

type TxClient = Parameters<Parameters<ReturnType<typeof db>["$transaction"]>[0]>[0];

export async function createOwner(tx: TxClient, input: { email: string; passwordHash: string; workspaceName: string }) {
  const workspace = await tx.workspace.create({ data: { id: newId("ws"), name: input.workspaceName } });
  const user = await tx.user.create({ data: { id: newId("usr"), email: input.email, passwordHash: input.passwordHash } });
  await tx.membership.create({ data: { id: newId("mem"), workspaceId: workspace.id, userId: user.id, role: "OWNER" } });
  return { workspace, user };
}

export { SETUP_LOCK };
