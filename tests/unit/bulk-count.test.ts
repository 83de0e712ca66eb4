import { describe, expect, it } from "vitest";
import { bulkCount } from "@/lib/metrics";

/** A count whose reads take `tookMs` on a clock the test moves; `values` are what successive reads return. */
function counting(tookMs: number) {
  const state = { now: 0, reads: 0, tookMs, fail: false };
  const read = async () => {
    state.reads += 1;
    await Promise.resolve();
    state.now += state.tookMs;
    if (state.fail) throw new Error("database down");
    return state.reads;
  };
  return { state, read, clock: () => state.now };
}

/** Lets a refresh started in the background finish. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("bulkCount: counts over finished rows in metrics scrapes", () => {
  it("counts afresh at every scrape while a count is cheap", async () => {
    const { state, read, clock } = counting(5);
    const count = bulkCount(read, undefined, clock);
    expect(await count.get()).toBe(1);
    expect(await count.get()).toBe(2);
    expect(await count.get()).toBe(3);
    expect(state.reads).toBe(3);
  });

  it("once a count is expensive, answers with the last one and counts again only after 100 times its duration", async () => {
    const { state, read, clock } = counting(200);
    const count = bulkCount(read, undefined, clock);
    expect(await count.get()).toBe(1); // nothing known yet: the scrape waits for it
    state.now += 10_000;
    expect(await count.get()).toBe(1);
    expect(state.reads).toBe(1);
    state.now += 10_000; // 20 s since the count, 100 × 200 ms
    expect(await count.get()).toBe(1); // the scrape does not wait: the new count runs behind it
    expect(state.reads).toBe(2);
    await settle();
    expect(await count.get()).toBe(2);
    expect(state.reads).toBe(2);
  });

  it("goes back to fresh counts when counting became cheap again (rows deleted by retention)", async () => {
    const { state, read, clock } = counting(200);
    const count = bulkCount(read, undefined, clock);
    await count.get();
    state.tookMs = 3;
    state.now += 20_000;
    await count.get();
    await settle();
    expect(await count.get()).toBe(3);
    expect(await count.get()).toBe(4);
  });

  it("shares one count between concurrent scrapes", async () => {
    const { state, read, clock } = counting(5);
    const count = bulkCount(read, undefined, clock);
    const values = await Promise.all([count.get(), count.get(), count.get()]);
    expect(values).toEqual([1, 1, 1]);
    expect(state.reads).toBe(1);
  });

  it("keeps the last count when a background count fails, tries again only after the same spacing, and fails a scrape that has none", async () => {
    const { state, read, clock } = counting(200);
    const errors: unknown[] = [];
    const count = bulkCount(read, (error) => errors.push(error), clock);
    state.fail = true;
    await expect(count.get()).rejects.toThrow("database down");
    state.fail = false;
    expect(await count.get()).toBe(2);
    state.fail = true;
    state.now += 20_000;
    expect(await count.get()).toBe(2);
    await settle();
    expect(errors).toHaveLength(1);
    expect(state.reads).toBe(3);
    // The failed count is not tried again at every scrape.
    state.now += 1_000;
    expect(await count.get()).toBe(2);
    await settle();
    expect(state.reads).toBe(3);
    state.fail = false;
    state.now += 20_000;
    expect(await count.get()).toBe(2);
    await settle();
    expect(await count.get()).toBe(4);
  });

  it("recovers from a count that throws before it starts (no database configured yet)", async () => {
    let calls = 0;
    const count = bulkCount(() => {
      calls += 1;
      if (calls === 1) throw new Error("DATABASE_URL is not set");
      return Promise.resolve(7);
    });
    await expect(count.get()).rejects.toThrow("DATABASE_URL is not set");
    expect(await count.get()).toBe(7);
  });

  it("shares one background count between concurrent scrapes", async () => {
    const { state, read, clock } = counting(200);
    const count = bulkCount(read, undefined, clock);
    await count.get();
    state.now += 20_000;
    expect(await Promise.all([count.get(), count.get(), count.get()])).toEqual([1, 1, 1]);
    await settle();
    expect(state.reads).toBe(2);
  });
});
