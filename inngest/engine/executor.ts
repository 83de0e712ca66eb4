/**
 * The worker loop: a small pool of concurrent calls fed from the jobs table.
 * It runs a pass whenever something may have become due — an event was
 * ingested here (in-process kick), another instance committed work (NOTIFY),
 * a call finished, or the timer for the next sleep / retry / cron tick fired —
 * and otherwise polls slowly as a safety net.
 */
import { invoke, type InvokeOptions } from "./protocol";
import type { Job, Store } from "./store";

/** Passes of the loop start at least this far apart (see kick). */
const MIN_PASS_INTERVAL_MS = 20;
/** Calls of one run made in a row by one job before it goes back in the queue (see runJob). */
const MAX_CONTINUATIONS = 25;
/** How soon the loop looks again while batch keys wait to gather (see Store.formBatches). */
const BATCH_WAIT_POLL_MS = 50;

export type ExecutorOptions = {
  workers: number;
  /** Batch runs per function started early, before a batch is full or timed out (see Store.formBatches). */
  eagerBatches?: number;
  leaseMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  callTimeoutMs: number;
  pollMs: number;
  /** How often expired and dead instances' leases are handed back (claims only take unleased calls). */
  reclaimMs?: number;
  signingKey?: string;
  inProcess?: InvokeOptions["inProcess"];
  allowRemote?: boolean;
  log: (line: string) => void;
  /** Test seam: runs after a lease is committed, before the call. */
  afterClaim?: (job: Job) => void;
};

export class Executor {
  private readonly inFlight = new Map<string, Promise<void>>();
  private pumping = false;
  private dirty = false;
  private lastPass = -Infinity;
  private soon?: NodeJS.Timeout;
  private stopped = false;
  private timer?: NodeJS.Timeout;
  private heartbeat?: NodeJS.Timeout;
  private reclaimer?: NodeJS.Timeout;

  constructor(
    private readonly store: Store,
    private readonly owner: string,
    private readonly options: ExecutorOptions,
  ) {}

  start() {
    // Leases outlive a call only by a missed heartbeat or two.
    this.heartbeat = setInterval(() => {
      this.store.heartbeat(this.owner, [...this.inFlight.keys()], this.options.leaseMs).catch((error) => this.options.log(`engine: heartbeat failed: ${error}`));
    }, Math.max(50, Math.floor(this.options.leaseMs / 3)));
    this.reclaimer = setInterval(() => void this.reclaim(), this.options.reclaimMs ?? 1_000);
    void this.reclaim(); // a restart after kill -9 takes its predecessor's calls over at once
  }

