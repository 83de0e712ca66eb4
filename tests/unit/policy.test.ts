import { describe, expect, it } from "vitest";
import { nextDelay, policyJitters, retrySchedule, shouldDisableEndpoint } from "@/lib/delivery/policy";
import type { RetryPolicy } from "@/lib/delivery/schemas";

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const noJitter = () => 0.5;

/** Follows a policy from the first failed attempt until it gives up. */
function delaysUntilGiveUp(policy: RetryPolicy): number[] {
  const delays: number[] = [];
  for (let attemptNumber = 1; ; attemptNumber++) {
    const decision = nextDelay({ policy, attemptNumber, random: noJitter });
    if (!decision.retry) return delays;
    delays.push(decision.delayMs);
  }
}

describe("schedules", () => {
  it.each<[string, RetryPolicy, number[]]>([
    ["standard (Svix)", { preset: "standard" }, [5 * s, 5 * m, 30 * m, 2 * h, 5 * h, 10 * h, 10 * h]],
    ["fixed (seed 000): four retries, failed after the fifth attempt", { preset: "fixed" }, [m, 5 * m, 30 * m, 2 * h]],
    ["exponential (seed 001), default 8 attempts", { preset: "exponential" }, [1 * s, 2 * s, 4 * s, 8 * s, 16 * s, 30 * s, 30 * s]],
    ["exponential with 3 attempts", { preset: "exponential", maxAttempts: 3 }, [1 * s, 2 * s]],
    ["exponential with 1 attempt", { preset: "exponential", maxAttempts: 1 }, []],
    ["none (seed 003)", { preset: "none" }, []],
    ["custom", { preset: "custom", delaysMs: [10 * s, 20 * s] }, [10 * s, 20 * s]],
  ])("%s", (_, policy, expected) => {
    expect(retrySchedule(policy)).toEqual(expected);
    expect(delaysUntilGiveUp(policy)).toEqual(expected);
  });

  it("caps exponential at 30 s however many attempts", () => {
    const schedule = retrySchedule({ preset: "exponential", maxAttempts: 30 });
    expect(schedule).toHaveLength(29);
    expect(schedule.slice(0, 6)).toEqual([1 * s, 2 * s, 4 * s, 8 * s, 16 * s, 30 * s]);
    expect(Math.max(...schedule)).toBe(30 * s);
  });
});

describe("jitter", () => {
  it.each([
    [0, 0.8 * 5 * m],
    [0.25, 0.9 * 5 * m],
    [0.5, 5 * m],
    [0.999999, 1.2 * 5 * m],
  ])("random %d gives %d ms for a 5 min step", (random, expected) => {
    const decision = nextDelay({ policy: { preset: "standard" }, attemptNumber: 2, random: () => random });
    expect(decision).toEqual({ retry: true, delayMs: Math.round(expected) });
  });

  it("is off for fixed: seed 000's schedule to the millisecond whatever the random draw", () => {
    for (const random of [0, 0.3, 0.999999]) {
      const delays = [1, 2, 3, 4].map((attemptNumber) => nextDelay({ policy: { preset: "fixed" }, attemptNumber, random: () => random }));
      expect(delays).toEqual([m, 5 * m, 30 * m, 2 * h].map((delayMs) => ({ retry: true, delayMs })));
    }
  });

  it("is a policy setting: on by default for standard and exponential, can be turned off or on", () => {
    expect([policyJitters({ preset: "standard" }), policyJitters({ preset: "exponential" }), policyJitters({ preset: "fixed" })]).toEqual([true, true, false]);
    expect(nextDelay({ policy: { preset: "standard", jitter: false }, attemptNumber: 2, random: () => 0 })).toEqual({ retry: true, delayMs: 5 * m });
    expect(nextDelay({ policy: { preset: "fixed", jitter: true }, attemptNumber: 1, random: () => 0 })).toEqual({ retry: true, delayMs: 0.8 * m });
  });

  it("stays within ±20 % and never goes negative with Math.random", () => {
    for (let i = 0; i < 500; i++) {
      const decision = nextDelay({ policy: { preset: "exponential" }, attemptNumber: 1 });
      if (!decision.retry) throw new Error("expected a retry");
      expect(decision.delayMs).toBeGreaterThanOrEqual(800);
      expect(decision.delayMs).toBeLessThanOrEqual(1200);
    }
  });
});

