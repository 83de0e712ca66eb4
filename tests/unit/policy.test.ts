import { describe, expect, it } from "vitest";
import { nextDelay, retrySchedule, shouldDisableEndpoint } from "@/lib/delivery/policy";
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
    ["seconds on 429", 429, "120", 120 * s],
    ["seconds on 503", 503, " 45 ", 45 * s],
    ["an HTTP date", 503, "Fri, 16 Jan 2026 10:35:00 GMT", 5 * m],
    ["capped at 24 h", 429, String(3 * 24 * 3600), 24 * h],
    ["a past date falls back to the policy", 429, "Fri, 16 Jan 2026 10:00:00 GMT", 1 * s],
    ["0 falls back to the policy", 429, "0", 1 * s],
    ["garbage is ignored", 429, "soon", 1 * s],
    ["absent", 429, null, 1 * s],
    ["ignored on other statuses", 500, "120", 1 * s],
  ])("%s", (_, status, header, expected) => {
    expect(at(status, header)).toEqual({ retry: true, delayMs: expected });
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

  it.each([
    [{ responseStatus: 410, consecutiveFailures: 0 }, { disable: true, reason: "The endpoint answered 410 Gone" }],
    [{ responseStatus: 500, consecutiveFailures: 9 }, { disable: false }],
    [{ responseStatus: 500, consecutiveFailures: 10 }, { disable: true, reason: "10 consecutive deliveries failed" }],
    [{ consecutiveFailures: 3, threshold: 3 }, { disable: true, reason: "3 consecutive deliveries failed" }],
    [{ consecutiveFailures: 0 }, { disable: false }],
  ])("%o → %o", (input, expected) => {
    expect(shouldDisableEndpoint(input)).toEqual(expected);
  });
});
