import type { ChildProcess } from "node:child_process";

export type SuperviseOptions = {
  /** For log lines: "delivery worker 0". */
  name: string;
  /** Starts the process; its stdout is read line by line (a `READY …` line marks it started). */
  spawn: () => ChildProcess;
  /** Every other stdout line. */
  onLine?: (line: string) => void;
  log: (line: string) => void;
  /** While this is true an exit is a stop, not a death: nothing is restarted. */
  stopping: () => boolean;
  /** The first restart's delay; it doubles up to maxBackoffMs while the process keeps dying young. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** A process that lived this long died old: the next restart waits backoffMs again. */
  healthyAfterMs?: number;
};

export type Supervised = {
  /** Resolves once the first start printed READY; rejects when it exited before that. */
  started: Promise<void>;
  /** The running process, if one is. */
  current: () => ChildProcess | undefined;
};

/**
 * Keeps a child process running (the launcher's delivery workers, scripts/serve.ts): started once,
 * restarted whenever it exits while we are not stopping (after `backoffMs`, doubling to
 * `maxBackoffMs` while it keeps dying within `healthyAfterMs`). One that dies before it is ready
 * the first time is a broken install or configuration, not a crash: `started` rejects and nothing
 * is restarted, so the launcher can stop with the reason instead of looping.
 */
export function supervise(options: SuperviseOptions): Supervised {
  const { name, log } = options;
  const initialBackoffMs = options.backoffMs ?? 1000;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const healthyAfterMs = options.healthyAfterMs ?? 60_000;
  let backoffMs = initialBackoffMs;
  let child: ChildProcess | undefined;
  let firstStart: ((error?: Error) => void) | undefined;
  const started = new Promise<void>((resolve, reject) => (firstStart = (error) => (error ? reject(error) : resolve())));
  const start = () => {
    const startedAt = Date.now();
    const proc = options.spawn();
    child = proc;
    let buffer = "";
    proc.stdout?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split("\n");
      buffer = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith("READY ")) {
          firstStart?.();
          firstStart = undefined;
        } else if (line.trim()) options.onLine?.(line);
      }
    });
    proc.once("exit", (code, signal) => {
      if (child === proc) child = undefined;
      if (options.stopping()) return;
      if (firstStart) {
        firstStart(new Error(`the ${name} exited during start-up (${signal ?? `code ${code}`})`));
        firstStart = undefined;
        return;
      }
      if (Date.now() - startedAt > healthyAfterMs) backoffMs = initialBackoffMs;
      const delay = backoffMs;
      backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
      log(`${name} exited (${signal ?? `code ${code}`}); restarting in ${delay / 1000} s`);
      setTimeout(() => !options.stopping() && start(), delay);
    });
  };
  start();
  return { started, current: () => child };
}
