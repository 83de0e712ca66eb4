import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { assertCanWrite, assertOperator, type ServiceContext } from "@/lib/context";
import { db } from "@/lib/db/client";
import { accountSchema } from "@/lib/features/endpoints/schema";
import { errors } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { parseWith } from "@/lib/validation";
import { portalLinkSchema, portalSettingsSchema, type PortalLinkInput, type PortalSettings } from "./schema";

const TOKEN_PREFIX = "hlp_";

function hashToken(token: string) {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * A short-lived link to the customer portal of one account. The token travels in the URL
 * path (no cookie: the portal must work in a cross-site iframe, where third-party cookies
 * are blocked); only its SHA-256 is stored.
 */
export async function createPortalLink(ctx: ServiceContext, account: string, input: PortalLinkInput, baseUrl: string) {
  assertCanWrite(ctx);
  assertOperator(ctx);
  const owner = parseWith(accountSchema, account);
  const data = parseWith(portalLinkSchema, input ?? {});
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  const expiresAt = new Date(Date.now() + data.expiresIn * 1000);
  const link = await db().portalLink.create({
    data: {
      id: newId("ptl"),
      workspaceId: ctx.workspaceId,
      account: owner,
      tokenHash: hashToken(token),
      readOnly: data.readOnly,
      eventTypes: [...new Set(data.eventTypes)],
      expiresAt,
      createdById: ctx.actor.type === "system" ? null : ctx.actor.id,
    },
  });
  const path = `/portal/${token}`;
  return {
    id: link.id,
    account: owner,
    url: new URL(path, baseUrl).toString(),
    path,
    readOnly: link.readOnly,
    eventTypes: link.eventTypes,
    expiresAt: expiresAt.toISOString(),
  };
}

export type PortalSession = {
  ctx: ServiceContext & { account: string };
  token: string;
  linkId: string;
  readOnly: boolean;
  expiresAt: Date;
  workspaceName: string;
  settings: PortalSettings;
};

export type PortalRefusal = { refused: "unknown" | "expired" };

/** The session a portal URL opens, or why it is refused. A tampered token is simply unknown. */
export async function resolvePortalToken(token: string): Promise<PortalSession | PortalRefusal> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return { refused: "unknown" };
  const link = await db().portalLink.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { workspace: { select: { name: true, portal: true } } },
  });
  if (!link) return { refused: "unknown" };
  if (link.expiresAt <= new Date()) return { refused: "expired" };
  return {
    ctx: {
      workspaceId: link.workspaceId,
      role: link.readOnly ? "VIEWER" : "ADMIN",
      actor: { type: "portal", id: link.id },
      account: link.account,
      eventTypes: link.eventTypes,
    },
    token,
    linkId: link.id,
    readOnly: link.readOnly,
    expiresAt: link.expiresAt,
    workspaceName: link.workspace.name,
    settings: readPortalSettings(link.workspace.portal),
  };
}

/** For portal server actions and routes: the session or an expected error (never a 500). */
export async function requirePortalSession(token: unknown): Promise<PortalSession> {
  const session = typeof token === "string" ? await resolvePortalToken(token) : ({ refused: "unknown" } as const);
  if ("refused" in session) {
    throw session.refused === "expired"
      ? errors.unauthorized("This portal link has expired: open the portal again from the product")
      : errors.unauthorized("This portal link is not valid");
  }
  return session;
}

/** Stored settings are parsed leniently: a setting added later falls back to its default. */
export function readPortalSettings(stored: unknown): PortalSettings {
  const result = portalSettingsSchema.safeParse(stored ?? {});
  return result.success ? result.data : portalSettingsSchema.parse({});
}

/** `frame-ancestors` for a portal page: the workspace's allowed origins, else none. */
export function frameAncestors(settings: Pick<PortalSettings, "allowedOrigins"> | null): string {
  const origins = settings?.allowedOrigins ?? [];
  return origins.length ? `frame-ancestors 'self' ${origins.join(" ")}` : "frame-ancestors 'self'";
}

export type PortalLinkSummary = { id: string; account: string; readOnly: boolean; eventTypes: string[]; expiresAt: string; createdAt: string };

/** The account's links that still open a session, newest first (their URLs are not stored: they cannot be shown again). */
export async function listOpenPortalLinks(ctx: ServiceContext, account: string): Promise<{ data: PortalLinkSummary[] }> {
  assertOperator(ctx);
  const owner = parseWith(accountSchema, account);
  const rows = await db().portalLink.findMany({
    where: { workspaceId: ctx.workspaceId, account: owner, expiresAt: { gt: new Date() } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 100,
  });
  return {
    data: rows.map((row) => ({
      id: row.id,
      account: row.account,
      readOnly: row.readOnly,
      eventTypes: row.eventTypes,
      expiresAt: row.expiresAt.toISOString(),
      createdAt: row.createdAt.toISOString(),
    })),
  };
}

/**
 * Ends portal links early: one (`linkId`) or every open link of the account. A revoked link is an
 * expired one (its expiry becomes now), so a session opened with it ends at its next request,
 * page or action, and the link's page says it has expired.
 */
export async function revokePortalLinks(ctx: ServiceContext, account: string, linkId?: string): Promise<{ revoked: number }> {
  assertCanWrite(ctx);
  assertOperator(ctx);
  const owner = parseWith(accountSchema, account);
  const scope = { workspaceId: ctx.workspaceId, account: owner, ...(linkId === undefined ? {} : { id: linkId }) };
  if (linkId !== undefined && !(await db().portalLink.findFirst({ where: scope, select: { id: true } }))) throw errors.notFound("Portal link");
  const now = new Date();
  const { count } = await db().portalLink.updateMany({ where: { ...scope, expiresAt: { gt: now } }, data: { expiresAt: now } });
  return { revoked: count };
}
