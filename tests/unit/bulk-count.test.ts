import { describe, expect, it } from "vitest";
import { bulkCount } from "@/lib/metrics";

/**
 * A count whose reads take `tookMs` on a clock the test moves and cover `rows` rows; each read
 * returns how many reads there have been, so a test sees which one a scrape answered with.
 */
function counting(tookMs: number, rows: number) {
  const state = { now: 0, reads: 0, tookMs, rows, fail: false };
  const read = async () => {
    state.reads += 1;
    await Promise.resolve();
    state.now += state.tookMs;
    if (state.fail) throw new Error("database down");
    return { read: state.reads, rows: state.rows };
  };
  const errors: unknown[] = [];
  const count = bulkCount(read, { rows: (value) => value.rows, onError: (error) => errors.push(error), clock: () => state.now });
  const get = async () => (await count.get()).read;
  return { state, get, count, errors };
}

/** Lets a refresh started in the background finish. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

const SMALL = 1_000;
const LARGE = 1_000_000;

describe("bulkCount: counts over finished rows in metrics scrapes", () => {
  it("counts afresh at every scrape while the count covers few rows, however long it took (a busy machine, a cold connection)", async () => {
    const { state, get } = counting(400, SMALL);
    expect(await get()).toBe(1);
    expect(await get()).toBe(2);
    expect(await get()).toBe(3);
    expect(state.reads).toBe(3);
  });

  it("over many rows, answers with the last count and counts again only after 100 times its duration", async () => {
    const { state, get } = counting(200, LARGE);
    expect(await get()).toBe(1); // nothing known yet: the scrape waits for it
    state.now += 10_000;
    expect(await get()).toBe(1);
    expect(state.reads).toBe(1);
    state.now += 10_000; // 20 s since the count, 100 × 200 ms
    expect(await get()).toBe(1); // the scrape does not wait: the new count runs behind it
    expect(state.reads).toBe(2);
    await settle();
    expect(await get()).toBe(2);
    expect(state.reads).toBe(2);
  });

  it("goes back to fresh counts once retention has deleted most rows", async () => {
    const { state, get } = counting(200, LARGE);
    await get();
    state.rows = SMALL;
    state.now += 20_000;
    await get();
    await settle();
    expect(await get()).toBe(3);
    expect(await get()).toBe(4);
  });

  it("shares one count between concurrent scrapes, fresh or in the background", async () => {
    const small = counting(5, SMALL);
    expect(await Promise.all([small.get(), small.get(), small.get()])).toEqual([1, 1, 1]);
    expect(small.state.reads).toBe(1);

    const large = counting(200, LARGE);
    await large.get();
    large.state.now += 20_000;
    expect(await Promise.all([large.get(), large.get(), large.get()])).toEqual([1, 1, 1]);
    await settle();
    expect(large.state.reads).toBe(2);
  });

  it("keeps the last count when a background count fails, tries again only after the same spacing, and fails a scrape that has none", async () => {
    const { state, get, errors } = counting(200, LARGE);
    state.fail = true;
    await expect(get()).rejects.toThrow("database down");
    state.fail = false;
    expect(await get()).toBe(2);
    state.fail = true;
    state.now += 20_000;
    expect(await get()).toBe(2);
    await settle();
    expect(errors).toHaveLength(1);
    expect(state.reads).toBe(3);
    // The failed count is not tried again at every scrape.
    state.now += 1_000;
    expect(await get()).toBe(2);
    await settle();
    expect(state.reads).toBe(3);
    state.fail = false;
    state.now += 20_000;
    expect(await get()).toBe(2);
    await settle();
    expect(await get()).toBe(4);
  });

  it("recovers from a count that throws before it starts (no database configured yet)", async () => {
    let calls = 0;
    const count = bulkCount(
      () => {
        calls += 1;
        if (calls === 1) throw new Error("DATABASE_URL is not set");
        return Promise.resolve(7);
      },
      { rows: () => 0 },
    );
    await expect(count.get()).rejects.toThrow("DATABASE_URL is not set");
    expect(await count.get()).toBe(7);
  });
});
