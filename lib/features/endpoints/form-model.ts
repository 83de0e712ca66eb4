import { zodResolver } from "@hookform/resolvers/zod";
import type { FieldErrors, Resolver } from "react-hook-form";
import { isBlockedAddress } from "@/lib/delivery/blocked-address";
import { policyJitters } from "@/lib/delivery/policy";
import type { EventFilter, Filter, FilterRule, RetryPolicy, SignatureConfig } from "@/lib/delivery/schemas";
import { FILTER_OPS, looksLikeCredential, TIMESTAMPED_SCHEMES } from "@/lib/delivery/schemas";
import { endpointCreateSchema, type EndpointCreateInput } from "@/lib/features/endpoints/schema";
import type { EventTypePreset } from "@/lib/features/event-types/presets";
import { formatDelay } from "./components/format";

// The form edits a people-friendly shape (rows, text, seconds); `toInput` turns it into the API's
// shape, which the shared endpointCreateSchema validates, and `formPath` maps the schema's (or the
// server's) issue paths back onto the fields that produced them.

export type FilterOp = (typeof FILTER_OPS)[number];
export type RuleRow = { path: string; op: FilterOp; value: string };
/** `secret`: the value is sealed, masked for viewers and redacted in attempts (credential-looking names always are). */
export type HeaderRow = { name: string; value: string; secret: boolean };
/** "Customize this event": conditions for one event type, on top of the endpoint-level ones. */
export type EventFilterRow = { eventType: string; accounts: string[]; rules: RuleRow[] };

export type EndpointFormValues = {
  title: string;
  /** The owning account ("" = workspace-wide). */
  account: string;
  url: string;
  description: string;
  allEvents: boolean;
  eventTypes: string[];
  accounts: string[];
  rules: RuleRow[];
  eventFilters: EventFilterRow[];
  scheme: SignatureConfig["scheme"];
  header: string;
  headerPrefix: string;
  userAgent: string;
  field: string;
  timestampSource: "attempt" | "event";
  hooklineHeaders: boolean;
  retryPreset: RetryPolicy["preset"];
  delays: string;
  maxAttempts: string;
  jitter: boolean;
  maxDelay: string;
  timeoutSeconds: number;
  headers: HeaderRow[];
  requireHttps: boolean;
  failureThreshold: string;
  disableOnGone: boolean;
  enabled: boolean;
};

export const emptyFormValues: EndpointFormValues = {
  title: "",
  account: "",
  url: "",
  description: "",
  allEvents: true,
  eventTypes: [],
  accounts: [],
  rules: [],
  eventFilters: [],
  scheme: "standard",
  header: "",
  headerPrefix: "",
  userAgent: "",
  field: "",
  timestampSource: "attempt",
  hooklineHeaders: true,
  retryPreset: "standard",
  delays: "",
  maxAttempts: "",
  jitter: true,
  maxDelay: "",
  timeoutSeconds: 15,
  headers: [],
  requireHttps: false,
  failureThreshold: "10",
  disableOnGone: true,
  enabled: true,
};

type EndpointLike = {
  title: string;
  account?: string | null;
  url: string;
  description: string;
  eventTypes: string[];
  filter: Filter;
  signature: SignatureConfig;
  retryPolicy: RetryPolicy;
  timeoutMs: number;
  headers: Record<string, string>;
  /** Absent (an endpoint saved before the flag): every header is secret. */
  secretHeaders?: string[];
  enabled: boolean;
  requireHttps: boolean;
  failureThreshold: number;
  disableOnGone: boolean;
};

