import "server-only";
import { db } from "@/lib/db/client";
import { assertCanWrite, endpointScope, hasRole, type ServiceContext } from "@/lib/context";
import { maskHeaders, openHeaders, sealHeaders, secretHeaderNames, visibleHeaderNames } from "@/lib/crypto/header-box";
import { open, seal } from "@/lib/crypto/secret-box";
import { generateSecret } from "@/lib/delivery/sign";
import { assertUrlAllowed, UrlNotAllowedError } from "@/lib/delivery/ssrf";
import type { CustomHeaders, Filter, RetryPolicy, SignatureConfig } from "@/lib/delivery/schemas";
import { env } from "@/lib/env";
import { errors } from "@/lib/errors";
import { endpointWhere } from "@/lib/features/endpoints/scope";
import type { Prisma } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import {
  endpointCreateSchema,
  endpointUpdateSchema,
  PORTAL_EDITABLE,
  rotateSecretSchema,
  type EndpointCreateInput,
  type EndpointUpdateInput,
} from "@/lib/features/endpoints/schema";
import { parseId, parseWith } from "@/lib/validation";

type EndpointRow = Awaited<ReturnType<ReturnType<typeof db>["endpoint"]["findFirstOrThrow"]>>;

/**
 * The endpoint's API shape (README, "The HTTP API"). Never includes the secret: that takes an
 * explicit reveal. Custom header values are credentials too: admins see them, viewers see the
 * names with masked values.
 */
