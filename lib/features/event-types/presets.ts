import type { RetryPolicy, SignatureConfig } from "@/lib/delivery/schemas";

// Catalogs of the five products in shared/seeds/, importable as event types. Example payloads are
// the seed's own where it prints one; the others follow the shape the seed documents for its events.

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface PresetEvent {
  name: string;
  description: string;
  example: JsonObject;
}

export interface EventTypePreset {
  id: string;
  name: string;
  description: string;
  /** The reference document the preset reproduces. */
  seed: string;
  /**
   * Endpoint settings that make a receiver written for that product work unchanged. Every preset
   * sends exactly the headers its document lists: no Hookline headers or user agent.
   */
  endpoint: {
    signature: SignatureConfig;
    retryPolicy: RetryPolicy;
    timeoutMs: number;
    requireHttps?: boolean;
    failureThreshold?: number;
    disableOnGone?: boolean;
  };
  events: PresetEvent[];
}

// Seed 000: meeting bookings from outbound campaigns.
const meetings: EventTypePreset = {
  id: "meetings",
  name: "Meetings",
  description: "A meeting booked by a prospect of a campaign, to sync with a CRM or notify the sales team.",
  seed: "000_850f5e4fb1436166",
  endpoint: {
    // The seed signs nothing and lists only Content-Type: so does the preset.
    signature: { scheme: "none", hooklineHeaders: false },
    retryPolicy: { preset: "fixed" }, // 1 min, 5 min, 30 min, 2 h, exactly (no jitter)
    timeoutMs: 5000, // "Return a 200 OK response quickly (within 5 seconds)"
  },
  events: [
    {
      name: "meeting_booked",
      description: "A prospect booked a meeting.",
      example: {
        event: "meeting_booked",
        campaignId: "campaign_abc123",
        prospect: {
          id: "prospect_xyz789",
          companyName: "Acme Corp",
          contactName: "John Smith",
          email: "john@acme.com",
          title: "VP of Sales",
        },
        meeting: {
          id: "meeting_123",
          scheduledAt: "2026-01-20T14:00:00Z",
          duration: 30,
          title: "Discovery Call with Acme Corp",
        },
        timestamp: "2026-01-16T10:30:00Z",
      },
    },
  ],
};

// Seed 001: every event shares one envelope; `data` is event-specific.
function magnetiteEvent(event: string, timestamp: number, data: JsonObject): JsonObject {
  return {
    event,
    timestamp,
    organization_id: "org_123abc",
    project_id: "proj_456def",
    lead_id: "lead_789ghi",
    data: { lead_id: "lead_789ghi", ...data },
  };
}