export function fromEndpoint(endpoint: EndpointLike): EndpointFormValues {
  return {
    title: endpoint.title,
    account: endpoint.account ?? "",
    url: endpoint.url,
    description: endpoint.description,
    allEvents: endpoint.eventTypes.length === 0,
    eventTypes: endpoint.eventTypes,
    accounts: endpoint.filter.accounts ?? [],
    rules: ruleRows(endpoint.filter.rules),
    eventFilters: Object.entries(endpoint.filter.events ?? {}).map(([eventType, own]) => ({
      eventType,
      accounts: own.accounts ?? [],
      rules: ruleRows(own.rules),
    })),
    ...signatureFields(endpoint.signature),
    ...retryFields(endpoint.retryPolicy),
    timeoutSeconds: endpoint.timeoutMs / 1000,
    headers: Object.entries(endpoint.headers).map(([name, value]) => ({
      name,
      value,
      secret: !endpoint.secretHeaders || endpoint.secretHeaders.some((secret) => secret.toLowerCase() === name.toLowerCase()),
    })),
    ...safetyFields(endpoint),
    enabled: endpoint.enabled,
  };
}

function ruleRows(rules: FilterRule[] | undefined): RuleRow[] {
  return (rules ?? []).map((rule) => ({ path: rule.path, op: rule.op, value: ruleValueText(rule) }));
}

export function signatureFields(signature: SignatureConfig) {
  return {
    scheme: signature.scheme,
    header: signature.header ?? "",
    headerPrefix: signature.headerPrefix ?? "",
    userAgent: signature.userAgent ?? "",
    field: signature.field ?? "",
    timestampSource: signature.timestamp ?? "attempt",
    hooklineHeaders: signature.hooklineHeaders !== false,
  };
}

export function retryFields(policy: RetryPolicy) {
  return {
    retryPreset: policy.preset,
    delays: (policy.delaysMs ?? []).map(formatDelay).map((text) => text.replace(" ", "")).join(", "),
    maxAttempts: policy.maxAttempts ? String(policy.maxAttempts) : "",
    jitter: policyJitters(policy),
    maxDelay: policy.maxDelayMs ? formatDelay(policy.maxDelayMs).replace(" ", "") : "",
  };
}

function safetyFields(settings: { requireHttps?: boolean; failureThreshold?: number; disableOnGone?: boolean }) {
  return {
    requireHttps: settings.requireHttps ?? false,
    failureThreshold: String(settings.failureThreshold ?? 10),
    disableOnGone: settings.disableOnGone ?? true,
  };
}

/** What "Start from a product preset" changes: every setting the preset holds, defaults for those it leaves out. */
export function presetFields(preset: EventTypePreset): Partial<EndpointFormValues> {
  return {
    ...signatureFields(preset.endpoint.signature),
    ...retryFields(preset.endpoint.retryPolicy),
    timeoutSeconds: preset.endpoint.timeoutMs / 1000,
    ...safetyFields(preset.endpoint),
  };
}

/** The form's rows as filter conditions (rows without a path are ignored). */
export function conditionsOf(row: { accounts?: string[]; rules?: RuleRow[] }, options: { liveOnly?: boolean } = {}): EventFilter {
  const conditions: EventFilter = {};
  if (row.accounts?.length) conditions.accounts = row.accounts;
  const rules = (row.rules ?? []).filter((rule) => !options.liveOnly || rule.path?.trim());
  if (rules.length) {
    conditions.rules = rules.map((rule) => ({ path: rule.path.trim(), op: rule.op, value: parseRuleValue(rule.op, rule.value ?? "") as FilterRule["value"] }));
  }
  return conditions;
}

/** The endpoint's filter as the form describes it, per-event filters included. */
export function filterOf(values: Pick<EndpointFormValues, "accounts" | "rules" | "eventFilters">, options: { liveOnly?: boolean } = {}): Filter {
  const filter: Filter = conditionsOf(values, options);
  const events: NonNullable<Filter["events"]> = {};
  for (const row of values.eventFilters ?? []) {
    if (row.eventType) events[row.eventType] = conditionsOf(row, options);
  }
  if (Object.keys(events).length) filter.events = events;
  return filter;
}

