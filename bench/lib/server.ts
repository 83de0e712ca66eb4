/**
 * The server under test: `next build` into its own dist dir, then the real
 * launcher as `npm start` runs it (scripts/serve.ts compiled: embedded PostgreSQL → migrations →
 * bootstrap → local engine → `next start`) as a child in its own process group.
 * Also: the process tree's memory, sampled from /proc, and a hard stop that
 * reaches every process the launcher started (next runs in a group of its own).
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { preloadPgss } from "./pgss";
import { deadline, log, now, sleep } from "./util";

export const DIST_DIR = ".next-bench";

export async function buildApp(): Promise<number> {
  const started = now();
  log(`next build → ${DIST_DIR} (HOOKLINE_SKIP_TYPECHECK=1)…`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(path.resolve("node_modules/.bin/next"), ["build"], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NEXT_DIST_DIR: DIST_DIR, HOOKLINE_SKIP_TYPECHECK: "1", NEXT_TELEMETRY_DISABLED: "1" },
    });
    registerChild(child);
    let tail = "";
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
      for (const line of chunk.toString().split("\n")) if (/Compiled|Generating|Finalizing|✓|error/i.test(line)) console.log(`  build: ${line.trim()}`);
    };
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`next build exited with ${code}:\n${tail}`))));
  });
  return Math.round(now() - started);
}

/** Children the bench started directly (build, the floor), killed on cleanup if still running. */
const directChildren = new Set<ChildProcess>();
export function registerChild(child: ChildProcess) {
  directChildren.add(child);
  child.on("exit", () => directChildren.delete(child));
}
export function killDirectChildren() {
  for (const child of directChildren) {
    try {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    } catch {}
    try {
      child.kill("SIGKILL");
    } catch {}
  }
}

export type ServerOptions = {
  dataDir: string;
  port: number;
  apiKey: string;
  extraEnv?: Record<string, string>;
  logFile?: (line: string) => void;
};

export type Server = {
  launcher: ChildProcess;
  baseUrl: string;
  pgPort: number;
  engineUrl: string;
  /** Every pid seen in the tree so far (for the hard stop). */
  pids: Set<number>;
  exited: Promise<number | null>;
};

/** HOOKLINE_METRICS_TOKEN of the bench's server: the read path times a Prometheus scrape over its generated history. */
export const BENCH_METRICS_TOKEN = "bench-metrics-token-0123456789";

/** Starts the launcher and resolves once it logs "console ready" and /api/health answers. */
export async function startServer(options: ServerOptions): Promise<Server> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ["DATABASE_URL", "INNGEST_BASE_URL", "INNGEST_EVENT_KEY", "INNGEST_SIGNING_KEY", "INNGEST_DEV", "HOOKLINE_EXECUTOR", "HOOKLINE_ADMIN_EMAIL", "HOOKLINE_ADMIN_PASSWORD"]) {
    delete env[name]; // the embedded default: no external database or Inngest server
  }
  Object.assign(env, {
    NODE_ENV: "production",
    NEXT_DIST_DIR: DIST_DIR,
    NEXT_TELEMETRY_DISABLED: "1",
    HOOKLINE_DATA_DIR: options.dataDir,
    PORT: String(options.port),
    HOSTNAME: "127.0.0.1",
    HOOKLINE_ALLOW_PRIVATE_NETWORKS: "true",
    HOOKLINE_API_KEY: options.apiKey,
    HOOKLINE_METRICS_TOKEN: BENCH_METRICS_TOKEN,
    ...options.extraEnv,
  });
  // `npm start`'s shape: the launcher and the worker compiled (scripts/build-processes.mjs, a fraction
  // of a second, so always from the current source, whatever build of Next.js is reused).
  execFileSync(process.execPath, ["scripts/build-processes.mjs"], { env: { ...process.env, NEXT_DIST_DIR: DIST_DIR }, stdio: ["ignore", "ignore", "pipe"] });
  const launcher = spawn(process.execPath, ["--conditions=react-server", "scripts/start.mjs", "start"], {
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group: the stop reaches postgres, the workers and Next too
    env,
  });
  const exited = new Promise<number | null>((resolve) => launcher.on("exit", (code) => resolve(code)));
  const server: Partial<Server> & { pids: Set<number> } = { launcher, pids: new Set([launcher.pid!]), exited };
  let ready: () => void;
  const readyPromise = new Promise<void>((resolve) => (ready = resolve));
  const recent: string[] = [];
  const onLine = (line: string) => {
    if (!line.trim()) return;
    recent.push(line);
    if (recent.length > 60) recent.shift();
    options.logFile?.(line);
    const pg = /embedded PostgreSQL on 127\.0\.0\.1:(\d+)/.exec(line);
    if (pg) server.pgPort = Number(pg[1]);
    const engine = /local Inngest engine on (\S+)/.exec(line);
    if (engine) server.engineUrl = engine[1];
    if (/console ready on/.test(line)) ready();
  };
  for (const stream of [launcher.stdout!, launcher.stderr!]) {
    let buffer = "";
    stream.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split("\n");
      buffer = lines.pop()!;
      lines.forEach(onLine);
    });
  }
  const timeout = deadline(180_000).then(() => "timeout" as const);
  const result = await Promise.race([readyPromise.then(() => "ready" as const), exited.then(() => "exited" as const), timeout]);
  if (result !== "ready") throw new Error(`the server did not start (${result}); last output:\n${recent.join("\n")}`);
  server.baseUrl = `http://127.0.0.1:${options.port}`;
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`${server.baseUrl}/api/health`).then((r) => r.ok, () => false);
    if (ok) break;
    await sleep(100);
  }
  if (!server.pgPort) throw new Error("could not read the embedded PostgreSQL port from the launcher's log");
  return server as Server;
}

