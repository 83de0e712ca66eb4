import { open, seal } from "@/lib/crypto/secret-box";
import { looksLikeCredential } from "@/lib/delivery/schemas";

/**
 * Custom header values are credentials (`Authorization: Bearer …`, API keys), so they are stored
 * like signing secrets: each value sealed with the secret box, the names in clear (the console
 * lists them). An endpoint may mark a header not secret (`visibleHeaders`): its value is still
 * stored sealed, but viewers see it and stored attempts keep it. A stored value that is not a sealed box is from before encryption at rest and is
 * read as it is until the start-up pass (`sealPlaintextHeaders`) seals it.
 */
const SEALED = /^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{22}$/;

export const MASK = "••••••";

export function isSealed(value: unknown): value is string {
  return typeof value === "string" && SEALED.test(value);
}

export function sealHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, isSealed(value) ? value : seal(value)]));
}

export function openHeaders(stored: unknown): Record<string, string> {
  if (!stored || typeof stored !== "object") return {};
  return Object.fromEntries(
    Object.entries(stored as Record<string, unknown>).map(([name, value]) => [name, isSealed(value) ? open(value) : String(value)]),
  );
}

const lower = (names: string[]) => new Set(names.map((name) => name.toLowerCase()));

/**
 * The custom headers whose values are secret: all of them except those the endpoint marks
 * visible (`visibleHeaders`; empty for endpoints saved before the flag existed), and never a
 * credential-looking name.
 */
export function secretHeaderNames(stored: unknown, visible: string[]): string[] {
  if (!stored || typeof stored !== "object") return [];
  const shown = lower(visible);
  return Object.keys(stored).filter((name) => !shown.has(name.toLowerCase()) || looksLikeCredential(name));
}

/**
 * What `visibleHeaders` becomes when an endpoint is saved with these headers: the names not in
 * `secretNames` when the caller says which are secret; else (not said) the names visible before,
 * so a new header starts secret.
 */
export function visibleHeaderNames(headers: Record<string, string>, secretNames: string[] | undefined, visibleBefore: string[] = []): string[] {
  const secret = secretNames && lower(secretNames);
  const before = lower(visibleBefore);
  return Object.keys(headers).filter((name) => !looksLikeCredential(name) && (secret ? !secret.has(name.toLowerCase()) : before.has(name.toLowerCase())));
}

/** Names kept, secret values hidden, visible values in clear: what viewers and the portal see. */
export function maskHeaders(stored: unknown, visible: string[] = []): Record<string, string> {
  if (!stored || typeof stored !== "object") return {};
  const secret = new Set(secretHeaderNames(stored, visible));
  const opened = openHeaders(stored);
  return Object.fromEntries(Object.keys(stored).map((name) => [name, secret.has(name) ? MASK : opened[name]!]));
}

type Queryable = { query: (sql: string, params?: unknown[]) => Promise<{ rows: Array<Record<string, unknown>> }> };

/**
 * The data migration that goes with encryption at rest: seals every custom header value stored
 * in clear by earlier versions. Runs after the SQL migrations at each start; a no-op once done.
 */
export async function sealPlaintextHeaders(client: Queryable): Promise<number> {
  const { rows } = await client.query(`SELECT id, headers FROM "Endpoint" WHERE headers::text <> '{}'`);
  let sealed = 0;
  for (const row of rows) {
    const headers = row.headers as Record<string, string>;
    if (Object.values(headers).every(isSealed)) continue;
    await client.query(`UPDATE "Endpoint" SET headers = $2::jsonb WHERE id = $1 AND headers = $3::jsonb`, [
      row.id,
      JSON.stringify(sealHeaders(headers)),
      JSON.stringify(headers),
    ]);
    sealed++;
  }
  return sealed;
}
