import { randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { dataDir } from "@/lib/env";

/**
 * First-run setup needs a one-time token that only whoever runs the server can read (as
 * Jenkins, Grafana and GitLab do): it is printed on the server's console and kept in
 * `<data dir>/setup-token` (mode 0600) until the first admin exists. Without it, anyone
 * who reached a fresh install first could claim it.
 */
export function setupTokenPath(): string {
  return path.join(dataDir(), "setup-token");
}

function readToken(): string | null {
  const file = setupTokenPath();
  return existsSync(file) ? readFileSync(file, "utf8").trim() || null : null;
}

/** The current token, generated (and announced on the console) when there is none yet. */
export function ensureSetupToken(log: (line: string) => void = (line) => console.log(`[hookline] ${line}`)): string {
  const existing = readToken();
  if (existing) return existing;
  const token = `setup_${randomBytes(18).toString("base64url")}`;
  const file = setupTokenPath();
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${token}\n`, { mode: 0o600 });
  renameSync(temporary, file);
  announce(token, log);
  return token;
}

export function announce(token: string, log: (line: string) => void) {
  log("No admin exists yet. To create the first one, open /setup and enter this setup token:");
  log(`    ${token}`);
  log(`(It is also in ${setupTokenPath()}; it stops working once the first admin exists.)`);
}

export function setupTokenMatches(given: string): boolean {
  const expected = readToken();
  if (!expected) return false;
  const a = Buffer.from(given.trim());
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function consumeSetupToken() {
  rmSync(setupTokenPath(), { force: true });
}
