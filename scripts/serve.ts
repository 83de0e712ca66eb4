/**
 * `npm run dev` / `npm start`: brings up everything the console needs on one
 * machine, in order, then runs Next.js as a child process:
 *   1. secrets generated once into the data dir (encryption key, session secret)
 *   2. embedded PostgreSQL under <data>/pg — unless DATABASE_URL is set
 *   3. migrations, then the env bootstrap (admin, API key)
 *   4. the local Inngest engine on loopback — unless an Inngest server is configured
 *   5. `next dev|start`, then the engine syncs the app's functions from /api/inngest
 * Ctrl-C (or SIGTERM) stops them in reverse order.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { loadDotEnv } from "./launch-env";

loadDotEnv();
process.env.NEXT_TELEMETRY_DISABLED = "1";

const mode = process.argv[2] === "start" ? "start" : "dev";
// Readable log lines while developing; JSON lines (for log shippers) otherwise.
if (mode === "dev") process.env.HOOKLINE_LOG_FORMAT ??= "pretty";

const { dataDir, env, resetEnv, usesLocalEngine } = await import("@/lib/env");
const { loadLocalSecrets } = await import("@/lib/local-secrets");
const { startEmbeddedPostgres } = await import("@/lib/db/embedded");
const { migrate } = await import("@/lib/db/migrate");
const { logger } = await import("@/lib/log");

const log = (line: string) => logger().info(line);
const cleanups: Array<() => Promise<void>> = [];
let next: ChildProcess | undefined;
let shuttingDown = false;

async function shutdown(code: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  if (next && next.exitCode === null && next.signalCode === null) {
    next.kill("SIGTERM");
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => (next!.kill("SIGKILL"), resolve()), 5000);
      next!.once("exit", () => (clearTimeout(timer), resolve()));
    });
  }
  for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => log(`shutdown: ${error}`));
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

try {
  const config = env();
  const secrets = loadLocalSecrets(dataDir());
  process.env.HOOKLINE_ENCRYPTION_KEY ??= secrets.encryptionKey;
  process.env.NEXTAUTH_SECRET ??= secrets.authSecret;
  // Self-hosted: the console answers on whatever host name people use for it.
  if (!config.NEXTAUTH_URL) process.env.AUTH_TRUST_HOST ??= "true";

  if (!config.DATABASE_URL) {
    const started = performance.now();
    const postgres = await startEmbeddedPostgres({
      dataDir: path.join(dataDir(), "pg"),
      password: secrets.postgresPassword,
      log,
    });
    cleanups.push(postgres.stop);
    process.env.DATABASE_URL = postgres.url;
    log(`embedded PostgreSQL on 127.0.0.1:${postgres.port} (${Math.round(performance.now() - started)} ms)`);
  }
  resetEnv();

  const applied = await migrate(env().DATABASE_URL!, log);
  if (!applied.length) log("database schema is up to date");

  const { bootstrapFromEnv } = await import("@/lib/bootstrap");
  const report = await bootstrapFromEnv();
  if (report.admin !== "skipped" || report.apiKey !== "skipped") log(`env bootstrap: admin ${report.admin}, API key ${report.apiKey}`);

  const port = env().PORT;
  let engine: Awaited<ReturnType<typeof import("@/inngest/engine").startEngine>> | undefined;
  if (usesLocalEngine()) {
    const { startEngine } = await import("@/inngest/engine");
    engine = await startEngine({
      databaseUrl: env().DATABASE_URL!,
      host: "127.0.0.1",
      port: env().HOOKLINE_ENGINE_PORT,
      workers: env().HOOKLINE_ENGINE_WORKERS,
      log,
    });
    cleanups.push(engine.stop);
    process.env.INNGEST_DEV = "1";
    process.env.INNGEST_BASE_URL = engine.url;
    process.env.HOOKLINE_EXECUTOR = "local-engine";
    log(`local Inngest engine on ${engine.url}`);
  }

  process.env.HOOKLINE_LAUNCHER_PID = String(process.pid);
  next = spawn(path.resolve("node_modules/.bin/next"), [mode, "-p", String(port), "-H", process.env.HOSTNAME ?? "0.0.0.0"], {
    stdio: "inherit",
    // Same process group as this launcher and postgres: whoever stops the group (a terminal's
    // Ctrl-C, systemd, a test runner's kill) stops all of them, and nothing is left holding the port.
    env: process.env,
  });
  next.on("exit", (code) => {
    if (!shuttingDown) {
      log(`next exited with code ${code}`);
      void shutdown(code ?? 1);
    }
  });

  if (engine) {
    const serveUrl = `http://127.0.0.1:${port}/api/inngest`;
    await engine.syncApp(serveUrl);
    log(`functions synced from ${serveUrl}`);
  }
  log(`console ready on http://localhost:${port}`);
} catch (error) {
  logger().fatal({ err: error }, "start-up failed");
  await shutdown(1);
}
