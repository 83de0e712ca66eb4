import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { assertCanWrite, type ServiceContext } from "@/lib/context";
import { errors } from "@/lib/errors";
import type { Role } from "@/lib/generated/prisma/enums";
import { newId } from "@/lib/ids";

export const createApiKeySchema = z.object({
  name: z.string().trim().min(1, "Name the key").max(80),
  role: z.enum(["ADMIN", "VIEWER"]).default("ADMIN"),
});

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
  const { name, role } = createApiKeySchema.parse(input);
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

export async function revokeApiKey(ctx: ServiceContext, id: string) {
  assertCanWrite(ctx);
  const { count } = await db().apiKey.updateMany({
    where: { id, workspaceId: ctx.workspaceId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count === 0) throw errors.notFound("API key");
}

/** Resolves a bearer token to its workspace; null for unknown or revoked keys. */
export async function authenticateApiKey(token: string): Promise<ServiceContext | null> {
  if (!token.startsWith("hk_")) return null;
  const key = await db().apiKey.findUnique({ where: { hash: hashApiKey(token) } });
  if (!key || key.revokedAt) return null;
  // Write lastUsedAt at most once a minute: a busy key must not turn every read into a write.
  if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > 60_000) {
    await db().apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date() } });
  }
  return { workspaceId: key.workspaceId, role: key.role as Role, actor: { type: "apiKey", id: key.id } };
}
