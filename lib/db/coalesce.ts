/**
 * Group commit for statements many concurrent requests make: while `maxInFlight` statements are
 * on their way, the jobs that arrive meanwhile queue and leave together in the next one. When idle
 * a job goes at once (no added wait); under load one statement (and one commit) carries many, so
 * PostgreSQL does one round trip, one plan execution and one WAL flush where it did dozens, and
 * its backends stop queueing for the same index pages.
 */
export class Coalescer<Job, Result> {
  private readonly queue: Array<{ job: Job; resolve: (value: Result) => void; reject: (error: unknown) => void }> = [];
  private inFlight = 0;
  private lastEnd = -Infinity;
  private lingering: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: {
      maxInFlight: number;
      /**
       * Under load, how long after a statement ends the next waits for company (ms) unless `full`
       * jobs are already queued. A statement that follows a quiet spell (none ended within `ms`)
       * goes at once, so an idle publish waits for nothing.
       */
      linger?: { ms: number; full: number };
      /** Whether `job` may join `group`: true, false (the group is full), or "skip" (a later group). */
      joins: (group: Job[], job: Job) => boolean | "skip";
      /** One statement for the group: an outcome per job, in order. */
      run: (jobs: Job[]) => Promise<Array<PromiseSettledResult<Result>>>;
    },
  ) {}

  add(job: Job): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.pump();
    });
  }

  private pump() {
    const { linger } = this.options;
    if (this.lingering) {
      if (!linger || this.queue.length < linger.full) return;
      clearTimeout(this.lingering);
      this.lingering = undefined;
    }
    while (this.inFlight < this.options.maxInFlight && this.queue.length) {
      if (linger && this.queue.length < linger.full) {
        const wait = this.lastEnd + linger.ms - performance.now();
        if (wait > 0) {
          this.lingering = setTimeout(() => {
            this.lingering = undefined;
            this.pump();
          }, wait);
          return;
        }
      }
      const group = [this.queue.shift()!];
      const jobs = [group[0]!.job];
      for (let index = 0; index < this.queue.length; ) {
        const joins = this.options.joins(jobs, this.queue[index]!.job);
        if (joins === false) break;
        if (joins === "skip") index++;
        else {
          const [entry] = this.queue.splice(index, 1);
          group.push(entry!);
          jobs.push(entry!.job);
        }
      }
      this.inFlight++;
      void this.options
        .run(jobs)
        .then(
          (outcomes) =>
            group.forEach((entry, index) => {
              const outcome = outcomes[index]!;
              if (outcome.status === "fulfilled") entry.resolve(outcome.value);
              else entry.reject(outcome.reason);
            }),
          (error: unknown) => group.forEach((entry) => entry.reject(error)),
        )
        .finally(() => {
          this.inFlight--;
          this.lastEnd = performance.now();
          this.pump();
        });
    }
  }
}
