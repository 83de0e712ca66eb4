import "server-only";
import { randomInt } from "node:crypto";
import pg from "pg";
import { withoutApplicationName } from "@/lib/db/connection-name";
import { env } from "@/lib/env";
import { asUnavailable } from "@/lib/errors";
import { logger } from "@/lib/log";

/**
 * The hot path's own `pg` pool (publish, API-key checks, admission): prepared statements and one
 * round trip per statement, where Prisma adds its query engine's CPU to every call. Prisma keeps
 * the console's CRUD and the schema. Sized by HOOKLINE_DB_POOL like Prisma's pool; a request that
 * cannot get a connection within HOOKLINE_DB_CONNECT_TIMEOUT_MS answers 503 `database_busy`
 * instead of queueing without bound.
 */
const globalForPool = globalThis as unknown as { hooklinePool?: pg.Pool; hooklineProcessMark?: number };

/**
 * A random number naming this process (kept on globalThis: a module loaded twice is still one
 * process). Its hot-path connections carry it (`application_name` `hookline#<mark>`, or
 * `hookline-worker-<index>#<mark>`), and so do the scheduled claims it holds (`Delivery.leaseOwner`):
 * a claim whose mark no connection carries any more is a dead process's (lib/delivery/attempt.ts, Lane).
 */
export const PROCESS_MARK = (globalForPool.hooklineProcessMark ??= randomInt(1, 2 ** 31 - 1));

/** How much longer than the server's statement timeout the client waits for an answer. */
const QUERY_TIMEOUT_MARGIN_MS = 2_000;

export function createPool(connectionString: string, overrides: Pick<pg.PoolConfig, "idleTimeoutMillis"> = {}) {
  const settings = env();
  const created = new pg.Pool({
    connectionString: withoutApplicationName(connectionString),
    max: settings.HOOKLINE_DB_POOL,
    // Two connections stay open through quiet spells (the rest close after 10 s idle): a new one
    // costs its authentication, a server process and a fresh plan of every prepared statement,
    // which made the first publish after 10 quiet seconds take ~80 ms instead of ~12.
    min: 2,
    ...overrides,
    connectionTimeoutMillis: settings.HOOKLINE_DB_CONNECT_TIMEOUT_MS,
    // A statement stuck behind locks or an overloaded server fails (503) rather than holding a
    // connection, and the publish that waits on it, forever.
    statement_timeout: settings.HOOKLINE_DB_STATEMENT_TIMEOUT_MS,
    // The server enforces that only while it runs: one that hangs (stopped, a stuck disk, a network
    // that drops packets) answers nothing. So the client gives up a little later itself ("Query read
    // timeout": 503 database_busy, lib/errors.ts), and the pool drops that connection.
    query_timeout: settings.HOOKLINE_DB_STATEMENT_TIMEOUT_MS + QUERY_TIMEOUT_MARGIN_MS,
    // pg_stat_activity tells Next's connections from a delivery worker's (scripts/serve.ts gives
    // each worker its index), and which process holds a claim (PROCESS_MARK).
    application_name: `${process.env.HOOKLINE_WORKER_INDEX === undefined ? "hookline" : `hookline-worker-${process.env.HOOKLINE_WORKER_INDEX}`}#${PROCESS_MARK}`,
  });
  // An idle connection dropped by the server (restart, failover) must not crash the process.
  created.on("error", (error) => logger().warn({ err: error }, "idle database connection lost"));
  return created;
}

export function pool(): pg.Pool {
  if (!globalForPool.hooklinePool) {
    const url = env().DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: start Hookline with `npm run dev` or `npm start`");
    globalForPool.hooklinePool = createPool(url);
  }
  return globalForPool.hooklinePool;
}

/** Tests point the hot path at their own throwaway database. */
export function setPool(next: pg.Pool) {
  globalForPool.hooklinePool = next;
}

/**
 * A named (prepared) statement: parsed and planned once per connection, then only bound and
 * executed. `name` must be unique per statement text.
 */
export async function query<Row extends pg.QueryResultRow>(name: string, text: string, values: unknown[], client: pg.Pool | pg.PoolClient = pool()) {
  try {
    return await client.query<Row>({ name, text, values });
  } catch (error) {
    throw asUnavailable(error) ?? error;
  }
}

/**
 * A timestamp parameter in SQL: the schema's columns are `timestamp(3)` holding UTC. Values go in
 * as ISO strings (`UTC_IN("$1")` reads `($1::timestamptz AT TIME ZONE 'UTC')`) and come out as
 * timestamptz, so no process or session time zone matters.
 */
export const UTC_IN = (param: string) => `(${param}::timestamptz AT TIME ZONE 'UTC')`;
