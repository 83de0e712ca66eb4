import { describe, expect, it } from "vitest";
import { eventTypeNameSchema, retryPolicySchema, signatureSchema, timeoutMsSchema } from "@/lib/delivery/schemas";
import { eventTypePresets } from "@/lib/features/event-types/presets";

// Event lists as the seeds print them (seed 003's categories copied line by line).
const crmSeedLines = [
  "lead.create, lead.update, lead.delete",
  "lead.status.update, lead.list.update, lead.tags.update, lead.track, lead.task.create, lead.task.update, lead.task.delete, lead.note.create, lead.note.update, lead.note.delete",
  "lead.linkedin.new, lead.twitter.new, lead.email.new",
  "campaign.create, campaign.update, campaign.delete",
  "campaign.email.sent, campaign.email.reply, campaign.email.open, campaign.email.click, campaign.email.bounce, campaign.email.unsubscribe",
  "list.create, list.update, list.delete",
  "status.create, status.update, status.delete",
  "tag.create, tag.update, tag.delete",
];

const seedEvents: Record<string, string[]> = {
  meetings: ["meeting_booked"],
  "lead-magnet": [
    "lead.created",
    "research.started",
    "research.completed",
    "research.failed",
    "magnet.generated",
    "lead.completed",
    "lead.failed",
    "magnet.viewed",
  ],
  "call-tracking": ["call:completed", "call:missed", "call:ringing", "lead:created"],
  crm: crmSeedLines.flatMap((line) => line.split(", ")),
  outreach: ["open", "click", "reply", "bounce", "interest", "appointment"],
};

const byId = (id: string) => eventTypePresets.find((preset) => preset.id === id)!;

describe("event type presets", () => {
  it("has one preset per seed", () => {
    expect(eventTypePresets.map((preset) => preset.id)).toEqual(Object.keys(seedEvents));
    expect(new Set(eventTypePresets.map((preset) => preset.seed)).size).toBe(5);
  });

  it.each(Object.entries(seedEvents))("%s lists exactly the seed's events", (id, names) => {
    expect(byId(id).events.map((event) => event.name)).toEqual(names);
  });

  it("counts match the seeds (1, 8, 4, 34, 6)", () => {
    expect(eventTypePresets.map((preset) => preset.events.length)).toEqual([1, 8, 4, 34, 6]);
  });

  it.each(eventTypePresets.map((preset) => [preset.id, preset] as const))("%s: valid names, unique, JSON-object examples, valid endpoint config", (_, preset) => {
    const names = preset.events.map((event) => event.name);
    expect(new Set(names).size).toBe(names.length);
    for (const event of preset.events) {
      expect(eventTypeNameSchema.safeParse(event.name).success).toBe(true);
      expect(event.description.length).toBeGreaterThan(0);
      expect(typeof event.example === "object" && event.example !== null && !Array.isArray(event.example)).toBe(true);
      // Survives serialisation unchanged, i.e. it is plain JSON.
      expect(JSON.parse(JSON.stringify(event.example))).toEqual(event.example);
    }
    expect(signatureSchema.parse(preset.endpoint.signature)).toEqual(preset.endpoint.signature);
    expect(retryPolicySchema.parse(preset.endpoint.retryPolicy)).toEqual(preset.endpoint.retryPolicy);
    expect(timeoutMsSchema.safeParse(preset.endpoint.timeoutMs).success).toBe(true);
  });

  it("configures endpoints as the seeds describe", () => {
    expect(byId("meetings").endpoint).toEqual({ signature: { scheme: "none", hooklineHeaders: false }, retryPolicy: { preset: "fixed" }, timeoutMs: 5000 });
    expect(byId("lead-magnet").endpoint).toEqual({
      signature: { scheme: "hmac-sha256", headerPrefix: "X-Magnetite", userAgent: "Magnetite-Webhooks/1.0", timestamp: "event", hooklineHeaders: false },
      retryPolicy: { preset: "exponential" },
      timeoutMs: 30_000,
      requireHttps: true,
    });
    expect(byId("call-tracking").endpoint.signature).toEqual({ scheme: "hmac-sha1", header: "X-CALLTRACKING-SIGNATURE", hooklineHeaders: false });
    expect(byId("crm").endpoint).toEqual({
      signature: { scheme: "body-secret", field: "secret", hooklineHeaders: false },
      retryPolicy: { preset: "none" },
      timeoutMs: 15_000,
      failureThreshold: 10,
      disableOnGone: false,
    });
    expect(byId("outreach").endpoint.signature).toEqual({ scheme: "none", hooklineHeaders: false });
    // No preset sends Hookline's own headers.
    expect(eventTypePresets.every((preset) => preset.endpoint.signature.hooklineHeaders === false)).toBe(true);
  });

  it("call events carry account, duration, caller number, UTMs, gclid and timestamps", () => {
    for (const event of byId("call-tracking").events.filter((e) => e.name.startsWith("call:"))) {
      expect(event.example).toMatchObject({
        event: event.name,
        account: expect.any(String),
        duration: expect.any(Number),
        caller: { number: expect.stringMatching(/^\+\d+$/) },
        attribution: { utm_source: expect.any(String), utm_medium: expect.any(String), utm_campaign: expect.any(String), gclid: expect.any(String) },
        started_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
    }
  });

  it("keeps the payloads the seeds print", () => {
    expect(byId("meetings").events[0].example).toMatchObject({ event: "meeting_booked", campaignId: "campaign_abc123", meeting: { duration: 30 } });
    expect(byId("lead-magnet").events.find((e) => e.name === "magnet.viewed")!.example).toEqual({
      event: "magnet.viewed",
      timestamp: 1703124056789,
      organization_id: "org_123abc",
      project_id: "proj_456def",
      lead_id: "lead_789ghi",
      data: { lead_id: "lead_789ghi", viewer_ip: "203.0.113.42", user_agent: "Mozilla/5.0...", viewed_at: 1703124056789 },
    });
    const click = byId("outreach").events.find((e) => e.name === "click")!.example;
    expect(Object.keys(click)).toEqual(["type", "CampaignId", "contact"]);
    expect(click.contact).toMatchObject({ email: "andrew@xoxo.capital", interest: "interested", clicked: true, Sender: { provider: "smtp" } });
    // Hookline adds seed 003's `secret` itself, so no example may carry one.
    for (const event of byId("crm").events) {
      expect(event.example).toMatchObject({ id_space: expect.any(String), event: event.name, payload: expect.any(Object) });
      expect(event.example).not.toHaveProperty("secret");
    }
  });
});
