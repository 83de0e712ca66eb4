import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { LRUCache } from "lru-cache";
import { dataDir, env } from "@/lib/env";
import { loadLocalSecrets } from "@/lib/local-secrets";

// Format: "v1.<iv>.<ciphertext>.<tag>" in base64url. The version lets us rotate the scheme.
const VERSION = "v1";

export class SecretBoxError extends Error {}

let cachedKey: Buffer | undefined;
function defaultKey(): Buffer {
  cachedKey ??= Buffer.from(env().HOOKLINE_ENCRYPTION_KEY ?? loadLocalSecrets(dataDir()).encryptionKey, "base64");
  return cachedKey;
}

/** AES-256-GCM with a random 96-bit IV; the tag makes any tampering detectable. */
export function seal(plaintext: string, key: Buffer = defaultKey()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv, ciphertext, cipher.getAuthTag()]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

/**
 * Plaintexts already opened with the default key, by sealed text: every attempt opens its
 * endpoint's secret, and a batch of one endpoint's deliveries opens the same one each time. A new
 * or rotated secret is a new sealed text (random IV), so an entry never goes stale. Bounded: past
 * 1,000 the least recently used goes. (The process holds the key that opens them all in any case.)
 */
const opened = new LRUCache<string, string>({ max: 1_000 });

export function open(sealed: string, key?: Buffer): string {
  if (key) return openWith(sealed, key);
  const known = opened.get(sealed);
  if (known !== undefined) return known;
  const plaintext = openWith(sealed, defaultKey());
  opened.set(sealed, plaintext);
  return plaintext;
}

function openWith(sealed: string, key: Buffer): string {
  const [version, iv, ciphertext, tag] = sealed.split(".");
  if (version !== VERSION || !iv || ciphertext === undefined || !tag) throw new SecretBoxError("not a sealed secret");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    // Never echo the input: it is key material.
    throw new SecretBoxError("secret could not be decrypted (wrong key or tampered data)");
  }
}