const leadMagnet: EventTypePreset = {
  id: "lead-magnet",
  name: "Lead magnet",
  description: "Generation of personalised lead magnets: research, content generation, completion and views.",
  seed: "001_63112c7b53ee22c3",
  endpoint: {
    // "X-Magnetite-Timestamp: Unix timestamp when event occurred": the event's time, the same on every retry.
    signature: {
      scheme: "hmac-sha256",
      headerPrefix: "X-Magnetite",
      userAgent: "Magnetite-Webhooks/1.0",
      timestamp: "event",
      hooklineHeaders: false,
    },
    retryPolicy: { preset: "exponential" }, // 1 s, 2 s, 4 s, … at most 30 s, Retry-After included
    timeoutMs: 30_000, // "Ensure your endpoint responds within 30 seconds"
    requireHttps: true, // "must use a valid SSL certificate. Self-signed certificates are not supported"
  },
  events: [
    {
      name: "lead.created",
      description: "A lead magnet generation request was received and queued.",
      example: magnetiteEvent("lead.created", 1703123456789, {
        input_data: { fullName: "John Smith", company: "Acme Corp", email: "john@acme.com" },
        status: "processing",
        created_at: 1703123456789,
      }),
    },
    {
      name: "research.started",
      description: "The research agent started gathering data for personalisation.",
      example: magnetiteEvent("research.started", 1703123466789, { status: "researching", started_at: 1703123466789 }),
    },
    {
      name: "research.completed",
      description: "Research finished; content generation is about to begin.",
      example: magnetiteEvent("research.completed", 1703123556789, {
        status: "generating",
        research_results: { company_info: "...", industry_insights: "..." },
        completed_at: 1703123556789,
      }),
    },
    {
      name: "research.failed",
      description: "The research phase failed (tool errors, API limits or other issues).",
      example: magnetiteEvent("research.failed", 1703123556789, {
        status: "failed",
        error: { code: "rate_limited", message: "Research API rate limit reached" },
        failed_at: 1703123556789,
      }),
    },
    {
      name: "magnet.generated",
      description: "The personalised lead magnet content was generated.",
      example: magnetiteEvent("magnet.generated", 1703123706789, {
        status: "generated",
        generated_content: { contentLength: 4521 },
        generated_at: 1703123706789,
      }),
    },
    {
      name: "lead.completed",
      description: "The lead magnet is fully processed and ready to view.",
      example: magnetiteEvent("lead.completed", 1703123756789, {
        status: "completed",
        research_results: { company_info: "...", industry_insights: "..." },
        generated_content: { contentLength: 4521 },
        completed_at: 1703123756789,
      }),
    },
    {
      name: "lead.failed",
      description: "Lead magnet generation failed permanently after all retries.",
      example: magnetiteEvent("lead.failed", 1703123756789, {
        status: "failed",
        error: { code: "generation_failed", message: "Content generation failed after 3 attempts" },
        failed_at: 1703123756789,
      }),
    },
    {
      name: "magnet.viewed",
      description: "A recipient opened the generated lead magnet.",
      example: magnetiteEvent("magnet.viewed", 1703124056789, {
        viewer_ip: "203.0.113.42",
        user_agent: "Mozilla/5.0...",
        viewed_at: 1703124056789,
      }),
    },
  ],
};

// Seed 002 lists the data (call id, account, timestamps, caller number, UTMs, gclid) but prints no
// payload. `account` and `duration` (seconds) are top-level so the seed's own filters read
// `{"accounts": ["acc_1"], "rules": [{"path": "duration", "op": "gte", "value": 30}]}`.
const attribution: JsonObject = {
  utm_source: "google",
  utm_medium: "cpc",
  utm_campaign: "plombier-lyon",
  utm_term: "plombier urgence lyon",
  utm_content: "annonce-a",
  gclid: "EAIaIQobChMI8YvB4c2mgwMVx5GDBx0",
};

function callEvent(event: string, status: string, duration: number, times: JsonObject): JsonObject {
  return {
    event,
    call_id: "call_5f2b7c91",
    account: "acc_1",
    account_name: "Plomberie Martin - Lyon",
    status,
    duration,
    caller: { number: "+33612345678", city: "Lyon", country: "FR" },
    tracking_number: "+33482530000",
    destination_number: "+33478000000",
    attribution,
    ...times,
  };
}

const callTracking: EventTypePreset = {
  id: "call-tracking",
  name: "Call tracking",
  description: "Calls received on tracked numbers with account and marketing attribution, and the leads they create.",
  seed: "002_36b69944a6fc9e7f",
  endpoint: {
    signature: { scheme: "hmac-sha1", header: "X-CALLTRACKING-SIGNATURE", hooklineHeaders: false },
    retryPolicy: { preset: "standard" }, // the seed states no policy
    timeoutMs: 15_000,
  },
  events: [
    {
      name: "call:completed",
      description: "An answered call on a tracked number ended.",
      example: callEvent("call:completed", "completed", 142, {
        started_at: "2026-01-16T10:30:00Z",
        answered_at: "2026-01-16T10:30:07Z",
        ended_at: "2026-01-16T10:32:29Z",
      }),
    },
    {
      name: "call:missed",
      description: "A call on a tracked number was not answered.",
      example: callEvent("call:missed", "missed", 0, {
        started_at: "2026-01-16T10:30:00Z",
        ended_at: "2026-01-16T10:30:31Z",
      }),
    },
    {
      name: "call:ringing",
      description: "A tracked number is ringing.",
      example: callEvent("call:ringing", "ringing", 0, { started_at: "2026-01-16T10:30:00Z" }),
    },
    {
      name: "lead:created",
      description: "A lead was created from a call.",
      example: {
        event: "lead:created",
        lead_id: "lead_0c4e8a12",
        call_id: "call_5f2b7c91",
        account: "acc_1",
        account_name: "Plomberie Martin - Lyon",
        caller: { number: "+33612345678", city: "Lyon", country: "FR" },
        duration: 142,
        attribution,
        created_at: "2026-01-16T10:32:30Z",
      },
    },
  ],
};

