import { describe, expect, it } from "vitest";
import { explainMatch, matchEndpoint, type MatchableEndpoint } from "@/lib/delivery/filter";
import type { Filter, FilterRule } from "@/lib/delivery/schemas";

const call = {
  account: "acc_1",
  duration: 12,
  status: "completed",
  started_at: "2026-01-16T10:30:00Z",
  caller: { number: "+33612345678", tags: ["vip", "repeat"] },
  items: [{ id: "it_1", qty: 2 }, { id: "it_2" }],
  note: "Asked for a quote on boilers",
  ended_at: null,
};

function ruleResult(rule: FilterRule, payload: unknown = call) {
  const endpoint = { eventTypes: [], filter: { rules: [rule] } };
  const [, reason] = explainMatch(endpoint, { eventType: "call:completed", payload }).reasons;
  return reason;
}

describe("rules", () => {
  it.each<[FilterRule, boolean, string]>([
    [{ path: "duration", op: "gte", value: 30 }, false, "duration is 12, needs ≥ 30"],
    [{ path: "duration", op: "gte", value: 12 }, true, "duration is 12, needs ≥ 12"],
    [{ path: "duration", op: "gt", value: 12 }, false, "duration is 12, needs > 12"],
    [{ path: "duration", op: "lt", value: 30 }, true, "duration is 12, needs < 30"],
    [{ path: "duration", op: "lte", value: 11 }, false, "duration is 12, needs ≤ 11"],
    [{ path: "duration", op: "eq", value: 12 }, true, "duration is 12, needs = 12"],
    [{ path: "duration", op: "neq", value: 12 }, false, "duration is 12, needs ≠ 12"],
    [{ path: "duration", op: "gte", value: "10" }, false, 'duration is 12, needs ≥ "10"'],
    [{ path: "started_at", op: "gte", value: "2026-01-01T00:00:00Z" }, true, 'started_at is "2026-01-16T10:30:00Z", needs ≥ "2026-01-01T00:00:00Z"'],
    [{ path: "started_at", op: "lt", value: "2026-01-16T10:00:00Z" }, false, 'started_at is "2026-01-16T10:30:00Z", needs < "2026-01-16T10:00:00Z"'],
    [{ path: "status", op: "in", value: ["completed", "missed"] }, true, 'status is "completed", needs one of ["completed","missed"]'],
    [{ path: "status", op: "nin", value: ["completed"] }, false, 'status is "completed", needs none of ["completed"]'],
    [{ path: "caller.number", op: "eq", value: "+33612345678" }, true, 'caller.number is "+33612345678", needs = "+33612345678"'],
    [{ path: "caller.tags", op: "contains", value: "vip" }, true, 'caller.tags is ["vip","repeat"], needs to contain "vip"'],
    [{ path: "caller.tags", op: "contains", value: "new" }, false, 'caller.tags is ["vip","repeat"], needs to contain "new"'],
    [{ path: "note", op: "contains", value: "quote" }, true, 'note is "Asked for a quote on boilers", needs to contain "quote"'],
    [{ path: "items.0.id", op: "eq", value: "it_1" }, true, 'items.0.id is "it_1", needs = "it_1"'],
    [{ path: "items[1].id", op: "eq", value: "it_2" }, true, 'items[1].id is "it_2", needs = "it_2"'],
    [{ path: "items[0]", op: "eq", value: { qty: 2, id: "it_1" } }, true, 'items[0] is {"id":"it_1","qty":2}, needs = {"qty":2,"id":"it_1"}'],
    [{ path: "items[5].id", op: "exists", value: true }, false, "items[5].id is missing, needs to exist"],
    [{ path: "items.1.qty", op: "exists", value: false }, true, "items.1.qty is missing, needs to be absent"],
    [{ path: "ended_at", op: "exists", value: true }, true, "ended_at is null, needs to exist"],
    [{ path: "caller.number", op: "exists", value: false }, false, 'caller.number is "+33612345678", needs to be absent'],
    [{ path: "campaign", op: "eq", value: "x" }, false, 'campaign is missing, needs = "x"'],
    [{ path: "campaign", op: "neq", value: "x" }, true, 'campaign is missing, needs ≠ "x"'],
    [{ path: "campaign", op: "nin", value: ["x"] }, true, 'campaign is missing, needs none of ["x"]'],
    [{ path: "duration.value", op: "exists", value: true }, false, "duration.value is missing, needs to exist"],
    [{ path: "toString", op: "exists", value: true }, false, "toString is missing, needs to exist"],
  ])("%o → %s", (rule, ok, message) => {
    expect(ruleResult(rule)).toEqual({ check: "rule", ok, message });
  });

  it("reads a top-level array payload", () => {
    expect(ruleResult({ path: "0.id", op: "eq", value: 1 }, [{ id: 1 }]).ok).toBe(true);
  });
});

