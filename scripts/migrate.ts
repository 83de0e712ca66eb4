/**
 * `npm run db:migrate`: applies prisma/migrations to DATABASE_URL, or to the
 * embedded database under the data dir when DATABASE_URL is unset.
 */
import path from "node:path";
import { loadDotEnv } from "./launch-env";

loadDotEnv();
const { dataDir, env } = await import("@/lib/env");
const { loadLocalSecrets } = await import("@/lib/local-secrets");
const { startEmbeddedPostgres } = await import("@/lib/db/embedded");
const { migrate } = await import("@/lib/db/migrate");
const { logger } = await import("@/lib/log");

const log = (line: string) => logger().info(line);
let url = env().DATABASE_URL;
let stop = async () => {};
if (!url) {
  const postgres = await startEmbeddedPostgres({
    dataDir: path.join(dataDir(), "pg"),
    password: loadLocalSecrets(dataDir()).postgresPassword,
    log,
  });
  url = postgres.url;
  stop = postgres.stop;
}
try {
  const applied = await migrate(url, log);
  log(applied.length ? `applied ${applied.length} migration(s)` : "database schema is up to date");
} finally {
  await stop();
}