// Seed 003: `{id_space, event, secret, payload}`. Hookline adds `secret` itself (body-secret
// signing, as the first field), so the examples leave it out.
const SPACE = "eb8edc65-129a-4cb6-abbe-6bf8979c0658";
const LEAD_ID = "e106db1f-aba3-40ba-97a7-507b54757ef8";
const crmLead: JsonObject = {
  id: LEAD_ID,
  email: null,
  company: null,
  notes: null,
  phone: null,
  linkedin_url: null,
  created_at: "2023-04-29T11:13:55.021Z",
  updated_at: null,
  first_name: "Jean",
  icebreaker: "",
  last_name: "remove",
  website_url: null,
  timezone: null,
  city: null,
  company_role: null,
  twitter_name: null,
  avatar_url: null,
  icebreaker_2: "",
  icebreaker_3: "",
  icebreaker_4: "",
  email_bounce_score: null,
  twitter_company_name: null,
  is_deleted: false,
  is_deleted_at: null,
  custom_fields: null,
  custom_fields_schema: null,
  order: 0,
  contract_value: 0,
  is_tracked: false,
  id_import_task: null,
  id_linkedin_company: null,
  id_linkedin: null,
  id_space: SPACE,
  id_twitter_company: null,
  id_twitter: null,
};
const UPDATED_AT = "2023-04-30T09:12:00.000Z";
const crmTask: JsonObject = {
  id: "7d1c0a52-3f4e-4b8a-9c61-2e5f8b7a9d10",
  id_lead: LEAD_ID,
  title: "Call back",
  due_at: "2023-05-02T09:00:00.000Z",
  is_done: false,
  id_space: SPACE,
};
const crmNote: JsonObject = {
  id: "c2a9e4f1-6b7d-4e38-8f05-91d3a6c4b2e7",
  id_lead: LEAD_ID,
  content: "Interested in the annual plan",
  id_space: SPACE,
};
const CAMPAIGN_ID = "5b8f1e2d-4c7a-4d93-a6e0-3f9c2b1d8e45";
const crmCampaign: JsonObject = { id: CAMPAIGN_ID, name: "Q2 outbound", status: "active", id_space: SPACE };
const LIST_ID = "a4e7c9b2-1d3f-4a58-b6e0-7c2d9f1e3b84";
const crmList: JsonObject = { id: LIST_ID, name: "Hot leads", id_space: SPACE };
const STATUS_ID = "f3b6d8a1-9e2c-4f47-85d1-6a0c3e7b9f22";
const crmStatus: JsonObject = { id: STATUS_ID, name: "Contacted", color: "#3b82f6", order: 1, id_space: SPACE };
const TAG_ID = "9c1e5a7d-2b4f-4e86-a3d0-8f6b1c9e2a57";
const crmTag: JsonObject = { id: TAG_ID, name: "decision-maker", color: "#10b981", id_space: SPACE };

function crmMessage(channel: string): JsonObject {
  return {
    id: "2f7a9c1e-5d3b-4e80-9a6c-1b8e4d2f7c39",
    id_lead: LEAD_ID,
    channel,
    direction: "inbound",
    content: "Thanks, let's talk next week.",
    id_space: SPACE,
  };
}

