import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { idleGcPolicy } from "@/lib/idle-gc";

const MB = 1024 * 1024;
const options = { intervalMs: 5_000, quietMs: 10_000, maxUtilization: 0.02, growthBytes: 16 * MB };
const quiet = (heapMb: number) => ({ utilization: 0.001, heapBytes: heapMb * MB });
const busy = (heapMb: number) => ({ utilization: 0.6, heapBytes: heapMb * MB });
/** What a collection left: committed heap and used heap, in MB. */
const heap = (heapMb: number, usedMb: number) => ({ heapBytes: heapMb * MB, usedBytes: usedMb * MB });

describe("idle GC policy", () => {
  it("collects once the process has been quiet for quietMs after growing, and not while busy", () => {
    const policy = idleGcPolicy(options, 40 * MB);
    expect(policy.next(busy(250))).toBe(false);
    expect(policy.next(busy(250))).toBe(false);
    expect(policy.next(quiet(250))).toBe(false); // 5 s quiet
    expect(policy.next(quiet(250))).toBe(true); // 10 s quiet
    policy.collected(heap(250, 160), heap(38, 30));
    // At rest now: never collected again, however long it stays quiet.
    for (let i = 0; i < 20; i++) expect(policy.next(quiet(38))).toBe(false);
  });

  it("does not collect a quiet process whose heap has not grown past the bar", () => {
    const policy = idleGcPolicy(options, 40 * MB);
    for (let i = 0; i < 10; i++) expect(policy.next(quiet(50))).toBe(false);
  });

  it("measures growth from the smallest heap seen, so a collection that left the heap large is followed by another", () => {
    const policy = idleGcPolicy(options, 60 * MB);
    policy.next(quiet(36)); // the heap shrank on its own: that is what the process needs at rest
    policy.next(busy(300));
    policy.next(quiet(300));
    expect(policy.next(quiet(300))).toBe(true);
    policy.collected(heap(300, 150), heap(210, 30)); // garbage freed, the young generation kept its size
    expect(policy.next(quiet(210))).toBe(false); // a quiet interval first
    expect(policy.next(quiet(210))).toBe(true);
    policy.collected(heap(210, 31), heap(37, 30));
    expect(policy.next(quiet(37))).toBe(false);
    expect(policy.next(quiet(37))).toBe(false);
  });

  it("collects at most three times a quiet spell while each frees something, and again after the next busy spell", () => {
    const policy = idleGcPolicy(options, 40 * MB);
    policy.next(busy(200));
    let collections = 0;
    for (let i = 0; i < 30; i++) {
      if (policy.next(quiet(200))) {
        collections++;
        policy.collected(heap(200, 150), heap(200, 120)); // garbage freed, the heap's size kept
      }
    }
    expect(collections).toBe(3);
    policy.next(busy(200));
    policy.next(quiet(200));
    expect(policy.next(quiet(200))).toBe(true);
  });

  it("stops for the quiet spell after a collection that freed next to nothing", () => {
    const policy = idleGcPolicy(options, 40 * MB);
    policy.next(busy(120));
    policy.next(quiet(120));
    expect(policy.next(quiet(120))).toBe(true);
    policy.collected(heap(120, 100), heap(119, 99)); // all of it live
    for (let i = 0; i < 20; i++) expect(policy.next(quiet(119))).toBe(false);
    policy.next(busy(119));
    policy.next(quiet(119));
    expect(policy.next(quiet(119))).toBe(true);
  });
});

describe.concurrent("releaseMemoryWhenIdle in a real process", () => {
  const run = (flags: string[], deadlineMs: number) =>
    promisify(execFile)(process.execPath, [...flags, "--max-semi-space-size=48", "--import", "tsx", "tests/fixtures/idle-gc-child.ts", String(deadlineMs)], { timeout: 35_000 }).then(
      ({ stdout }) => JSON.parse(stdout.trim().split("\n").at(-1)!) as { afterBurst: number; afterQuiet: number; collections: number },
    );

  it("returns the heap a burst grew once the process falls quiet", { timeout: 40_000 }, async () => {
    const result = await run(["--expose-gc"], 25_000);
    expect(result.afterBurst).toBeGreaterThan(100 * MB); // the young generation grew to its maximum
    expect(result.collections).toBeGreaterThanOrEqual(1);
    expect(result.afterQuiet).toBeLessThan(result.afterBurst / 3);
  });

  it("does nothing without --expose-gc", async () => {
    const result = await run([], 7_000); // past the first collection's 5.5 s
    expect(result.collections).toBe(0);
    // V8's own memory reducer may free old garbage, but the young generation stays at its full 128 MB.
    expect(result.afterQuiet).toBeGreaterThan(100 * MB);
  });
});