describe("Retry-After", () => {
  const now = Date.parse("2026-01-16T10:30:00Z");
  const at = (status: number, header: string | null, policy: RetryPolicy = { preset: "exponential" }) =>
    nextDelay({ policy, attemptNumber: 1, responseStatus: status, retryAfterHeader: header, random: noJitter, now });

  it.each<[string, number, string | null, number]>([
    ["seconds on 429, capped by exponential's 30 s maximum", 429, "120", 30 * s],
    ["seconds on 503 under the maximum", 503, " 25 ", 25 * s],
    ["an HTTP date, capped", 503, "Fri, 16 Jan 2026 10:35:00 GMT", 30 * s],
    ["a past date falls back to the policy", 429, "Fri, 16 Jan 2026 10:00:00 GMT", 1 * s],
    ["0 falls back to the policy", 429, "0", 1 * s],
    ["garbage is ignored", 429, "soon", 1 * s],
    ["absent", 429, null, 1 * s],
    ["ignored on other statuses", 500, "120", 1 * s],
  ])("%s", (_, status, header, expected) => {
    expect(at(status, header)).toEqual({ retry: true, delayMs: expected });
  });

  it("is honoured up to 24 h by a policy without a maximum", () => {
    expect(at(429, "120", { preset: "standard" })).toEqual({ retry: true, delayMs: 120 * s });
    expect(at(503, "Fri, 16 Jan 2026 10:35:00 GMT", { preset: "custom", delaysMs: [s] })).toEqual({ retry: true, delayMs: 5 * m });
    expect(at(429, String(3 * 24 * 3600), { preset: "standard" })).toEqual({ retry: true, delayMs: 24 * h });
  });

  it("never passes a policy's configured maximum delay", () => {
    expect(at(429, "120", { preset: "standard", maxDelayMs: 60 * s })).toEqual({ retry: true, delayMs: 60 * s });
    expect(at(429, "120", { preset: "exponential", maxDelayMs: 10 * s })).toEqual({ retry: true, delayMs: 10 * s });
    // The maximum also caps the schedule's own steps, and jitter on them.
    expect(retrySchedule({ preset: "exponential", maxAttempts: 6, maxDelayMs: 5 * s })).toEqual([s, 2 * s, 4 * s, 5 * s, 5 * s]);
    expect(nextDelay({ policy: { preset: "exponential", maxAttempts: 8 }, attemptNumber: 7, random: () => 0.999 })).toEqual({ retry: true, delayMs: 30 * s });
  });

  it("never shortens the policy's own delay", () => {
    expect(at(429, "10", { preset: "standard" })).toEqual({ retry: true, delayMs: 10 * s });
    expect(nextDelay({ policy: { preset: "standard" }, attemptNumber: 3, responseStatus: 429, retryAfterHeader: "10", random: noJitter, now })).toEqual({
      retry: true,
      delayMs: 30 * m,
    });
  });

  it("does not grant a retry the policy does not have", () => {
    expect(at(429, "60", { preset: "none" })).toEqual({ retry: false });
  });
});

describe("410 and disabling", () => {
  it("does not retry 410 Gone", () => {
    expect(nextDelay({ policy: { preset: "standard" }, attemptNumber: 1, responseStatus: 410 })).toEqual({ retry: false });
  });

  it("retries 410 like any failure when 410 does not disable at once (seed 003)", () => {
    expect(nextDelay({ policy: { preset: "custom", delaysMs: [s] }, attemptNumber: 1, responseStatus: 410, goneIsFinal: false, random: noJitter })).toEqual({ retry: true, delayMs: s });
  });

  it.each([
    [{ responseStatus: 410, consecutiveFailures: 0 }, { disable: true, reason: "The endpoint answered 410 Gone" }],
    [{ responseStatus: 410, consecutiveFailures: 1, disableOnGone: false }, { disable: false }],
    [{ responseStatus: 410, consecutiveFailures: 10, disableOnGone: false }, { disable: true, reason: "10 consecutive deliveries failed" }],
    [{ responseStatus: 500, consecutiveFailures: 9 }, { disable: false }],
    [{ responseStatus: 500, consecutiveFailures: 10 }, { disable: true, reason: "10 consecutive deliveries failed" }],
    [{ consecutiveFailures: 3, threshold: 3 }, { disable: true, reason: "3 consecutive deliveries failed" }],
    [{ consecutiveFailures: 0 }, { disable: false }],
  ])("%o → %o", (input, expected) => {
    expect(shouldDisableEndpoint(input)).toEqual(expected);
  });
});