describe("seed 002: account acc_1 and duration ≥ 30", () => {
  const endpoint: MatchableEndpoint = {
    eventTypes: ["call:completed", "call:missed"],
    filter: { accounts: ["acc_1"], rules: [{ path: "duration", op: "gte", value: 30 }] },
  };

  it.each([
    ["a long call of acc_1", "call:completed", "acc_1", 142, true],
    ["a short call", "call:completed", "acc_1", 12, false],
    ["another account", "call:completed", "acc_2", 142, false],
    ["no account", "call:completed", null, 142, false],
    ["an unsubscribed event type", "call:ringing", "acc_1", 142, false],
    ["exactly 30 s", "call:missed", "acc_1", 30, true],
  ] as const)("%s", (_, eventType, account, duration, expected) => {
    const message = { eventType, account, payload: { account, duration } };
    expect(matchEndpoint(endpoint, message)).toBe(expected);
    expect(explainMatch(endpoint, message).matched).toBe(expected);
  });

  it("explains every check, not only the first failure", () => {
    const explanation = explainMatch(endpoint, { eventType: "call:ringing", account: "acc_2", payload: { duration: 12 } });
    expect(explanation).toEqual({
      matched: false,
      reasons: [
        { check: "eventType", ok: false, message: `"call:ringing" is not one of the endpoint's event types (call:completed, call:missed)` },
        { check: "account", ok: false, message: `Account "acc_2" is not one of acc_1` },
        { check: "rule", ok: false, message: "duration is 12, needs ≥ 30" },
      ],
    });
  });
});

describe("event types and accounts", () => {
  it.each<[string, MatchableEndpoint, string | null, boolean, string[]]>([
    ["empty eventTypes means all", { eventTypes: [] }, null, true, ["The endpoint receives every event type"]],
    ["null filter", { eventTypes: ["lead.created"], filter: null }, null, true, [`"lead.created" is one of the endpoint's event types`]],
    ["empty accounts means all", { eventTypes: [], filter: { accounts: [] } }, null, true, ["The endpoint receives every event type"]],
    [
      "missing account with an account list",
      { eventTypes: [], filter: { accounts: ["acc_1", "acc_2"] } satisfies Filter },
      null,
      false,
      ["The endpoint receives every event type", "The message has no account; the endpoint only accepts acc_1, acc_2"],
    ],
    [
      "listed account",
      { eventTypes: [], filter: { accounts: ["acc_1"] } },
      "acc_1",
      true,
      ["The endpoint receives every event type", `Account "acc_1" is accepted`],
    ],
  ])("%s", (_, endpoint, account, matched, messages) => {
    const explanation = explainMatch(endpoint, { eventType: "lead.created", account, payload: {} });
    expect(explanation.matched).toBe(matched);
    expect(explanation.reasons.map((reason) => reason.message)).toEqual(messages);
    expect(matchEndpoint(endpoint, { eventType: "lead.created", account, payload: {} })).toBe(matched);
  });

  it("shortens long event type lists", () => {
    const endpoint = { eventTypes: ["a", "b", "c", "d", "e", "f", "g"] };
    expect(explainMatch(endpoint, { eventType: "z", payload: {} }).reasons[0].message).toBe(
      `"z" is not one of the endpoint's event types (a, b, c, d, e and 2 more)`,
    );
  });
});

describe("per-event filters (seed 002's “Customize this event”)", () => {
  // Only answered calls of at least 30 s on acc_1; missed calls of any length; every event of acc_1 or acc_2.
  const endpoint: MatchableEndpoint = {
    eventTypes: ["call:completed", "call:missed"],
    filter: {
      accounts: ["acc_1", "acc_2"],
      events: { "call:completed": { accounts: ["acc_1"], rules: [{ path: "duration", op: "gte", value: 30 }] } },
    },
  };

  it.each<[string, string, string, number, boolean]>([
    ["a long completed call on acc_1", "call:completed", "acc_1", 142, true],
    ["a short completed call on acc_1", "call:completed", "acc_1", 12, false],
    ["a long completed call on acc_2 (the event's own account list)", "call:completed", "acc_2", 142, false],
    ["a short missed call on acc_2 (no filter of its own)", "call:missed", "acc_2", 0, true],
    ["a missed call on acc_3 (the endpoint-level filter applies to every event)", "call:missed", "acc_3", 0, false],
  ])("%s", (_, eventType, account, duration, matched) => {
    expect(matchEndpoint(endpoint, { eventType, account, payload: { duration } })).toBe(matched);
  });

  it("explains which checks come from the event's own filter", () => {
    const { reasons } = explainMatch(endpoint, { eventType: "call:completed", account: "acc_1", payload: { duration: 12 } });
    expect(reasons.map((reason) => [reason.check, reason.ok, reason.eventType ?? null, reason.message])).toEqual([
      ["eventType", true, null, `"call:completed" is one of the endpoint's event types`],
      ["account", true, null, `Account "acc_1" is accepted`],
      ["account", true, "call:completed", `call:completed filter: Account "acc_1" is accepted`],
      ["rule", false, "call:completed", "call:completed filter: duration is 12, needs ≥ 30"],
    ]);
  });
});

describe("an endpoint's owning account", () => {
  const owned = { account: "acc_1", eventTypes: [], filter: { accounts: ["acc_1", "acc_2"] } };

  it("is a boundary: only the owner's messages match, whatever the filter allows", () => {
    expect(matchEndpoint(owned, { eventType: "call:completed", account: "acc_1", payload: call })).toBe(true);
    expect(matchEndpoint(owned, { eventType: "call:completed", account: "acc_2", payload: call })).toBe(false);
    expect(matchEndpoint(owned, { eventType: "call:completed", account: null, payload: call })).toBe(false);
    const [owner] = explainMatch(owned, { eventType: "call:completed", account: "acc_2", payload: call }).reasons;
    expect(owner).toMatchObject({ check: "owner", ok: false });
    expect(owner!.message).toContain('"acc_1"');
  });

  it("workspace-wide endpoints (no owner) match every account", () => {
    for (const account of ["acc_1", "acc_9", null]) {
      expect(matchEndpoint({ account: null, eventTypes: [] }, { eventType: "call:completed", account, payload: call })).toBe(true);
    }
  });
});