  private async reclaim() {
    try {
      if ((await this.store.reclaimLeases()) > 0) this.kick();
    } catch (error) {
      this.options.log(`engine: lease reclaim failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * Asks for a pass of the loop; coalesces with one already running, and with any others asked for
   * within MIN_PASS_INTERVAL_MS of the last pass's start: under load one pass serves every event,
   * reply and NOTIFY of that time (a pass costs ~9 statements whether it finds one thing or a
   * hundred); when idle a pass starts at once.
   */
  readonly kick = () => {
    if (this.stopped) return;
    if (this.pumping) {
      this.dirty = true;
      return;
    }
    const wait = this.lastPass + MIN_PASS_INTERVAL_MS - performance.now();
    if (wait > 0) {
      this.soon ??= setTimeout(() => {
        this.soon = undefined;
        this.kick();
      }, wait);
      return;
    }
    void this.pump();
  };

  async stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.soon);
    clearInterval(this.heartbeat);
    clearInterval(this.reclaimer);
    await Promise.allSettled(this.inFlight.values());
  }

  private async pump() {
    this.pumping = true;
    this.lastPass = performance.now();
    clearTimeout(this.timer);
    let delay = this.options.pollMs;
    let waiting = false;
    try {
      this.dirty = false;
      const due = await this.store.dueTimers();
      if (due.crons) await this.store.fireDueCrons();
      if (due.sleeps) await this.store.wakeDueSleeps();
      // Waking a sleep or firing a cron tick makes a call due now.
      let calls = due.calls || due.sleeps || due.crons;
      if (due.batches) {
        const batches = await this.store.formBatches(this.options.workers, { eager: this.options.eagerBatches });
        waiting = batches.waiting > 0;
        calls ||= batches.started > 0;
      }
      const free = this.options.workers - this.inFlight.size;
      if (free > 0 && calls) for (const job of await this.store.claim(this.owner, free, this.options.leaseMs)) this.startJob(job);
      // Asked again meanwhile: the next pass comes within MIN_PASS_INTERVAL_MS and looks then.
      const next = this.dirty ? undefined : await this.store.msUntilNextWork();
      if (next !== undefined) delay = Math.min(delay, Math.ceil(next) + 1);
      // Batches left to gather start when a run ends (which kicks the loop) or, at the latest,
      // at their function's timeout; this look again bounds how late that can be.
      if (waiting) delay = Math.min(delay, BATCH_WAIT_POLL_MS);
    } catch (error) {
      this.options.log(`engine: worker loop: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.pumping = false;
    }
    if (this.stopped) return;
    if (this.dirty) this.kick();
    else this.timer = setTimeout(this.kick, delay);
  }

  private startJob(job: Job) {
    const done = this.runJob(job)
      .catch((error) => this.options.log(`engine: run ${job.runId}: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        this.inFlight.delete(job.id);
        this.kick();
      });
    this.inFlight.set(job.id, done);
  }

  /**
   * Calls the run, and again at once for as long as each reply ran exactly one new step (the
   * SDK's immediate execution) and the run goes on: the job keeps its lease, so its concurrency
   * slot, and the next call gets the memos it already had plus the new one, as Inngest's own
   * executor continues a run. A batch run's step call and the call that completes it follow each
   * other without a claim or a pass of the loop in between; the completing call no longer holds
   * the slot or the batch key, so the key's next batch starts meanwhile. At most MAX_CONTINUATIONS
   * in a row, then the run goes back in the queue with everything else.
   */
  private async runJob(claimed: Job) {
    this.options.afterClaim?.(claimed);
    let job = claimed;
    let call = job.call === undefined ? await this.store.loadCall(job.runId) : job.call;
    for (let hop = 0; call; hop++) {
      const maxAttempts = call.fn?.maxAttempts ?? 1;
      const outcome = call.fn
        ? await invoke(
            {
              url: call.fn.url,
              stepId: job.stepId,
              runId: job.runId,
              event: call.event,
              events: call.events,
              memos: call.memos,
              attempt: job.attempt,
              maxAttempts,
              disableImmediateExecution: call.parallel,
            },
            {
              signingKey: this.options.signingKey,
              timeoutMs: this.options.callTimeoutMs,
              inProcess: this.options.inProcess,
              allowRemote: this.options.allowRemote,
            },
          )
        : ({ kind: "error", retriable: false, error: { name: "FunctionNotFound", message: "the function is no longer registered (removed by a later sync)" } } as const);
      if (outcome.kind === "error") {
        this.options.log(`engine: run ${job.runId} attempt ${job.attempt + 1}/${maxAttempts}: ${outcome.error.name}: ${outcome.error.message}`);
      }
      const goOn = !this.stopped && hop + 1 < MAX_CONTINUATIONS;
      const { continued } = await this.store.applyOutcome(
        job,
        this.owner,
        outcome,
        { maxAttempts, backoffMs: (attempt) => this.backoff(attempt) },
        goOn ? { continueLeaseMs: this.options.leaseMs } : {},
      );
      if (!continued) return; // done here; whatever the run needs next is queued (or it ended)
      // Stopped meanwhile (stop() no longer renews leases): no new call. The job stays leased to
      // this instance, due now, until the engine hands its leases back as it stops.
      if (this.stopped) return;
      job = { ...job, attempt: 0 };
      call = { ...call, memos: [...call.memos, ...continued.memos], fn: continued.fn, parallel: call.parallel || continued.released };
      // A batch run handed its slot and batch key on (store.ts, applyOps): the key's next batch can form now.
      if (continued.released) this.kick();
    }
  }

  /** Exponential backoff with ±20 % jitter, capped. */
  private backoff(attempt: number) {
    const base = Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** attempt);
    return base * (0.8 + Math.random() * 0.4);
  }
}
