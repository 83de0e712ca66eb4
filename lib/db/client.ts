import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";

/** Models that carry key material omit it by default, so a query that forgot a `select` cannot leak it. */
const omit = {
  endpoint: { secretEnc: true, previousSecretEnc: true },
  apiKey: { hash: true },
  user: { passwordHash: true },
} as const;

export function createPrismaClient(connectionString: string, max = env().HOOKLINE_DB_POOL) {
  return new PrismaClient({
    // HOOKLINE_DB_POOL (default 10): the console's reads and writes; the hot path (publish,
    // attempts) is on lib/db/pool.ts's pool of the same size. The embedded PostgreSQL allows 200
    // (lib/db/embedded.ts); with an external one, keep processes × 2 × pool + workers × 10 (the
    // local engine's) below its max_connections.
    adapter: new PrismaPg({ connectionString, max }),
    omit,
    // Bursts of attempts (up to the engine's worker count) queue for a connection; waiting
    // a little is better than failing the step and retrying it.
    transactionOptions: { maxWait: 10_000, timeout: 20_000 },
  });
}

export type Db = ReturnType<typeof createPrismaClient>;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

const globalForDb = globalThis as unknown as { hooklineDb?: Db };

/** The app's client, created on first use (the launcher sets DATABASE_URL before Next starts). */
export function db(): Db {
  if (!globalForDb.hooklineDb) {
    const url = env().DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: start Hookline with `npm run dev` or `npm start`");
    globalForDb.hooklineDb = createPrismaClient(url);
  }
  return globalForDb.hooklineDb;
}

/** Tests run services against their own throwaway database. */
export function setDb(client: Db) {
  globalForDb.hooklineDb = client;
}
