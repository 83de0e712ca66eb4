import { describe, expect, it } from "vitest";
import {
  emptyFormValues,
  endpointFormResolver,
  formPath,
  fromEndpoint,
  parseDelays,
  parseRuleValue,
  toInput,
  urlWarnings,
  type EndpointFormValues,
} from "@/lib/features/endpoints/form-model";

const filled: EndpointFormValues = {
  ...emptyFormValues,
  title: "Call tracking",
  url: "https://hooks.example.com/calls",
  description: "Completed calls over 30 s",
  allEvents: false,
  eventTypes: ["call:completed", "call:missed"],
  accounts: ["acc_1", "acc_2"],
  rules: [
    { path: "duration", op: "gte", value: "30" },
    { path: "source", op: "eq", value: "google" },
    { path: "zip", op: "eq", value: '"01234"' },
    { path: "tags", op: "in", value: '["vip",2]' },
    { path: "recording", op: "exists", value: "true" },
  ],
  scheme: "hmac-sha1",
  header: "X-CALLTRACKING-SIGNATURE",
  userAgent: "CallTracking/2.0",
  retryPreset: "custom",
  delays: "10s, 1m, 2h",
  timeoutSeconds: 5,
  headers: [
    { name: "X-Team", value: "growth", secret: false },
    { name: "X-Tenant", value: "t-1", secret: true },
  ],
  enabled: false,
};

type Resolved = Awaited<ReturnType<typeof endpointFormResolver>>;
const resolve = (values: EndpointFormValues) => endpointFormResolver(values, undefined, { fields: {}, shouldUseNativeValidation: false }) as Promise<Resolved>;

