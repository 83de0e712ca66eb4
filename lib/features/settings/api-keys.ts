import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { z } from "zod";
import { createApiKeySchema } from "@/lib/features/settings/schema";
import { db } from "@/lib/db/client";
import { query } from "@/lib/db/pool";
import { assertCanWrite, type ServiceContext } from "@/lib/context";
import { errors } from "@/lib/errors";
import type { Role } from "@/lib/generated/prisma/enums";
import { newId } from "@/lib/ids";
import { parseId, parseWith } from "@/lib/validation";

export { createApiKeySchema };

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function generateApiKey(): string {
  return `hk_${randomBytes(24).toString("base64url")}`;
}

/** How a key is shown once revealed no more: enough to recognise, useless to an attacker. */
export function keyPrefix(key: string): string {
  return key.slice(0, 10);
}

/** Returns the plaintext key exactly once; only its SHA-256 is stored. */
export async function createApiKey(ctx: ServiceContext, input: z.input<typeof createApiKeySchema>, plaintext = generateApiKey()) {
  assertCanWrite(ctx);
  const { name, role } = parseWith(createApiKeySchema, input);
  const key = await db().apiKey.create({
    data: {
      id: newId("key"),
      workspaceId: ctx.workspaceId,
      name,
      role,
      prefix: keyPrefix(plaintext),
      hash: hashApiKey(plaintext),
      createdById: ctx.actor.type === "user" ? ctx.actor.id : null,
    },
  });
  return { key, plaintext };
}

export async function listApiKeys(ctx: ServiceContext) {
  return db().apiKey.findMany({ where: { workspaceId: ctx.workspaceId }, orderBy: { createdAt: "desc" } });
}

export async function revokeApiKey(ctx: ServiceContext, keyId: string) {
  assertCanWrite(ctx);
  const id = parseId(keyId);
  const { count } = await db().apiKey.updateMany({
    where: { id, workspaceId: ctx.workspaceId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count === 0) throw errors.notFound("API key");
  // Immediate on this instance; other instances drop it within API_KEY_CACHE_MS.
  for (const [hash, entry] of apiKeyCache) if (entry.ctx.actor.type === "apiKey" && entry.ctx.actor.id === id) apiKeyCache.delete(hash);
}

/**
 * Verified keys are remembered in-process for a few seconds, so a busy key costs no query per
 * request. A revocation takes effect at once on the instance that revoked it and within
 * API_KEY_CACHE_MS on any other instance. Unknown keys are never cached (a key created a moment
 * ago works at once).
 */
const API_KEY_CACHE_MS = 5_000;
const API_KEY_CACHE_MAX = 1_000;
// On globalThis: Next bundles this module more than once (route handlers, the direct publish path
// in instrumentation), and a revocation must clear the one cache every copy reads.
const globalForKeys = globalThis as unknown as { hooklineApiKeys?: Map<string, { ctx: ServiceContext; until: number }> };
const apiKeyCache = (globalForKeys.hooklineApiKeys ??= new Map<string, { ctx: ServiceContext; until: number }>());

// The key and its lastUsedAt in one round trip: lastUsedAt is written at most once a minute, so
// a busy key does not turn every cache miss into a write.
const AUTHENTICATE = `
  WITH key AS (SELECT id, "workspaceId", role::text AS role, "lastUsedAt" FROM "ApiKey" WHERE hash = $1 AND "revokedAt" IS NULL),
       touched AS (
         UPDATE "ApiKey" SET "lastUsedAt" = now() AT TIME ZONE 'UTC'
          WHERE id = (SELECT id FROM key WHERE "lastUsedAt" IS NULL OR "lastUsedAt" < now() AT TIME ZONE 'UTC' - interval '1 minute'))
  SELECT id, "workspaceId", role FROM key`;

/** Resolves a bearer token to its workspace; null for unknown or revoked keys. */
export async function authenticateApiKey(token: string): Promise<ServiceContext | null> {
  if (!token.startsWith("hk_")) return null;
  const hash = hashApiKey(token);
  const cached = apiKeyCache.get(hash);
  if (cached && cached.until > Date.now()) return cached.ctx;
  apiKeyCache.delete(hash);
  const {
    rows: [key],
  } = await query<{ id: string; workspaceId: string; role: Role }>("apiKey.authenticate", AUTHENTICATE, [hash]);
  if (!key) return null;
  const ctx: ServiceContext = { workspaceId: key.workspaceId, role: key.role, actor: { type: "apiKey", id: key.id } };
  if (apiKeyCache.size >= API_KEY_CACHE_MAX) apiKeyCache.delete(apiKeyCache.keys().next().value!);
  apiKeyCache.set(hash, { ctx, until: Date.now() + API_KEY_CACHE_MS });
  return ctx;
}