/**
 * Restarts `server` with pg_stat_statements preloaded (`--pgss`, see ./pgss.ts). A failed
 * ALTER SYSTEM does not leave the first server running behind the error.
 */
export async function restartWithPgss(server: Server, options: ServerOptions): Promise<Server> {
  await preloadPgss(databaseUrl(options.dataDir, server.pgPort)).catch(async (error: unknown) => {
    await stopServer(server).catch(() => 0);
    throw error;
  });
  await stopServer(server);
  return startServer(options);
}

/** SIGTERM to the launcher's group (it stops next, the engine and postgres in order), then SIGKILL whatever is left. */
export async function stopServer(server: Server, graceMs = 25_000) {
  snapshotTree(server); // remember next's group and postgres before the launcher goes away
  const alive = () => server.launcher.exitCode === null && server.launcher.signalCode === null;
  if (alive()) {
    try {
      process.kill(-server.launcher.pid!, "SIGTERM");
    } catch {}
    await Promise.race([server.exited, deadline(graceMs)]);
  }
  const leftovers = [...server.pids].filter((pid) => pidAlive(pid));
  for (const pid of leftovers) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {}
  }
  for (let i = 0; i < 50 && [...server.pids].some(pidAlive); i++) await sleep(100);
  return leftovers.length;
}

function pidAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

type Proc = { pid: number; ppid: number; comm: string; rssKb: number; cpuTicks: number };

function parseStat(entry: string, stat: string): Proc {
  const close = stat.lastIndexOf(")");
  const comm = stat.slice(stat.indexOf("(") + 1, close);
  const fields = stat.slice(close + 2).split(" ");
  const ppid = Number(fields[1]);
  const rssPages = Number(fields[21]);
  // utime + stime + cutime + cstime, in clock ticks (100 per second on Linux)
  const cpuTicks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  return { pid: Number(entry), ppid, comm, rssKb: (rssPages * 4096) / 1024, cpuTicks };
}

export function readProcs(): Map<number, Proc> {
  const procs = new Map<number, Proc>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      procs.set(Number(entry), parseStat(entry, readFileSync(`/proc/${entry}/stat`, "utf8")));
    } catch {}
  }
  return procs;
}

/**
 * CPU ms used so far by the embedded cluster in `dataDir` (a bench script's own, not the server's):
 * the postmaster, with what its exited children left in its cutime, and its live children.
 */
export function clusterCpuMs(dataDir: string): number {
  const postmaster = Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  let ticks = 0;
  for (const proc of readProcs().values()) if (proc.pid === postmaster || proc.ppid === postmaster) ticks += proc.cpuTicks;
  return ticks * 10;
}

/** readProcs off the event loop (the memory monitor samples during timed phases). */
async function readProcsAsync(): Promise<Map<number, Proc>> {
  const procs = new Map<number, Proc>();
  const entries = (await readdir("/proc")).filter((entry) => /^\d+$/.test(entry));
  await Promise.all(
    entries.map(async (entry) => {
      try {
        procs.set(Number(entry), parseStat(entry, await readFile(`/proc/${entry}/stat`, "utf8")));
      } catch {}
    }),
  );
  return procs;
}

/** The launcher and all its descendants; adds them to server.pids. */
export function snapshotTree(server: Server, procs = readProcs()) {
  const children = new Map<number, Proc[]>();
  for (const proc of procs.values()) children.set(proc.ppid, [...(children.get(proc.ppid) ?? []), proc]);
  const tree: Proc[] = [];
  const root = procs.get(server.launcher.pid!);
  const stack = root ? [root] : [];
  while (stack.length) {
    const proc = stack.pop()!;
    tree.push(proc);
    server.pids.add(proc.pid);
    stack.push(...(children.get(proc.pid) ?? []));
  }
  return tree;
}

/**
 * CPU time used so far by the server's tree, in ms: node processes (launcher, engine, Next) and
 * postgres (a backend's time moves into the postmaster's cutime when it exits, so nothing is lost).
 * Unlike wall-clock throughput, CPU per delivery hardly depends on what else the machine runs.
 */
export function cpuMs(server: Server): { nodeMs: number; postgresMs: number } {
  const tree = snapshotTree(server);
  let node = 0;
  let postgres = 0;
  for (const proc of tree) {
    if (proc.comm.startsWith("postgres")) postgres += proc.cpuTicks;
    else node += proc.cpuTicks;
  }
  return { nodeMs: node * 10, postgresMs: postgres * 10 };
}