function crmCampaignEmail(action: string): JsonObject {
  return {
    id_campaign: CAMPAIGN_ID,
    id_lead: LEAD_ID,
    email: "jean@example.com",
    step: 1,
    action,
    occurred_at: UPDATED_AT,
    id_space: SPACE,
  };
}

function crmEvent(name: string, description: string, payload: JsonObject): PresetEvent {
  return { name, description, example: { id_space: SPACE, event: name, payload } };
}

const crm: EventTypePreset = {
  id: "crm",
  name: "CRM",
  description: "Leads and their activity, messages, campaigns, campaign emails, lists, statuses and tags.",
  seed: "003_5de5a8e127184d5f",
  endpoint: {
    signature: { scheme: "body-secret", field: "secret", hooklineHeaders: false },
    // "There is no retry policy"; "If the delivery of a webhook fails 10 times, the webhook endpoint
    // will be paused": the count alone pauses it, a 410 is one more failure.
    retryPolicy: { preset: "none" },
    timeoutMs: 15_000,
    failureThreshold: 10,
    disableOnGone: false,
  },
  events: [
    crmEvent("lead.create", "A lead was created.", crmLead),
    crmEvent("lead.update", "A lead was updated.", { ...crmLead, first_name: "John", updated_at: UPDATED_AT }),
    crmEvent("lead.delete", "A lead was deleted.", { ...crmLead, is_deleted: true, is_deleted_at: UPDATED_AT }),
    crmEvent("lead.status.update", "A lead's status changed.", { ...crmLead, id_status: STATUS_ID, updated_at: UPDATED_AT }),
    crmEvent("lead.list.update", "A lead was added to or removed from lists.", {
      ...crmLead,
      id_lists: [LIST_ID],
      updated_at: UPDATED_AT,
    }),
    crmEvent("lead.tags.update", "A lead's tags changed.", { ...crmLead, tags: [TAG_ID], updated_at: UPDATED_AT }),
    crmEvent("lead.track", "A lead is now tracked.", { ...crmLead, is_tracked: true, updated_at: UPDATED_AT }),
    crmEvent("lead.task.create", "A task was created on a lead.", crmTask),
    crmEvent("lead.task.update", "A task on a lead was updated.", { ...crmTask, is_done: true }),
    crmEvent("lead.task.delete", "A task on a lead was deleted.", crmTask),
    crmEvent("lead.note.create", "A note was added to a lead.", crmNote),
    crmEvent("lead.note.update", "A note on a lead was edited.", {
      ...crmNote,
      content: "Interested in the annual plan, budget approved",
    }),
    crmEvent("lead.note.delete", "A note on a lead was deleted.", crmNote),
    crmEvent("lead.linkedin.new", "A new LinkedIn message from a lead.", crmMessage("linkedin")),
    crmEvent("lead.twitter.new", "A new Twitter message from a lead.", crmMessage("twitter")),
    crmEvent("lead.email.new", "A new email from a lead.", crmMessage("email")),
    crmEvent("campaign.create", "A campaign was created.", crmCampaign),
    crmEvent("campaign.update", "A campaign was updated.", { ...crmCampaign, status: "paused" }),
    crmEvent("campaign.delete", "A campaign was deleted.", crmCampaign),
    crmEvent("campaign.email.sent", "A campaign email was sent.", crmCampaignEmail("sent")),
    crmEvent("campaign.email.reply", "A lead replied to a campaign email.", crmCampaignEmail("reply")),
    crmEvent("campaign.email.open", "A campaign email was opened.", crmCampaignEmail("open")),
    crmEvent("campaign.email.click", "A link in a campaign email was clicked.", crmCampaignEmail("click")),
    crmEvent("campaign.email.bounce", "A campaign email bounced.", crmCampaignEmail("bounce")),
    crmEvent("campaign.email.unsubscribe", "A lead unsubscribed from a campaign.", crmCampaignEmail("unsubscribe")),
    crmEvent("list.create", "A list was created.", crmList),
    crmEvent("list.update", "A list was updated.", { ...crmList, name: "Very hot leads" }),
    crmEvent("list.delete", "A list was deleted.", crmList),
    crmEvent("status.create", "A status was created.", crmStatus),
    crmEvent("status.update", "A status was updated.", { ...crmStatus, color: "#f59e0b" }),
    crmEvent("status.delete", "A status was deleted.", crmStatus),
    crmEvent("tag.create", "A tag was created.", crmTag),
    crmEvent("tag.update", "A tag was updated.", { ...crmTag, name: "champion" }),
    crmEvent("tag.delete", "A tag was deleted.", crmTag),
  ],
};

