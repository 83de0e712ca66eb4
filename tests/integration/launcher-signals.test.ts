import { spawn } from "node:child_process";
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

/** Every live descendant of `root`, read from /proc. */
function descendants(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ")".
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // exited meanwhile
    }
  }
  const found: number[] = [];
  const visit = (pid: number) => {
    for (const [child, parent] of parents) {
      if (parent !== pid) continue;
      found.push(child);
      visit(child);
    }
  };
  visit(root);
  return found;
}

describe("stopping `npm run dev`", () => {
  it("SIGTERM to npm stops the launcher and everything it started", { timeout: 120_000 }, async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, HOOKLINE_DATA_DIR: dataDir, NEXT_DIST_DIR: distDir, PORT: String(await freePort()) };
    delete env.DATABASE_URL; // the embedded default, as on a fresh machine
    delete env.HOOKLINE_ENGINE_PORT;
    const npm = spawn("npm", ["run", "dev"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    npm.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    npm.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    let tree: number[] = [];
    try {
      await waitFor(async () => output.includes("console ready on"), 90_000, `the console to be ready:\n${output}`);
      tree = descendants(npm.pid!);
      // The launcher, PostgreSQL, a worker and Next at least.
      expect(tree.length).toBeGreaterThanOrEqual(4);
      const exited = new Promise((resolve) => npm.once("exit", resolve));
      npm.kill("SIGTERM");
      await exited;
      await waitFor(async () => tree.every((pid) => !alive(pid)), 30_000, "every process npm started to stop");
    } finally {
      for (const pid of [npm.pid!, ...tree]) if (alive(pid)) process.kill(pid, "SIGKILL");
    }
  });
});
