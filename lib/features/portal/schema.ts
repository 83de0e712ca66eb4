import { z } from "zod";
import { eventTypeNameSchema } from "@/lib/delivery/schemas";

export const DEFAULT_LINK_SECONDS = 3600;

/** POST /api/v1/accounts/{account}/portal */
export const portalLinkSchema = z
  .object({
    /** Seconds until the link and the session it opens end (1 minute to 7 days; default 1 hour). */
    expiresIn: z.number().int().min(60).max(7 * 24 * 3600).default(DEFAULT_LINK_SECONDS),
    /** A read-only session sees everything of the account and changes nothing. */
    readOnly: z.boolean().default(false),
    /** Offer only these event types of the catalog (default: all). */
    eventTypes: z.array(eventTypeNameSchema).max(200).default([]),
  })
  .strict();
export type PortalLinkInput = z.input<typeof portalLinkSchema>;

const origin = z
  .string()
  .trim()
  .regex(/^https?:\/\/[^/\s?#]+$/, "An origin is a scheme and a host, e.g. https://app.example.com (no path)");

/** Per-workspace portal settings: the product's branding and where the portal may be embedded. */
export const portalSettingsSchema = z
  .object({
    productName: z.string().trim().max(80).default(""),
    logoUrl: z.union([z.literal(""), z.url({ protocol: /^https?$/ }).max(2000)]).default(""),
    accentColor: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, "Use a colour like #4f46e5")
      .default("#4f46e5"),
    theme: z.enum(["light", "dark", "auto"]).default("light"),
    /** Show "Webhooks by Hookline" at the foot of the portal (off by default: the product's customers see the product only). */
    showPoweredBy: z.boolean().default(false),
    allowedOrigins: z.array(origin).max(20).default([]),
  })
  .strict();
export type PortalSettings = z.infer<typeof portalSettingsSchema>;
export type PortalSettingsInput = z.input<typeof portalSettingsSchema>;
