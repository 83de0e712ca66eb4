import { performance } from "node:perf_hooks";
import v8 from "node:v8";

/**
 * Gives memory back once a process falls quiet.
 *
 * V8 sizes its young generation for the load it last saw (the delivery worker's grows to about
 * three of its 32 MB semi-spaces under load, scripts/serve.ts) and keeps it, along with the old
 * generation's garbage, until its next collection, which an idle process never triggers. After a
 * burst the worker held about 300 MB (with 48 MB semi-spaces) for as long as it stayed idle, Next.js
 * 30–50 MB more than before it. A full collection returns it (the young generation shrinks back to a
 * megabyte or two): this runs one once the event loop has been busy less than `maxUtilization` of
 * the time (10 %: a worker still retrying a few hanging endpoints counts as quiet, and a collection
 * takes some 20–40 ms) for `quietMs`, and only while the heap is `growthBytes` above the smallest it
 * has been, so a process at rest is not collected again and again, and a busy one never
 * (docs/performance.md, *Memory at rest*).
 *
 * `quietMs` should stay above 5 s: V8 shrinks the young generation in a collection only once the
 * allocation rate it measures over its last 5 s has fallen, so a collection sooner after a burst
 * frees its garbage but keeps the young generation's size.
 *
 * Needs `--expose-gc` (the launcher starts the worker and Next.js with it); without it this does
 * nothing.
 */
export type IdleGcOptions = {
  /** How often the event loop's utilization is sampled. */
  intervalMs?: number;
  /** How long it must stay under `maxUtilization` before a collection. */
  quietMs?: number;
  maxUtilization?: number;
  /** Heap growth over the smallest heap seen that makes a collection worth running. */
  growthBytes?: number;
};

type Sample = { utilization: number; heapBytes: number };
type HeapBytes = { heapBytes: number; usedBytes: number };

/** The decision alone, fed one sample per interval (tests drive it directly). */
export function idleGcPolicy(options: Required<IdleGcOptions>, initialHeapBytes: number) {
  // The smallest heap seen: what the process needs at rest. Growth is measured from it, not from
  // the last collection: a collection right after a burst frees its garbage but may leave the young
  // generation at full size (V8 shrinks it only once the allocation rate it measures has fallen),
  // and the next quiet interval's collection then returns that too.
  let baseline = initialHeapBytes;
  let quietFor = 0;
  let collectedThisSpell = 0;
  return {
    /** True when a collection should run now; then report the heap after it with `collected`. */
    next(sample: Sample): boolean {
      baseline = Math.min(baseline, sample.heapBytes);
      if (sample.utilization > options.maxUtilization) {
        quietFor = 0;
        collectedThisSpell = 0;
        return false;
      }
      quietFor += options.intervalMs;
      return quietFor >= options.quietMs && collectedThisSpell < MAX_PER_QUIET_SPELL && sample.heapBytes - baseline >= options.growthBytes;
    },
    /** The heap (committed and used) just before and just after a collection this policy asked for. */
    collected(before: HeapBytes, after: HeapBytes) {
      baseline = Math.min(baseline, after.heapBytes);
      quietFor = 0;
      collectedThisSpell++;
      // One that freed next to nothing, of garbage or of committed space, says the rest is live:
      // no more this quiet spell.
      const little = options.growthBytes / 4;
      if (before.heapBytes - after.heapBytes < little && before.usedBytes - after.usedBytes < little) collectedThisSpell = MAX_PER_QUIET_SPELL;
    },
  };
}

/**
 * A heap whose live part really grew (caches filled) stays above the bar: it is collected at most
 * this many times per quiet spell, one `quietMs` apart, and again only after the next busy spell.
 */
const MAX_PER_QUIET_SPELL = 3;

type IdleGc = { stop: () => void; collections: () => number };
// One per process: Next.js may run its instrumentation again (next dev), and a second timer would
// double the collections.
const globalForIdleGc = globalThis as unknown as { hooklineIdleGc?: IdleGc };

export function releaseMemoryWhenIdle(options: IdleGcOptions = {}): IdleGc {
  globalForIdleGc.hooklineIdleGc?.stop();
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== "function") return { stop: () => {}, collections: () => 0 };
  // Sampled every second: a collection comes only at the end of a second that was itself quiet, so
  // load that starts just before it rarely meets a full collection's pause.
  const settings: Required<IdleGcOptions> = { intervalMs: 1_000, quietMs: 10_000, maxUtilization: 0.1, growthBytes: 16 * 1024 * 1024, ...options };
  const heap = (): HeapBytes => {
    const stats = v8.getHeapStatistics();
    return { heapBytes: stats.total_heap_size, usedBytes: stats.used_heap_size };
  };
  const policy = idleGcPolicy(settings, heap().heapBytes);
  let last = performance.eventLoopUtilization();
  let collections = 0;
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, last);
    last = now;
    const before = heap();
    if (!policy.next({ utilization, heapBytes: before.heapBytes })) return;
    gc();
    collections++;
    policy.collected(before, heap());
    // The collection's own pause is not the process being busy.
    last = performance.eventLoopUtilization();
  }, settings.intervalMs);
  timer.unref();
  const idle = { stop: () => clearInterval(timer), collections: () => collections };
  globalForIdleGc.hooklineIdleGc = idle;
  return idle;
}