describe("the endpoint form model", () => {
  it("turns the form into the API shape: typed rule values, milliseconds, only the scheme's own options", () => {
    const input = toInput({ ...filled, headerPrefix: "X-Ignored", field: "ignored" });
    expect(input).toEqual({
      title: "Call tracking",
      url: "https://hooks.example.com/calls",
      description: "Completed calls over 30 s",
      eventTypes: ["call:completed", "call:missed"],
      filter: {
        accounts: ["acc_1", "acc_2"],
        rules: [
          { path: "duration", op: "gte", value: 30 },
          { path: "source", op: "eq", value: "google" },
          { path: "zip", op: "eq", value: "01234" },
          { path: "tags", op: "in", value: ["vip", 2] },
          { path: "recording", op: "exists", value: true },
        ],
      },
      signature: { scheme: "hmac-sha1", header: "X-CALLTRACKING-SIGNATURE", userAgent: "CallTracking/2.0" },
      retryPolicy: { preset: "custom", delaysMs: [10_000, 60_000, 7_200_000] },
      timeoutMs: 5000,
      headers: { "X-Team": "growth", "X-Tenant": "t-1" },
      secretHeaders: ["X-Tenant"],
      enabled: false,
      disableOnGone: true,
      failureThreshold: 10,
      requireHttps: false,
      account: null,
    });
  });

  it("a header whose name looks like a credential is sent as secret even when unticked; saved endpoints without the flag read as all secret", () => {
    const input = toInput({ ...filled, headers: [{ name: "X-Api-Key", value: "k", secret: false }, { name: "X-Team", value: "growth", secret: false }] });
    expect(input.secretHeaders).toEqual(["X-Api-Key"]);
    const legacy = fromEndpoint({ ...toInput(filled), description: "", enabled: true, secretHeaders: undefined } as Parameters<typeof fromEndpoint>[0]);
    expect(legacy.headers.every((row) => row.secret)).toBe(true);
  });

  it("reads a saved endpoint back into the same form (edit shows what was saved)", () => {
    const saved = toInput(filled);
    const back = fromEndpoint({ ...saved, description: saved.description ?? "", enabled: saved.enabled ?? true } as Parameters<typeof fromEndpoint>[0]);
    expect(back).toEqual({ ...filled, delays: "10s, 1min, 2h" }); // the same delays, in the format the form shows
    expect(toInput(back)).toEqual(saved);
  });

  it("sends an empty event list for “All events”, whatever was ticked before", () => {
    expect(toInput({ ...filled, allEvents: true }).eventTypes).toEqual([]);
  });

  it.each([
    ["10s, 1m, 5 min, 2h", [10_000, 60_000, 300_000, 7_200_000]],
    ["30", [30_000]],
    ["1.5m 500ms", [90_000, 500]],
  ])("reads the delays %j", (text, delays) => {
    expect(parseDelays(text)).toEqual({ ok: true, delays });
  });

  it.each(["", "soon", "5 weeks"])("explains an unreadable delay list %j", (text) => {
    const parsed = parseDelays(text);
    expect(parsed.ok).toBe(false);
    expect((parsed as { message: string }).message).toMatch(/delay/);
  });

  it("types rule values the way the help text says", () => {
    expect(parseRuleValue("gt", "30")).toBe(30);
    expect(parseRuleValue("eq", '"30"')).toBe("30");
    expect(parseRuleValue("eq", "acc_1")).toBe("acc_1");
    expect(parseRuleValue("in", "acc_1, 7, true")).toEqual(["acc_1", 7, true]);
    expect(parseRuleValue("nin", "")).toBeUndefined();
    expect(parseRuleValue("exists", "false")).toBe(false);
    expect(parseRuleValue("exists", "")).toBe(true);
  });

  it("maps the API's issue paths back onto the field that produced them", () => {
    const values = { ...filled, headers: [{ name: "X-One", value: "1", secret: true }, { name: "X-Two", value: "2", secret: true }] };
    expect(formPath("timeoutMs", values)).toBe("timeoutSeconds");
    expect(formPath("filter.rules.3.value", values)).toBe("rules.3.value");
    expect(formPath("filter.rules.1.path", values)).toBe("rules.1.path");
    expect(formPath("filter.accounts.0", values)).toBe("accounts");
    expect(formPath("retryPolicy.delaysMs.2", values)).toBe("delays");
    expect(formPath("signature.header", values)).toBe("header");
    expect(formPath("headers.X-Two", values)).toBe("headers.1.name");
    expect(formPath("headers.X-Gone", values)).toBe("headers.root");
    expect(formPath("workspaceId", values)).toBe("root.server");
  });

  it("accepts a complete form and puts each problem on its field", async () => {
    expect((await resolve(filled)).errors).toEqual({});
    const broken = await resolve({ ...filled, title: "", eventTypes: [], delays: "soon", timeoutSeconds: 90 });
    expect(Object.keys(broken.errors).sort()).toEqual(["delays", "eventTypes", "timeoutSeconds", "title"]);
    expect(broken.errors.delays?.message).toMatch(/"soon" is not a delay/);
    expect(broken.errors.eventTypes?.message).toMatch(/at least one event type/);
  });

  it("warns early about plain http and private addresses, and says nothing about a public https URL", () => {
    expect(urlWarnings("https://hooks.example.com/x")).toEqual([]);
    expect(urlWarnings("http://hooks.example.com/x").map((warning) => warning.message).join()).toMatch(/http:\/\//);
    expect(urlWarnings("https://127.0.0.1:8080/x").map((warning) => warning.message).join()).toMatch(/private or loopback/);
    expect(urlWarnings("https://[::1]/x")).toHaveLength(1);
    // The console names the server setting; the portal's customer hears neither it nor Hookline's name.
    expect(urlWarnings("https://10.0.0.5/x")[0]!.message).toMatch(/HOOKLINE_ALLOW_PRIVATE_NETWORKS/);
    const portal = urlWarnings("https://10.0.0.5/x", { portal: true });
    expect(portal.map((warning) => warning.message)).toEqual([expect.stringMatching(/^10\.0\.0\.5 is a private or loopback address/)]);
    expect(JSON.stringify(portal)).not.toMatch(/hookline/i);
    expect(urlWarnings("not a url")).toEqual([]);
  });
});
