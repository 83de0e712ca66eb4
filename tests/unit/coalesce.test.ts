import { describe, expect, it } from "vitest";
import { Coalescer } from "@/lib/db/coalesce";

// The group commit's timing decides both a publish's latency and how many publishes share a
// PostgreSQL statement. Real timers: the statements are stand-ins that take `ms` to answer.

type Statement = { jobs: number[]; startedAt: number };

function coalescer(options: { maxInFlight: number; linger?: { ms: number; full: number }; statementMs: number }) {
  const statements: Statement[] = [];
  const t0 = performance.now();
  const group = new Coalescer<number, number>({
    maxInFlight: options.maxInFlight,
    linger: options.linger,
    joins: () => true,
    run: async (jobs) => {
      statements.push({ jobs, startedAt: performance.now() - t0 });
      await new Promise((resolve) => setTimeout(resolve, options.statementMs));
      return jobs.map((job) => (job < 0 ? { status: "rejected", reason: new Error(`job ${job}`) } : { status: "fulfilled", value: job * 10 }));
    },
  });
  return { group, statements };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("Coalescer", () => {
  it("sends a job that arrives when idle at once, lingering or not", async () => {
    const { group, statements } = coalescer({ maxInFlight: 1, linger: { ms: 200, full: 8 }, statementMs: 1 });
    await expect(group.add(1)).resolves.toBe(10);
    expect(statements).toHaveLength(1);
    expect(statements[0]!.startedAt).toBeLessThan(50);
  });

  it("queues what arrives while a statement is on its way and sends it together in the next", async () => {
    const { group, statements } = coalescer({ maxInFlight: 1, statementMs: 30 });
    const first = group.add(1);
    await sleep(5);
    const rest = [2, 3, 4].map((job) => group.add(job));
    await expect(Promise.all([first, ...rest])).resolves.toEqual([10, 20, 30, 40]);
    expect(statements.map((statement) => statement.jobs)).toEqual([[1], [2, 3, 4]]);
  });

  it("under load, lets the next statement wait up to `ms` after the last ended for company", async () => {
    const { group, statements } = coalescer({ maxInFlight: 1, linger: { ms: 60, full: 8 }, statementMs: 5 });
    await group.add(1);
    // Within the linger window after the first statement ended: these wait for each other.
    const late = [2, 3].map((job) => group.add(job));
    await sleep(20);
    late.push(group.add(4));
    await expect(Promise.all(late)).resolves.toEqual([20, 30, 40]);
    expect(statements.map((statement) => statement.jobs)).toEqual([[1], [2, 3, 4]]);
    expect(statements[1]!.startedAt - statements[0]!.startedAt).toBeGreaterThanOrEqual(55);
  });

  it("stops lingering as soon as `full` jobs are queued", async () => {
    const { group, statements } = coalescer({ maxInFlight: 1, linger: { ms: 10_000, full: 3 }, statementMs: 1 });
    await group.add(1);
    await sleep(1); // the first statement has ended: nothing in flight, the linger window is open
    const results = Promise.all([2, 3, 4].map((job) => group.add(job)));
    await expect(results).resolves.toEqual([20, 30, 40]);
    expect(statements.map((statement) => statement.jobs)).toEqual([[1], [2, 3, 4]]);
    expect(statements[1]!.startedAt - statements[0]!.startedAt).toBeLessThan(1_000);
  });

  it("after a quiet spell longer than the linger, sends at once again", async () => {
    const { group, statements } = coalescer({ maxInFlight: 1, linger: { ms: 200, full: 8 }, statementMs: 1 });
    await group.add(1);
    await sleep(250);
    const sentAt = performance.now();
    await group.add(2);
    expect(performance.now() - sentAt).toBeLessThan(150);
    expect(statements).toHaveLength(2);
  });

  it("gives each job its own outcome and keeps at most maxInFlight statements going", async () => {
    let running = 0;
    let most = 0;
    const group = new Coalescer<number, number>({
      maxInFlight: 2,
      joins: (jobs) => jobs.length < 2,
      run: async (jobs) => {
        most = Math.max(most, ++running);
        await sleep(10);
        running--;
        return jobs.map((job) => (job < 0 ? { status: "rejected", reason: new Error(`job ${job}`) } : { status: "fulfilled", value: job }));
      },
    });
    const outcomes = await Promise.allSettled([1, -2, 3, 4, -5, 6, 7].map((job) => group.add(job)));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "rejected", "fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled"]);
    expect(most).toBe(2);
  });
});
