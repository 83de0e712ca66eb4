import { describe, expect, it } from "vitest";
import { parseFunctionConfigs, RegistrationError } from "@/inngest/engine/config";
import { CronError, nextCronTime, parseCron } from "@/inngest/engine/cron";
import { parseRetryAfter, parseTimeString, sleepUntil } from "@/inngest/engine/duration";
import { evaluateKey } from "@/inngest/engine/expression";

const next = (expression: string, after: string) => nextCronTime(parseCron(expression), new Date(after)).toISOString();

describe("cron", () => {
  it("finds the next matching minute in UTC", () => {
    expect(next("* * * * *", "2026-01-01T10:00:30Z")).toBe("2026-01-01T10:01:00.000Z");
    expect(next("*/15 * * * *", "2026-01-01T10:00:00Z")).toBe("2026-01-01T10:15:00.000Z");
    expect(next("30 9 * * MON-FRI", "2026-01-02T10:00:00Z")).toBe("2026-01-05T09:30:00.000Z"); // Fri → Mon
    expect(next("0 0 1 JAN *", "2026-03-01T00:00:00Z")).toBe("2027-01-01T00:00:00.000Z");
    expect(next("0 12 29 2 *", "2026-03-01T00:00:00Z")).toBe("2028-02-29T12:00:00.000Z");
    expect(next("0 0 * * 7", "2026-01-01T00:00:00Z")).toBe("2026-01-04T00:00:00.000Z"); // 7 is Sunday
    expect(next("@hourly", "2026-01-01T10:59:59Z")).toBe("2026-01-01T11:00:00.000Z");
    expect(next("TZ=UTC 5 4 * * *", "2026-01-01T05:00:00Z")).toBe("2026-01-02T04:05:00.000Z");
  });

  it("matches either day field when both are restricted, like Vixie cron", () => {
    // the 13th, or any Friday
    expect(next("0 0 13 * FRI", "2026-01-01T00:00:00Z")).toBe("2026-01-02T00:00:00.000Z");
    expect(next("0 0 13 * FRI", "2026-01-10T00:00:00Z")).toBe("2026-01-13T00:00:00.000Z");
  });

  it("refuses what it does not implement", () => {
    expect(() => parseCron("0 0 * * * *")).toThrow(CronError);
    expect(() => parseCron("TZ=Europe/Paris 0 0 * * *")).toThrow(/time zones/);
    expect(() => parseCron("61 * * * *")).toThrow(/out of range/);
    expect(() => parseCron("0 0 L * *")).toThrow(CronError);
    expect(() => nextCronTime(parseCron("0 0 31 2 *"), new Date())).toThrow(/never matches/);
  });
});

describe("durations", () => {
  it("reads SDK time strings, ISO dates and retry-after", () => {
    expect(parseTimeString("1m30s")).toBe(90_000);
    expect(parseTimeString("2h")).toBe(7_200_000);
    expect(parseTimeString("1w2d")).toBe(9 * 86_400_000);
    expect(parseTimeString("soon")).toBeUndefined();
    expect(sleepUntil("5s", 1_000)?.getTime()).toBe(6_000);
    expect(sleepUntil("2030-01-01T00:00:00.000Z")?.toISOString()).toBe("2030-01-01T00:00:00.000Z");
    expect(parseRetryAfter("3")).toBe(3_000);
    expect(parseRetryAfter(new Date(Date.now() + 60_000).toISOString())).toBeGreaterThan(58_000);
  });
});

describe("function configs", () => {
  const base = {
    id: "app-fn",
    name: "fn",
    triggers: [{ event: "a/b" }],
    steps: { step: { id: "step", name: "step", runtime: { type: "http", url: "http://127.0.0.1:1/api/inngest?fnId=app-fn&stepId=step" } } },
  };

  it("normalizes retries and concurrency", () => {
    const [fn] = parseFunctionConfigs([{ ...base, concurrency: 2 }]);
    expect(fn).toMatchObject({ maxAttempts: 4, concurrency: [{ limit: 2 }], events: ["a/b"] });
    const [keyed] = parseFunctionConfigs([
      { ...base, concurrency: [{ limit: 1, key: "event.data.endpointId" }], steps: { step: { ...base.steps.step, retries: { attempts: 0 } } } },
    ]);
    expect(keyed).toMatchObject({ maxAttempts: 1, concurrency: [{ limit: 1, key: "event.data.endpointId" }] });
  });

  it("refuses every unsupported option at once, by name", () => {
    const refused = (() => {
      try {
        parseFunctionConfigs([
          { ...base, rateLimit: { limit: 1, period: "1m" }, debounce: { period: "5s" } },
          { ...base, id: "app-other", concurrency: { limit: 1, key: "event.data.a", scope: "env" } },
          { ...base, id: "app-fail", triggers: [{ event: "inngest/function.failed", expression: "event.data.function_id == 'x'" }] },
          { ...base, id: "app-new", someFutureOption: true },
        ]);
      } catch (error) {
        return error as RegistrationError;
      }
    })();
    expect(refused).toBeInstanceOf(RegistrationError);
    expect(refused!.problems).toEqual([
      'function "app-fn": rateLimit is not supported by the local engine',
      'function "app-fn": debounce is not supported by the local engine',
      'function "app-other": concurrency scope "env" is not supported by the local engine (only per-function limits)',
      expect.stringContaining('function "app-fail": trigger conditions'),
      'function "app-new": option someFutureOption is not supported by the local engine',
    ]);
  });

  it("evaluates key paths into the event", () => {
    const event = { name: "a/b", data: { endpointId: "ep_1", n: 3, nested: { x: "y" } } };
    expect(evaluateKey("event.data.endpointId", event)).toBe("ep_1");
    expect(evaluateKey("event.data.n", event)).toBe("3");
    expect(evaluateKey("event.data.nested.x", event)).toBe("y");
    expect(evaluateKey("event.data.missing", event)).toBe("null");
  });
});
