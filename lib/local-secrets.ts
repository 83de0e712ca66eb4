import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

export type LocalSecrets = {
  encryptionKey: string; // base64, 32 bytes: the AES-256-GCM key for secrets at rest
  authSecret: string; // signs next-auth session JWTs
  postgresPassword: string; // the embedded cluster's superuser
  inngestSigningKey: string; // the local engine and the functions authenticate each other with it
  inngestEventKey: string; // what the app names when it sends events to the local engine
};

const generators: { [K in keyof LocalSecrets]: () => string } = {
  encryptionKey: () => randomBytes(32).toString("base64"),
  authSecret: () => randomBytes(32).toString("base64url"),
  postgresPassword: () => randomBytes(18).toString("base64url"),
  // Inngest's format: the SDK hashes the part after the prefix as hex.
  inngestSigningKey: () => `signkey-local-${randomBytes(32).toString("hex")}`,
  inngestEventKey: () => randomBytes(24).toString("hex"),
};

/**
 * Secrets generated once on first start and kept in the data dir (mode 0600),
 * so a fresh clone needs no configuration and restarts keep sessions and
 * decryptable endpoint secrets. Env variables override the file. A secret
 * added by a later version is generated into an existing file, keeping the rest.
 */
export function loadLocalSecrets(dataDir: string): LocalSecrets {
  const file = path.join(dataDir, "secrets.json");
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Partial<LocalSecrets>) : {};
  const missing = (Object.keys(generators) as Array<keyof LocalSecrets>).filter((name) => !stored[name]);
  if (!missing.length) return stored as LocalSecrets;
  const secrets = { ...stored } as LocalSecrets;
  for (const name of missing) secrets[name] = generators[name]();
  mkdirSync(dataDir, { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  renameSync(temporary, file); // atomic: a crash never leaves half a key behind
  return secrets;
}