export function toEndpointDto(row: EndpointRow, ctx: ServiceContext) {
  return {
    id: row.id,
    title: row.title,
    url: row.url,
    description: row.description,
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    disabledAt: row.disabledAt?.toISOString() ?? null,
    eventTypes: row.eventTypes,
    filter: row.filter as Filter,
    signature: row.signature as SignatureConfig,
    retryPolicy: row.retryPolicy as RetryPolicy,
    timeoutMs: row.timeoutMs,
    headers: (hasRole(ctx, "ADMIN") && ctx.account === undefined ? openHeaders(row.headers) : maskHeaders(row.headers, row.visibleHeaders)) as CustomHeaders,
    secretHeaders: secretHeaderNames(row.headers, row.visibleHeaders),
    maxConcurrency: row.maxConcurrency,
    rateLimitPerSecond: row.rateLimitPerSecond,
    failureThreshold: row.failureThreshold,
    disableOnGone: row.disableOnGone,
    requireHttps: row.requireHttps,
    account: row.account,
    consecutiveFailures: row.consecutiveFailures,
    lastSuccessAt: row.lastSuccessAt?.toISOString() ?? null,
    lastAttemptAt: row.lastAttemptAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type EndpointDto = ReturnType<typeof toEndpointDto>;

/** Literal checks at save time (scheme, credentials, private IP literals); names are checked again at connect time. */
function checkUrl(url: string, requireHttps: boolean) {
  try {
    const policy = { allowPrivate: env().HOOKLINE_ALLOW_PRIVATE_NETWORKS, requireHttps: env().HOOKLINE_REQUIRE_HTTPS || requireHttps };
    assertUrlAllowed(url, policy);
  } catch (error) {
    if (error instanceof UrlNotAllowedError) throw errors.validation([{ path: "url", message: error.message, code: error.code }]);
    throw error;
  }
}

async function findEndpoint(ctx: ServiceContext, id: string) {
  const row = await db().endpoint.findFirst({ where: endpointWhere(ctx, id) });
  if (!row) throw errors.notFound("Endpoint");
  return row;
}

/** `account`: only that account's endpoints; `""`: only the workspace-wide ones. */
export async function listEndpoints(ctx: ServiceContext, options: { account?: string } = {}) {
  const owner = options.account === undefined ? {} : { account: options.account === "" ? null : options.account };
  const rows = await db().endpoint.findMany({ where: { ...owner, ...endpointScope(ctx) }, orderBy: { createdAt: "desc" } });
  return rows.map((row) => toEndpointDto(row, ctx));
}

/**
 * A portal session may set only the customer-facing fields, within the link's event types;
 * the endpoint always belongs to the session's account.
 */
function portalInput<T extends Record<string, unknown>>(ctx: ServiceContext, input: T): T {
  if (ctx.account === undefined) return input;
  const picked = Object.fromEntries(Object.entries(input ?? {}).filter(([key]) => (PORTAL_EDITABLE as readonly string[]).includes(key)));
  const filter = picked.filter as Filter | undefined;
  if (filter && typeof filter === "object") picked.filter = { ...filter, accounts: undefined };
  const allowed = ctx.eventTypes ?? [];
  if (allowed.length && "eventTypes" in picked) {
    const chosen = Array.isArray(picked.eventTypes) ? (picked.eventTypes as string[]) : [];
    const outside = chosen.filter((name) => !allowed.includes(name));
    if (outside.length) throw errors.validation([{ path: "eventTypes", message: `Not available here: ${outside.join(", ")}` }]);
    if (!chosen.length) picked.eventTypes = allowed;
  }
  return picked as T;
}

export async function getEndpoint(ctx: ServiceContext, id: string) {
  return toEndpointDto(await findEndpoint(ctx, id), ctx);
}

/** Creates the endpoint with a fresh signing secret, returned this once alongside it. */
export async function createEndpoint(ctx: ServiceContext, input: EndpointCreateInput) {
  assertCanWrite(ctx);
  const scoped = portalInput(ctx, input);
  // A limited link with no choice made still means "only the offered events", never "all".
  if (ctx.account !== undefined && ctx.eventTypes?.length && !scoped.eventTypes?.length) scoped.eventTypes = ctx.eventTypes;
  const data = parseWith(endpointCreateSchema, scoped);
  checkUrl(data.url, data.requireHttps);
  const secret = generateSecret();
  const row = await db().endpoint.create({
    data: {
      id: newId("ep"),
      workspaceId: ctx.workspaceId,
      title: data.title,
      url: data.url,
      description: data.description,
      enabled: data.enabled,
      disabledReason: data.enabled ? null : "Created disabled",
      disabledAt: data.enabled ? null : new Date(),
      eventTypes: [...new Set(data.eventTypes)],
      filter: data.filter as Prisma.InputJsonValue,
      signature: data.signature as Prisma.InputJsonValue,
      retryPolicy: data.retryPolicy as Prisma.InputJsonValue,
      timeoutMs: data.timeoutMs,
      headers: sealHeaders(data.headers) as Prisma.InputJsonValue,
      visibleHeaders: visibleHeaderNames(data.headers, data.secretHeaders),
      maxConcurrency: data.maxConcurrency ?? null,
      rateLimitPerSecond: data.rateLimitPerSecond ?? null,
      failureThreshold: data.failureThreshold,
      disableOnGone: data.disableOnGone,
      requireHttps: data.requireHttps,
      account: ctx.account ?? data.account ?? null,
      secretEnc: seal(secret),
    },
  });
  return { ...toEndpointDto(row, ctx), secret };
}

export async function updateEndpoint(ctx: ServiceContext, id: string, input: EndpointUpdateInput) {
  assertCanWrite(ctx);
  const patch = parseWith(endpointUpdateSchema, portalInput(ctx, input));
  const current = await findEndpoint(ctx, id);
  // Validate the merged endpoint, so e.g. a new scheme is checked against the existing custom headers.
  // secretHeaders not given: the headers keep their setting (and a new one starts secret).
  const merged = parseWith(endpointCreateSchema, { ...toCreateShape(current), secretHeaders: undefined, ...patch });
  if (patch.url !== undefined || patch.requireHttps) checkUrl(merged.url, merged.requireHttps);
  const enabling = patch.enabled === true && !current.enabled;
  const disabling = patch.enabled === false && current.enabled;
  const row = await db().endpoint.update({
    where: { id: current.id },
    data: {
      title: merged.title,
      url: merged.url,
      description: merged.description,
      eventTypes: [...new Set(merged.eventTypes)],
      filter: merged.filter as Prisma.InputJsonValue,
      signature: merged.signature as Prisma.InputJsonValue,
      retryPolicy: merged.retryPolicy as Prisma.InputJsonValue,
      timeoutMs: merged.timeoutMs,
      headers: sealHeaders(merged.headers) as Prisma.InputJsonValue,
      visibleHeaders: visibleHeaderNames(merged.headers, merged.secretHeaders, current.visibleHeaders),
      maxConcurrency: merged.maxConcurrency ?? null,
      rateLimitPerSecond: merged.rateLimitPerSecond ?? null,
      failureThreshold: merged.failureThreshold,
      disableOnGone: merged.disableOnGone,
      requireHttps: merged.requireHttps,
      account: ctx.account ?? merged.account ?? null,
      ...(enabling ? { enabled: true, disabledReason: null, disabledAt: null, consecutiveFailures: 0 } : {}),
      ...(disabling ? { enabled: false, disabledReason: "Disabled by a user", disabledAt: new Date() } : {}),
    },
  });
  return toEndpointDto(row, ctx);
}

// The fields a PATCH may change, read off the update schema so the list cannot drift from it.
const EDITABLE = Object.keys(endpointUpdateSchema.shape) as Array<keyof typeof endpointUpdateSchema.shape>;

/** The stored endpoint as create input, for validating a PATCH merged onto it. */
function toCreateShape(row: EndpointRow): EndpointCreateInput {
  const dto = toEndpointDto(row, { workspaceId: row.workspaceId, role: "ADMIN", actor: { type: "system" } });
  return Object.fromEntries(EDITABLE.map((key) => [key, dto[key]])) as EndpointCreateInput;
}

export async function deleteEndpoint(ctx: ServiceContext, endpointId: string) {
  assertCanWrite(ctx);
  // A many-row delete: an id that reached it as `undefined` would delete every endpoint in scope.
  const { count } = await db().endpoint.deleteMany({ where: endpointWhere(ctx, endpointId) });
  if (count === 0) throw errors.notFound("Endpoint");
}

export async function setEndpointEnabled(ctx: ServiceContext, id: string, enabled: boolean) {
  return updateEndpoint(ctx, id, { enabled });
}

/** The one response allowed to carry the secret (besides create). VIEWERs cannot reveal. */
export async function revealSecret(ctx: ServiceContext, id: string) {
  assertCanWrite(ctx);
  const row = await db().endpoint.findFirst({
    where: endpointWhere(ctx, id),
    select: { secretEnc: true, previousSecretEnc: true, previousSecretUntil: true },
  });
  if (!row) throw errors.notFound("Endpoint");
  const previousValid = row.previousSecretEnc && row.previousSecretUntil && row.previousSecretUntil > new Date();
  return {
    secret: open(row.secretEnc),
    previousSecretExpiresAt: previousValid ? row.previousSecretUntil!.toISOString() : null,
  };
}

/**
 * New secret now; the old one keeps signing alongside it for the grace period
 * (both signatures are sent), so receivers can switch without dropping events.
 */
export async function rotateSecret(ctx: ServiceContext, id: string, input: { graceSeconds?: number } = {}) {
  assertCanWrite(ctx);
  const endpointId = parseId(id);
  const { graceSeconds } = parseWith(rotateSecretSchema, input);
  const secret = generateSecret();
  const previousSecretUntil = new Date(Date.now() + graceSeconds * 1000);
  // One statement: the right-hand side reads the row as it is when the update takes its lock,
  // so a concurrent rotation's new secret becomes this one's previous instead of being lost.
  const keepPrevious = graceSeconds > 0;
  const updated = await db().$executeRaw`
    UPDATE "Endpoint"
       SET "previousSecretEnc" = CASE WHEN ${keepPrevious}::boolean THEN "secretEnc" END,
           "previousSecretUntil" = CASE WHEN ${keepPrevious}::boolean THEN ${previousSecretUntil.toISOString()}::timestamptz AT TIME ZONE 'UTC' END,
           "secretEnc" = ${seal(secret)},
           "updatedAt" = now() AT TIME ZONE 'UTC'
     WHERE id = ${endpointId} AND "workspaceId" = ${ctx.workspaceId}
       AND (${ctx.account ?? null}::text IS NULL OR account = ${ctx.account ?? null})`;
  if (updated === 0) throw errors.notFound("Endpoint");
  return { secret, previousSecretExpiresAt: graceSeconds > 0 ? previousSecretUntil.toISOString() : null };
}
