/**
 * The launcher's database step (scripts/serve.ts runs it once at start, and waits for it):
 * migrations, the env bootstrap (admin, API key) and, on a fresh install, the setup token. A
 * process of its own so that the launcher, which runs for as long as Hookline does, never loads
 * the database client: its query compiler held about 27 MB in the launcher once it had run a query,
 * a collection gave none of it back (docs/performance.md, *Memory at rest*).
 *
 * Env (set by the launcher): DATABASE_URL and the secrets. Exits 0 once done, 1 if a step failed
 * (the launcher then stops).
 */
import { loadDotEnv } from "./launch-env";

loadDotEnv();
const { env } = await import("@/lib/env");
const { logger } = await import("@/lib/log");
const log = (line: string) => logger().info(line);
try {
  const { migrate } = await import("@/lib/db/migrate");
  const applied = await migrate(env().DATABASE_URL!, log);
  if (!applied.length) log("database schema is up to date");

  const { bootstrapFromEnv } = await import("@/lib/bootstrap");
  const report = await bootstrapFromEnv();
  if (report.admin !== "skipped" || report.apiKey !== "skipped") log(`env bootstrap: admin ${report.admin}, API key ${report.apiKey}`);
  const { needsSetup } = await import("@/lib/features/sign-in/service");
  if (await needsSetup()) {
    const { announce, ensureSetupToken } = await import("@/lib/features/sign-in/setup-token");
    announce(ensureSetupToken(() => {}), log);
  }
  const { db } = await import("@/lib/db/client");
  await db().$disconnect();
  process.exit(0);
} catch (error) {
  logger().fatal({ err: error }, "preparing the database failed");
  process.exit(1);
}