/** CPU ms used so far by role: next, worker (the delivery worker), launcher, postgres. */
export function cpuByRole(server: Server) {
  const out: Record<string, number> = { next: 0, worker: 0, launcher: 0, postgres: 0 };
  for (const proc of snapshotTree(server)) {
    let cmdline = "";
    try {
      cmdline = readFileSync(`/proc/${proc.pid}/cmdline`, "utf8").replaceAll("\0", " ");
    } catch {}
    const role = proc.comm.startsWith("postgres") ? "postgres" : /worker\.(ts|mjs)\b/.test(cmdline) ? "worker" : /next/.test(proc.comm + cmdline) ? "next" : "launcher";
    out[role]! += proc.cpuTicks * 10;
  }
  return out;
}

export type MemorySample = { totalMb: number; nodeMb: number; postgresMb: number; processes: number; pssMb?: number };

function sampleMemory(tree: Proc[]): MemorySample {
  let total = 0;
  let node = 0;
  let postgres = 0;
  for (const proc of tree) {
    total += proc.rssKb;
    if (proc.comm.startsWith("postgres")) postgres += proc.rssKb;
    else node += proc.rssKb;
  }
  return { totalMb: Math.round(total / 1024), nodeMb: Math.round(node / 1024), postgresMb: Math.round(postgres / 1024), processes: tree.length };
}

/**
 * Proportional set size of the whole tree, in MB: a page shared by n processes counts 1/n in
 * each, so PostgreSQL's shared buffers count once (summed RSS counts them once per backend that
 * touched them). Dearer to read than RSS: the kernel walks each process's page tables, about 2 ms
 * per PostgreSQL backend here, so it is read off the event loop.
 */
async function sampleProportionalMb(tree: Proc[]): Promise<number> {
  let kb = 0;
  for (const proc of tree) kb += (await memoryKb(proc.pid)).pss;
  return Math.round(kb / 1024);
}

/** One process's resident and proportional set size in kB, from /proc (0 once it has exited). */
export async function memoryKb(pid: number): Promise<{ rss: number; pss: number }> {
  try {
    const text = await readFile(`/proc/${pid}/smaps_rollup`, "utf8");
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? 0);
    return { rss: kb("Rss"), pss: kb("Pss") };
  } catch {
    return { rss: 0, pss: 0 };
  }
}

/**
 * Peak memory of the tree while `work` runs (RSS sampled every 250 ms, PSS every 2 s). Sampled
 * asynchronously: read synchronously, the PSS of some 30 processes held the bench's event loop
 * (its client and receiver, whose timings it reports) for up to about 130 ms every 2 s.
 */
export function memoryMonitor(server: Server) {
  let peak: MemorySample = { totalMb: 0, nodeMb: 0, postgresMb: 0, processes: 0, pssMb: 0 };
  // One sample at a time, each reading /proc once: a reset never sees the previous phase's late sample.
  let last: Promise<void> = Promise.resolve();
  const sample = (withPss: boolean) =>
    (last = last.then(async () => {
      try {
        const tree = snapshotTree(server, await readProcsAsync());
        const rss = sampleMemory(tree);
        if (rss.totalMb > peak.totalMb) peak = { ...rss, pssMb: peak.pssMb };
        peak.nodeMb = Math.max(peak.nodeMb, rss.nodeMb);
        if (withPss) peak.pssMb = Math.max(peak.pssMb ?? 0, await sampleProportionalMb(tree));
      } catch {}
    }));
  void sample(true);
  let ticks = 0;
  const timer = setInterval(() => void sample(++ticks % 8 === 0), 250);
  return {
    async reset() {
      await last;
      peak = { totalMb: 0, nodeMb: 0, postgresMb: 0, processes: 0, pssMb: 0 };
      await sample(true);
    },
    async peak() {
      await sample(true);
      return { ...peak };
    },
    stop: () => clearInterval(timer),
  };
}

export function databaseUrl(dataDir: string, pgPort: number) {
  const secrets = JSON.parse(readFileSync(path.join(dataDir, "secrets.json"), "utf8")) as { postgresPassword: string };
  return `postgresql://postgres:${encodeURIComponent(secrets.postgresPassword)}@127.0.0.1:${pgPort}/hookline`;
}

/** With --cpu-prof: asks every node process of the tree to write its profile so far (see cpu-profile-preload.cjs). */
export function markProfiles(server: Server) {
  let signalled = 0;
  for (const proc of snapshotTree(server)) {
    if (proc.pid === server.launcher.pid) continue; // the tsx wrapper: nothing of interest
    let cmdline = "";
    try {
      cmdline = readFileSync(`/proc/${proc.pid}/cmdline`, "utf8");
    } catch {}
    if (!/node|next-server/.test(proc.comm + cmdline)) continue;
    try {
      process.kill(proc.pid, "SIGUSR2");
      signalled++;
    } catch {}
  }
  return signalled;
}
