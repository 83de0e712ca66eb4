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

  constructor(
    private readonly options: {
      maxInFlight: number;
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
    while (this.inFlight < this.options.maxInFlight && this.queue.length) {
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
          this.pump();
        });
    }
  }
}
