/** Small helpers shared by the bench: clock, percentiles, progress, the global deadline. */

/** Absolute wall-clock milliseconds with sub-ms resolution, comparable across the bench's own code. */
export const now = () => performance.timeOrigin + performance.now();

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Resolves after `ms` without keeping the process alive for it: the losing side of a
 * `Promise.race` (a start-up deadline, a stop's grace period) must not hold a script that is done.
 */
export const deadline = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export type Summary = { n: number; p50: number | null; p90: number | null; p99: number | null; max: number | null; mean: number | null };

export function summarize(samples: number[]): Summary {
  if (!samples.length) return { n: 0, p50: null, p90: null, p99: null, max: null, mean: null };
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  return { n: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: round(sorted[sorted.length - 1]!), mean: round(mean) };
}

export function median(samples: number[]): number {
  return summarize(samples).p50 ?? NaN;
}

export const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

let deadlineAt = Infinity;
export function setDeadline(at: number) {
  deadlineAt = at;
}
export function timeLeftMs() {
  return deadlineAt - Date.now();
}
export class DeadlineError extends Error {
  override name = "DeadlineError";
}
export function checkDeadline(what: string) {
  if (Date.now() > deadlineAt) throw new DeadlineError(`global deadline reached during ${what}`);
}

/** One status line, rewritten in place on a terminal, at most every 500 ms elsewhere. */
export function progress(label: string) {
  const tty = process.stdout.isTTY;
  let last = 0;
  return {
    update(text: string, force = false) {
      const t = Date.now();
      if (!force && t - last < (tty ? 200 : 2000)) return;
      last = t;
      if (tty) process.stdout.write(`\r\x1b[2K  ${label}: ${text}`);
      else console.log(`  ${label}: ${text}`);
    },
    done(text: string) {
      if (tty) process.stdout.write(`\r\x1b[2K`);
      console.log(`  ${label}: ${text}`);
    },
  };
}

export const log = (line: string) => console.log(`[bench] ${line}`);

/** --name value / --flag parsing, nothing more. */
export function parseArgs(argv: string[]) {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) continue;
    const [name, inline] = arg.slice(2).split("=", 2) as [string, string | undefined];
    if (inline !== undefined) flags.set(name, inline);
    else if (argv[i + 1] && !argv[i + 1]!.startsWith("--")) flags.set(name, argv[++i]!);
    else flags.set(name, true);
  }
  return {
    number(name: string, fallback: number) {
      const value = flags.get(name);
      if (value === undefined || value === true) return fallback;
      const parsed = Number(value);
      if (!Number.isFinite(parsed)) throw new Error(`--${name} must be a number`);
      return parsed;
    },
    bool(name: string) {
      const value = flags.get(name);
      return value === true || value === "true" || value === "1";
    },
    string(name: string, fallback: string) {
      const value = flags.get(name);
      return typeof value === "string" ? value : fallback;
    },
  };
}
