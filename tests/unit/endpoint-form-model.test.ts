import { describe, expect, it } from "vitest";
import { emptyFormValues, formPath, fromEndpoint, presetFields, toInput, type EndpointFormValues } from "@/lib/features/endpoints/form-model";
import { endpointCreateSchema } from "@/lib/features/endpoints/schema";
import { eventTypePresets } from "@/lib/features/event-types/presets";

// The console form edits a people-friendly shape; a round trip through it must keep every setting,
// or saving an endpoint in the console would silently change how it delivers.

describe("endpoint form model", () => {
  it.each(eventTypePresets.map((preset) => [preset.id, preset] as const))("%s preset: applying it in the form gives exactly the preset's settings", (_, preset) => {
    const values: EndpointFormValues = { ...emptyFormValues, title: "x", url: "https://example.com/hook", ...presetFields(preset) };
    const input = endpointCreateSchema.parse(toInput(values));
    expect(input).toMatchObject({
      signature: preset.endpoint.signature,
      retryPolicy: preset.endpoint.retryPolicy,
      timeoutMs: preset.endpoint.timeoutMs,
      requireHttps: preset.endpoint.requireHttps ?? false,
      failureThreshold: preset.endpoint.failureThreshold ?? 10,
      disableOnGone: preset.endpoint.disableOnGone ?? true,
    });
  });

  it("keeps every new setting of a stored endpoint through edit and save", () => {
    const stored = endpointCreateSchema.parse({
      title: "Calls",
      account: "acc_1",
      url: "https://example.com/hook",
      eventTypes: ["call:completed", "call:missed"],
      filter: {
        accounts: ["acc_1", "acc_2"],
        events: { "call:completed": { accounts: ["acc_1"], rules: [{ path: "duration", op: "gte", value: 30 }] } },
      },
      signature: { scheme: "hmac-sha256", headerPrefix: "X-Magnetite", timestamp: "event", hooklineHeaders: false },
      retryPolicy: { preset: "standard", jitter: false, maxDelayMs: 600_000 },
      requireHttps: true,
      failureThreshold: 3,
      disableOnGone: false,
      headers: { "X-Region": "eu", "X-Token": "t" },
      secretHeaders: ["X-Token"],
    });
    const roundTrip = endpointCreateSchema.parse(toInput(fromEndpoint({ ...stored, enabled: true })));
    expect(roundTrip).toEqual(stored);
  });

  it("stores jitter only when it differs from the policy's default", () => {
    const fixed = toInput({ ...emptyFormValues, retryPreset: "fixed", jitter: false });
    expect(fixed.retryPolicy).toEqual({ preset: "fixed" });
    expect(toInput({ ...emptyFormValues, retryPreset: "standard", jitter: false }).retryPolicy).toEqual({ preset: "standard", jitter: false });
  });

  it("maps a per-event filter's server issue back onto its row", () => {
    const values = { ...emptyFormValues, eventFilters: [{ eventType: "call:missed", accounts: [], rules: [] }, { eventType: "call:completed", accounts: [], rules: [] }] };
    expect(formPath("filter.events.call:completed.rules.0.value", values)).toBe("eventFilters.1.rules.0.value");
    expect(formPath("filter.events.call:missed.accounts", values)).toBe("eventFilters.0.accounts");
    const dotted = { ...emptyFormValues, eventFilters: [{ eventType: "lead", accounts: [], rules: [] }, { eventType: "lead.created", accounts: [], rules: [] }] };
    expect(formPath("filter.events.lead.created.rules.2.path", dotted)).toBe("eventFilters.1.rules.2.path");
    expect(formPath("retryPolicy.maxDelayMs", values)).toBe("maxDelay");
    expect(formPath("signature.timestamp", values)).toBe("timestampSource");
  });
});
