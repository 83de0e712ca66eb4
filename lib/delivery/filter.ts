import type { EventFilter, Filter, FilterRule } from "@/lib/delivery/schemas";

/**
 * `enabled` is deliberately not an input: a disabled endpoint still matches, and the publisher
 * gives it a PAUSED delivery instead of a PENDING one, so nothing is lost (docs/architecture.md §3).
 */
export interface MatchableEndpoint {
  /**
   * The owning account: a hard boundary, not a filter — an account's endpoint receives only
   * messages of that account, whatever its filter says. Null/undefined: workspace-wide.
   */
  account?: string | null;
  /** Empty means every event type. */
  eventTypes: readonly string[];
  filter?: Filter | null;
}

export interface MatchableMessage {
  eventType: string;
  account?: string | null;
  payload: unknown;
}

export interface MatchReason {
  check: "owner" | "eventType" | "account" | "rule";
  ok: boolean;
  message: string;
  /** Set when the check comes from the per-event filter of this event type, not the endpoint-level one. */
  eventType?: string;
}

export interface MatchExplanation {
  matched: boolean;
  reasons: MatchReason[];
}

export function matchEndpoint(endpoint: MatchableEndpoint, message: MatchableMessage): boolean {
  return explainMatch(endpoint, message).matched;
}

/** Every check is evaluated (no short-circuit) so the console can show all of them at once. */
export function explainMatch(endpoint: MatchableEndpoint, message: MatchableMessage): MatchExplanation {
  const reasons: MatchReason[] = [];
  if (endpoint.account) reasons.push(ownerReason(endpoint.account, message.account));
  reasons.push(eventTypeReason(endpoint.eventTypes, message.eventType));
  // The endpoint-level conditions apply to every event; the event's own ones are added on top.
  reasons.push(...conditionReasons(endpoint.filter ?? {}, message));
  const own = endpoint.filter?.events?.[message.eventType];
  if (own) {
    const scoped = conditionReasons(own, message).map((reason) => ({
      ...reason,
      eventType: message.eventType,
      message: `${message.eventType} filter: ${reason.message}`,
    }));
    reasons.push(...scoped);
  }
  return { matched: reasons.every((reason) => reason.ok), reasons };
}

function conditionReasons(conditions: EventFilter, message: MatchableMessage): MatchReason[] {
  const reasons: MatchReason[] = [];
  const accounts = conditions.accounts ?? [];
  if (accounts.length > 0) reasons.push(accountReason(accounts, message.account));
  for (const rule of conditions.rules ?? []) reasons.push(ruleReason(rule, message.payload));
  return reasons;
}

function ownerReason(owner: string, account: string | null | undefined): MatchReason {
  const ok = account === owner;
  const message = ok
    ? `The endpoint belongs to account "${owner}", the message's account`
    : `The endpoint belongs to account "${owner}"; the message's account is ${account ? `"${account}"` : "not set"}`;
  return { check: "owner", ok, message };
}

function eventTypeReason(eventTypes: readonly string[], eventType: string): MatchReason {
  if (eventTypes.length === 0) {
    return { check: "eventType", ok: true, message: "The endpoint receives every event type" };
  }
  const ok = eventTypes.includes(eventType);
  return {
    check: "eventType",
    ok,
    message: ok
      ? `"${eventType}" is one of the endpoint's event types`
      : `"${eventType}" is not one of the endpoint's event types (${list(eventTypes)})`,
  };
}

function accountReason(accounts: readonly string[], account: string | null | undefined): MatchReason {
  if (!account) {
    const message = `The message has no account; the endpoint only accepts ${list(accounts)}`;
    return { check: "account", ok: false, message };
  }
  const ok = accounts.includes(account);
  return {
    check: "account",
    ok,
    message: ok ? `Account "${account}" is accepted` : `Account "${account}" is not one of ${list(accounts)}`,
  };
}

function ruleReason(rule: FilterRule, payload: unknown): MatchReason {
  const found = lookup(payload, rule.path);
  const subject = found.exists ? `${rule.path} is ${show(found.value)}` : `${rule.path} is missing`;
  return { check: "rule", ok: holds(rule, found), message: `${subject}, needs ${requirement(rule)}` };
}

type Lookup = { exists: true; value: unknown } | { exists: false };

function lookup(root: unknown, path: string): Lookup {
  let current = root;
  for (const segment of path.replace(/\[(\d+)\]/g, ".$1").split(".")) {
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(segment) || Number(segment) >= current.length) return { exists: false };
      current = current[Number(segment)];
    } else if (typeof current === "object" && current !== null && Object.hasOwn(current, segment)) {
      current = (current as Record<string, unknown>)[segment];
    } else {
      return { exists: false };
    }
  }
  return { exists: true, value: current };
}

// A missing field satisfies the negative operators (neq, nin), as in MongoDB queries.
function holds(rule: FilterRule, found: Lookup): boolean {
  const { op, value } = rule;
  if (op === "exists") return found.exists === (value !== false);
  if (!found.exists) return op === "neq" || op === "nin";
  const actual = found.value;
  switch (op) {
    case "eq":
      return jsonEqual(actual, value);
    case "neq":
      return !jsonEqual(actual, value);
    case "in":
      return Array.isArray(value) && value.some((candidate) => jsonEqual(actual, candidate));
    case "nin":
      return !Array.isArray(value) || !value.some((candidate) => jsonEqual(actual, candidate));
    case "contains":
      if (typeof actual === "string") return typeof value === "string" && actual.includes(value);
      return Array.isArray(actual) && actual.some((element) => jsonEqual(element, value));
    default:
      return compare(op, actual, value);
  }
}

/** Numbers compare as numbers and strings as strings (ISO timestamps sort correctly); mixed types never match. */
function compare(op: "gt" | "gte" | "lt" | "lte", actual: unknown, expected: unknown): boolean {
  let order: number;
  if (typeof actual === "number" && typeof expected === "number") {
    order = actual - expected;
  } else if (typeof actual === "string" && typeof expected === "string") {
    order = actual < expected ? -1 : actual > expected ? 1 : 0;
  } else {
    return false;
  }
  return { gt: order > 0, gte: order >= 0, lt: order < 0, lte: order <= 0 }[op];
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  return (
    keys.length === Object.keys(right).length &&
    keys.every((key) => Object.hasOwn(right, key) && jsonEqual(left[key], right[key]))
  );
}

const SYMBOLS = { eq: "=", neq: "≠", gt: ">", gte: "≥", lt: "<", lte: "≤" } as const;

function requirement({ op, value }: FilterRule): string {
  switch (op) {
    case "exists":
      return value === false ? "to be absent" : "to exist";
    case "in":
      return `one of ${show(value)}`;
    case "nin":
      return `none of ${show(value)}`;
    case "contains":
      return `to contain ${show(value)}`;
    default:
      return `${SYMBOLS[op]} ${show(value)}`;
  }
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? "undefined";
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

function list(values: readonly string[]): string {
  const shown = values.slice(0, 5).join(", ");
  return values.length > 5 ? `${shown} and ${values.length - 5} more` : shown;
}