function ruleValueText(rule: FilterRule): string {
  if (rule.value === undefined) return "";
  if (typeof rule.value === "string") return /^(-?\d|true$|false$|null$|[[{"])/.test(rule.value) ? JSON.stringify(rule.value) : rule.value;
  return JSON.stringify(rule.value);
}

/**
 * `30` is a number, `true` a boolean, `"30"` (quoted) the string 30, `acc_1` a string.
 * in / nin take a JSON array or a comma-separated list; exists takes true or false.
 */
export function parseRuleValue(op: FilterOp, text: string): unknown {
  const trimmed = text.trim();
  if (op === "exists") return trimmed !== "false";
  if (op === "in" || op === "nin") {
    if (trimmed === "") return undefined;
    if (trimmed.startsWith("[")) {
      try {
        return JSON.parse(trimmed);
      } catch {
        return trimmed; // the schema then says a list is needed
      }
    }
    return trimmed.split(",").map((part) => parseScalar(part.trim())).filter((part) => part !== "");
  }
  return trimmed === "" ? undefined : parseScalar(trimmed);
}

function parseScalar(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const DELAY_UNITS: Record<string, number> = { ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** "10s, 1m, 5 min, 2h" → milliseconds; a bare number is seconds. */
export function parseDelays(text: string): { ok: true; delays: number[] } | { ok: false; message: string } {
  const parts = text.split(/[,\s]+(?=\d)|,/).map((part) => part.trim()).filter(Boolean);
  if (parts.length === 0) return { ok: false, message: "List at least one delay, e.g. 10s, 1m, 10m" };
  const delays: number[] = [];
  for (const part of parts) {
    const match = /^(\d+(?:\.\d+)?)\s*(ms|s|sec|m|min|h|d)?$/i.exec(part);
    if (!match) return { ok: false, message: `"${part}" is not a delay; write e.g. 30s, 5m or 2h` };
    delays.push(Math.round(Number(match[1]) * DELAY_UNITS[(match[2] ?? "s").toLowerCase()]!));
  }
  return { ok: true, delays };
}

const SCHEME_OPTIONS: Record<SignatureConfig["scheme"], ReadonlyArray<"header" | "headerPrefix" | "field">> = {
  standard: [],
  "hmac-sha256": ["header", "headerPrefix"],
  "hmac-sha1": ["header"],
  stripe: ["header"],
  "body-secret": ["field"],
  none: [],
};

export function schemeOptions(scheme: SignatureConfig["scheme"]) {
  return SCHEME_OPTIONS[scheme];
}

export function toInput(values: EndpointFormValues): EndpointCreateInput {
  const signature: SignatureConfig = { scheme: values.scheme };
  for (const key of SCHEME_OPTIONS[values.scheme]) {
    if (values[key].trim()) signature[key] = values[key].trim();
  }
  if (values.userAgent.trim()) signature.userAgent = values.userAgent.trim();
  if (values.timestampSource === "event" && TIMESTAMPED_SCHEMES.has(values.scheme)) signature.timestamp = "event";
  if (!values.hooklineHeaders) signature.hooklineHeaders = false;

  const retryPolicy: RetryPolicy = { preset: values.retryPreset };
  if (values.retryPreset === "custom") {
    const parsed = parseDelays(values.delays);
    // An unreadable list becomes an empty one; the resolver reports the reading error itself.
    retryPolicy.delaysMs = parsed.ok ? parsed.delays : [];
  }
  if (values.retryPreset === "exponential" && values.maxAttempts.trim()) retryPolicy.maxAttempts = Number(values.maxAttempts);
  if (values.retryPreset !== "none") {
    // Stored only when it differs from the preset's own default, so a preset stays a preset.
    if (values.jitter !== policyJitters({ preset: values.retryPreset })) retryPolicy.jitter = values.jitter;
    if (values.maxDelay.trim()) {
      const parsed = parseDelays(values.maxDelay);
      retryPolicy.maxDelayMs = parsed.ok && parsed.delays.length === 1 ? parsed.delays[0] : 0;
    }
  }

  return {
    title: values.title,
    account: values.account.trim() || null,
    url: values.url.trim(),
    description: values.description,
    eventTypes: values.allEvents ? [] : values.eventTypes,
    filter: filterOf(values),
    signature,
    retryPolicy,
    timeoutMs: Math.round(Number(values.timeoutSeconds) * 1000),
    headers: Object.fromEntries(values.headers.filter((row) => row.name.trim()).map((row) => [row.name.trim(), row.value])),
    secretHeaders: values.headers.filter((row) => row.name.trim() && (row.secret || looksLikeCredential(row.name.trim()))).map((row) => row.name.trim()),
    requireHttps: values.requireHttps,
    failureThreshold: Number(values.failureThreshold),
    disableOnGone: values.disableOnGone,
    enabled: values.enabled,
  };
}

/** An issue path of the API shape ("filter.rules.0.value", "headers.X-Foo") → the form field showing it. */
export function formPath(path: string, values: EndpointFormValues): string {
  const [head, ...rest] = path.split(".");
  switch (head) {
    case "title":
    case "url":
    case "description":
    case "enabled":
    case "requireHttps":
    case "failureThreshold":
    case "disableOnGone":
      return head;
    case "eventTypes":
      return "eventTypes";
    case "timeoutMs":
      return "timeoutSeconds";
    case "eventFilters":
      return path;
    case "signature":
      if (rest[0] === "timestamp") return "timestampSource";
      return rest[0] && ["scheme", "header", "headerPrefix", "userAgent", "field", "hooklineHeaders"].includes(rest[0]) ? rest[0] : "scheme";
    case "retryPolicy":
      return { delaysMs: "delays", maxAttempts: "maxAttempts", maxDelayMs: "maxDelay", jitter: "jitter" }[rest[0] ?? ""] ?? "retryPreset";
    case "filter": {
      if (rest[0] !== "events") return conditionPath(rest, "");
      // filter.events.<type>.… → eventFilters.<row>.… (event type names may contain dots themselves)
      const tail = rest.slice(1).join(".");
      let index = -1;
      values.eventFilters.forEach((row, candidate) => {
        const fits = row.eventType && (tail === row.eventType || tail.startsWith(`${row.eventType}.`));
        if (fits && (index < 0 || row.eventType.length > values.eventFilters[index]!.eventType.length)) index = candidate;
      });
      if (index < 0) return "eventFilters.root";
      return conditionPath(tail.slice(values.eventFilters[index]!.eventType.length + 1).split("."), `eventFilters.${index}.`);
    }
    case "secretHeaders":
      return "headers.root";
    case "headers": {
      const name = rest.join(".");
      const index = values.headers.findIndex((row) => row.name.trim() === name);
      return index >= 0 ? `headers.${index}.name` : "headers.root";
    }
    default:
      return "root.server";
  }
}

function conditionPath(rest: string[], prefix: string): string {
  if (rest[0] === "accounts") return `${prefix}accounts`;
  if (rest[0] === "rules" && rest[1] !== undefined && /^\d+$/.test(rest[1])) return `${prefix}rules.${rest[1]}.${rest[2] === "path" || rest[2] === "op" ? rest[2] : "value"}`;
  return `${prefix}rules.root`;
}

type Flat = Array<{ path: string; message: string; type: string }>;

function flatten(node: unknown, prefix: string, out: Flat) {
  if (!node || typeof node !== "object") return;
  const record = node as Record<string, unknown>;
  if (typeof record.message === "string" && typeof record.type === "string") {
    out.push({ path: prefix, message: record.message, type: record.type });
    return;
  }
  for (const [key, child] of Object.entries(record)) {
    if (key === "ref") continue;
    flatten(child, prefix ? `${prefix}.${key}` : key, out);
  }
}

function setNested(target: Record<string, unknown>, path: string, error: { message: string; type: string }) {
  const keys = path.split(".");
  let node = target;
  keys.forEach((key, index) => {
    if (index === keys.length - 1) {
      node[key] ??= error;
      return;
    }
    node[key] ??= /^\d+$/.test(keys[index + 1]!) ? [] : {};
    node = node[key] as Record<string, unknown>;
  });
}

/** Groups flat {path, message} issues into react-hook-form's nested error object. */
export function toFieldErrors(issues: Array<{ path: string; message: string; type?: string }>, values: EndpointFormValues) {
  const errors: Record<string, unknown> = {};
  for (const issue of issues) setNested(errors, formPath(issue.path, values), { message: issue.message, type: issue.type ?? "server" });
  return errors as FieldErrors<EndpointFormValues>;
}

const apiResolver = zodResolver(endpointCreateSchema);

/** The shared endpointCreateSchema, run on the API shape of the form's values. */
export const endpointFormResolver: Resolver<EndpointFormValues> = async (values, context, options) => {
  const input = toInput(values);
  const result = await apiResolver(input as never, context, { ...options, fields: {}, names: undefined, shouldUseNativeValidation: false } as never);
  const issues: Flat = [];
  flatten(result.errors, "", issues);
  if (values.retryPreset === "custom") {
    const delays = parseDelays(values.delays);
    if (!delays.ok) issues.unshift({ path: "retryPolicy.delaysMs", message: delays.message, type: "custom" });
  }
  if (values.retryPreset !== "none" && values.maxDelay.trim()) {
    const maxDelay = parseDelays(values.maxDelay);
    if (!maxDelay.ok || maxDelay.delays.length !== 1) {
      issues.unshift({ path: "retryPolicy.maxDelayMs", message: "Write one delay, e.g. 30s or 10m", type: "custom" });
    }
  }
  values.eventFilters.forEach((row, index) => {
    if (!row.eventType) issues.push({ path: `eventFilters.${index}.eventType`, message: "Choose the event this filter is for", type: "custom" });
    else if (values.eventFilters.findIndex((other) => other.eventType === row.eventType) < index) {
      issues.push({ path: `eventFilters.${index}.eventType`, message: `${row.eventType} already has a filter above`, type: "custom" });
    }
  });
  // An empty list means "all events" to the API; in "Selected events" mode that would surprise.
  if (!values.allEvents && values.eventTypes.length === 0) {
    issues.push({ path: "eventTypes", message: "Tick at least one event type, or choose “All events”", type: "custom" });
  }
  if (issues.length === 0) return { values, errors: {} };
  return { values: {}, errors: toFieldErrors(issues, values) };
};

export type UrlWarning = { tone: "warning"; message: string };

/**
 * Early, non-blocking warnings; the server decides (private addresses need HOOKLINE_ALLOW_PRIVATE_NETWORKS).
 * `portal`: said to the product's customer, who has no server setting to change and does not know Hookline.
 */
export function urlWarnings(raw: string, { portal = false }: { portal?: boolean } = {}): UrlWarning[] {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return [];
  }
  const warnings: UrlWarning[] = [];
  if (url.protocol === "http:") {
    warnings.push({ tone: "warning", message: "This URL uses http://: payloads and signatures travel unencrypted. Prefer https:// outside local testing." });
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  const literal = /^[\d.]+$/.test(host) || host.includes(":");
  if (host === "localhost" || host.endsWith(".localhost") || (literal && isBlockedAddress(host))) {
    warnings.push({
      tone: "warning",
      message: portal
        ? `${host} is a private or loopback address, which deliveries usually cannot reach. Use your server's public address.`
        : `${host} is a private or loopback address. Hookline refuses to deliver there unless the server allows private networks (HOOKLINE_ALLOW_PRIVATE_NETWORKS), which is meant for local testing.`,
    });
  }
  return warnings;
}
