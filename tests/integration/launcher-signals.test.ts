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

describe("stopping `npm run dev`", () => {
  it("SIGTERM to npm stops the launcher and everything it started", { timeout: 120_000 }, async () => {
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
    const npm = spawn("npm", ["run", "dev"], { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let output = "";
    npm.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    npm.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => npm.once("exit", resolve));
    try {
      const answers = async () => (await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => undefined))?.ok === true;
      await waitFor(answers, 90_000, "the console to answer /api/health").catch((error: Error) => {
        throw new Error(`${error.message}; its output:\n${output.slice(-4000)}`);
      });
      // The launcher, PostgreSQL, a worker and Next at least, all carrying this run's data dir.
      expect(startedHere().length).toBeGreaterThanOrEqual(4);
      npm.kill("SIGTERM");
      await exited;
      await waitFor(async () => startedHere().length === 0, 30_000, "every process npm started to stop");
    } finally {
      if (alive(npm.pid!)) process.kill(-npm.pid!, "SIGKILL");
      for (const pid of startedHere()) process.kill(pid, "SIGKILL");
    }
  });
});
