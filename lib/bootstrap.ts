import "server-only";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { newId } from "@/lib/ids";
import { hashPassword } from "@/lib/auth/password";
import { hashApiKey, keyPrefix } from "@/lib/features/settings/api-keys";
import { createOwner, SETUP_LOCK } from "@/lib/features/sign-in/service";

type Report = { admin: "created" | "exists" | "skipped"; apiKey: "created" | "exists" | "skipped" };

/**
 * Headless set-up from env (containers, tests, CI): creates what is missing and
 * never overwrites — an existing admin keeps their password, an existing key
 * stays as it is (even revoked: we never resurrect a key someone revoked).
 */
export async function bootstrapFromEnv(): Promise<Report> {
  const { HOOKLINE_ADMIN_EMAIL, HOOKLINE_ADMIN_PASSWORD, HOOKLINE_API_KEY, HOOKLINE_WORKSPACE_NAME } = env();
  const report: Report = { admin: "skipped", apiKey: "skipped" };
  if (!HOOKLINE_ADMIN_EMAIL && !HOOKLINE_API_KEY) return report;
  const passwordHash = HOOKLINE_ADMIN_PASSWORD ? await hashPassword(HOOKLINE_ADMIN_PASSWORD) : undefined;

  await db().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SETUP_LOCK})`;
    if (HOOKLINE_ADMIN_EMAIL && passwordHash) {
      const email = HOOKLINE_ADMIN_EMAIL.trim().toLowerCase();
      const existing = await tx.user.findUnique({ where: { email } });
      if (existing) report.admin = "exists";
      else {
        // The first admin gets the default workspace; a later env admin joins it as OWNER.
        const workspace = await tx.workspace.findFirst({ orderBy: { createdAt: "asc" } });
        if (workspace) {
          const user = await tx.user.create({ data: { id: newId("usr"), email, passwordHash } });
          await tx.membership.create({ data: { id: newId("mem"), workspaceId: workspace.id, userId: user.id, role: "OWNER" } });
        } else {
          await createOwner(tx, { email, passwordHash, workspaceName: HOOKLINE_WORKSPACE_NAME });
        }
        report.admin = "created";
      }
    }
    if (HOOKLINE_API_KEY) {
      const hash = hashApiKey(HOOKLINE_API_KEY);
      if (await tx.apiKey.findUnique({ where: { hash } })) report.apiKey = "exists";
      else {
        const workspace =
          (await tx.workspace.findFirst({ orderBy: { createdAt: "asc" } })) ??
          (await tx.workspace.create({ data: { id: newId("ws"), name: HOOKLINE_WORKSPACE_NAME } }));
        await tx.apiKey.create({
          data: { id: newId("key"), workspaceId: workspace.id, name: "HOOKLINE_API_KEY (env)", prefix: keyPrefix(HOOKLINE_API_KEY), hash },
        });
        report.apiKey = "created";
      }
    }
  });
  return report;
}