// Seed 004: `{type, CampaignId, contact}`; the seed prints the `click` event, reproduced verbatim.
const outreachContact: JsonObject = {
  id: "345b2b81-b2cf-4879-bf46-73a33275e22b",
  first_name: null,
  last_name: null,
  email: "andrew@xoxo.capital",
  linkedin_url: "",
  image: null,
  title: null,
  phone: null,
  timezone_offset: null,
  company_name: null,
  industry: null,
  note: null,
  company_url: null,
  one_liner: null,
  twitter: null,
  twitter_id: null,
  custom: null,
  validated: false,
  verified: true,
  deleted: false,
  finished: true,
  bounced: false,
  interest: "interested",
  clicked: true,
  opened: false,
  replied: false,
  appointment: false,
  failed: false,
  state: null,
  country: null,
  b_test: false,
  test_letter: "a",
  createdAt: "2023-01-26T04:41:10.639Z",
  updatedAt: "2023-01-26T04:48:04.762Z",
  UserId: "19e81e73-0b7b-449c-8d58-78701c478bb8",
  TeamId: "fd815f85-80a9-43ba-825b-dc114fa2bfcg",
  OrgId: "d829145b-ee91-4fr9-9446-9ad392ac3e3d",
  CampaignId: "d9ff359d-8d50-378b-989d-34100a0503c1",
  ContactConfigId: "90736a4f-31c6-4fb7-8429-89768419312d",
  SenderId: "1741c004-3c4a-4633-9ec1-586270332c7b",
  Sender: {
    id: "2744c004-3c4a-4633-9ec1-586270332c7b",
    provider: "smtp",
    send_as: "Andrew Pierno",
    email: "ap@supersend.io",
  },
};

function outreachEvent(type: string, description: string, contact: JsonObject): PresetEvent {
  return {
    name: type,
    description,
    example: { type, CampaignId: "d9ff359d-8d50-378b-989a-34100a0503c1", contact: { ...outreachContact, ...contact } },
  };
}

const outreach: EventTypePreset = {
  id: "outreach",
  name: "Outreach",
  description: "Engagement of a campaign's contacts: opens, clicks, replies, bounces, interest and appointments.",
  seed: "004_75282c2f1a3e6a9c",
  endpoint: {
    // The seed signs nothing and lists no headers; the interest filter is a per-event payload rule
    // (README: "Seed 004").
    signature: { scheme: "none", hooklineHeaders: false },
    retryPolicy: { preset: "standard" },
    timeoutMs: 15_000,
  },
  events: [
    outreachEvent("open", "A contact opened an email.", { interest: null, clicked: false, opened: true }),
    outreachEvent("click", "A contact clicked a link.", {}),
    outreachEvent("reply", "A contact replied.", { interest: null, clicked: false, replied: true }),
    outreachEvent("bounce", "An email to a contact bounced.", {
      interest: null,
      clicked: false,
      bounced: true,
      failed: true,
    }),
    outreachEvent("interest", "A contact's interest changed; read contact.interest (a string).", { interest: "interested" }),
    outreachEvent("appointment", "A contact booked an appointment; read contact.appointment (a boolean).", {
      appointment: true,
    }),
  ],
};

export const eventTypePresets: readonly EventTypePreset[] = [meetings, leadMagnet, callTracking, crm, outreach];
