import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

export type LocalSecrets = {
  encryptionKey: string; // base64, 32 bytes: the AES-256-GCM key for secrets at rest
  authSecret: string; // signs next-auth session JWTs
  postgresPassword: string; // the embedded cluster's superuser
};

/**
 * Secrets generated once on first start and kept in the data dir (mode 0600),
 * so a fresh clone needs no configuration and restarts keep sessions and
 * decryptable endpoint secrets. Env variables override the file.
 */
export function loadLocalSecrets(dataDir: string): LocalSecrets {
  const file = path.join(dataDir, "secrets.json");
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, "utf8")) as Partial<LocalSecrets>;
    if (stored.encryptionKey && stored.authSecret && stored.postgresPassword) return stored as LocalSecrets;
  }
  const secrets: LocalSecrets = {
    encryptionKey: randomBytes(32).toString("base64"),
    authSecret: randomBytes(32).toString("base64url"),
    postgresPassword: randomBytes(18).toString("base64url"),
  };
  mkdirSync(dataDir, { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  renameSync(temporary, file); // atomic: a crash never leaves half a key behind
  return secrets;
}
