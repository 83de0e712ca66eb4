import { spawn } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { supervise, type Supervised } from "@/lib/supervise";
import { waitFor } from "@/tests/fixtures/engine/helpers";
import { alive } from "@/tests/helpers/process";

// The launcher's supervision of its delivery workers (scripts/serve.ts), on real child processes:
// a small node program that prints READY and lives until it is killed, or one that dies at once.
const live = `console.log("starting"); console.log("READY " + process.pid); setInterval(() => {}, 1000);`;
const dying = `console.error("no database"); process.exit(3);`;

let stopping = false;
const running: Supervised[] = [];
beforeEach(() => {
  stopping = false;
});
afterEach(async () => {
  stopping = true; // until the next test: the kills below must not be restarted
  const pids = running.splice(0).flatMap((one) => one.current()?.pid ?? []);
  for (const pid of pids) process.kill(pid, "SIGKILL");
  await waitFor(async () => pids.every((pid) => !alive(pid)), 10_000, "the test's processes to be gone");
});

function start(program: string, lines: string[] = [], logs: string[] = []) {
  const supervised = supervise({
    name: "test worker",
    spawn: () => spawn(process.execPath, ["-e", program], { stdio: ["ignore", "pipe", "ignore"] }),
    onLine: (line) => lines.push(line),
    log: (line) => logs.push(line),
    stopping: () => stopping,
    backoffMs: 50,
    maxBackoffMs: 200,
  });
  running.push(supervised);
  return supervised;
}

describe("supervise (the launcher's delivery workers)", () => {
  it("restarts a process that dies, however it dies, after its start-up", async () => {
    const lines: string[] = [];
    const logs: string[] = [];
    const worker = start(live, lines, logs);
    await worker.started;
    const first = worker.current()!.pid!;
    expect(lines).toContain("starting"); // its other output is passed on

    process.kill(first, "SIGKILL");
    await waitFor(async () => Boolean(worker.current()?.pid) && worker.current()!.pid !== first, 10_000, "a restarted process");
    const second = worker.current()!.pid!;
    expect(alive(first)).toBe(false);
    expect(logs.at(-1)).toMatch(/test worker exited \(SIGKILL\); restarting in 0\.05 s/);

    process.kill(second, "SIGTERM"); // a TERM from elsewhere too: a worker is never meant to stop by itself
    await waitFor(async () => Boolean(worker.current()?.pid) && worker.current()!.pid !== second, 10_000, "a second restart");
    expect(logs.at(-1)).toMatch(/restarting in 0\.1 s/); // the delay doubles while it keeps dying young
    await waitFor(async () => alive(worker.current()!.pid!), 10_000, "the third process");
  });

  it("does not restart what it is stopping", async () => {
    const worker = start(live);
    await worker.started;
    const pid = worker.current()!.pid!;
    stopping = true;
    worker.current()!.kill("SIGTERM");
    await waitFor(async () => !alive(pid) && worker.current() === undefined, 10_000, "the process to be gone");
    await new Promise((resolve) => setTimeout(resolve, 300)); // longer than any restart delay
    expect(worker.current()).toBeUndefined();
  });

  it("reports a process that dies before it is ready the first time, and does not loop restarting it", async () => {
    const logs: string[] = [];
    const worker = start(dying, [], logs);
    await expect(worker.started).rejects.toThrow("the test worker exited during start-up (code 3)");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(worker.current()).toBeUndefined();
    expect(logs).toEqual([]);
  });
});
