/**
 * The local engine: an Inngest-protocol executor persisted in PostgreSQL, for
 * the one-machine shape where no Inngest server is available (the Dev Server
 * binary cannot be downloaded offline). It listens on loopback as its own HTTP
 * server rather than inside Next.js, so it keeps running work while Next
 * restarts in dev and the SDK talks to it exactly as it would to `inngest dev`.
 */
import type { AddressInfo } from "node:net";
import pg from "pg";
import { withoutApplicationName } from "@/lib/db/connection-name";
import { parseFunctionConfigs } from "./config";
import { Executor } from "./executor";
import { createEngineServer } from "./http";
import type { InProcessHandler } from "./protocol";
import { ulid } from "./ids";
import { NOTIFY_CHANNEL, OWNER_PREFIX, Store, type Job } from "./store";
import { syncApp, syncInProcess } from "./sync";

export { RegistrationError } from "./config";
export { hashSigningKey, signRequestBody, type InProcessHandler } from "./protocol";
export { listRuns, type RunView, type ListRunsQuery } from "./runs";
export { SyncRefusedError, syncApp } from "./sync";

/**
 * The serve URL of functions called in-process (the delivery worker). `.invalid` never resolves:
 * an engine instance without the handler cannot reach it by accident.
 */
export const IN_PROCESS_SERVE_URL = "http://in-process.invalid/api/inngest";

export type EngineOptions = {
  databaseUrl: string;
  /** Loopback only by default: the engine accepts unsigned events and registrations. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Concurrent calls of the app per instance. */
  workers?: number;
  /**
   * Batch runs per function that start before their batch is full or timed out (default 4):
   * below this many busy batch runs, an event starts its batch at once; above, events gather.
   */
  eagerBatches?: number;
  log?: (line: string) => void;
  /** How long a claimed call stays ours without a heartbeat. */
  leaseMs?: number;
  /** First retry delay; doubles per attempt up to retryMaxMs. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  callTimeoutMs?: number;
  /** Safety-net poll; normal wake-ups are immediate or timed exactly. */
  pollMs?: number;
  /**
   * Signs calls like Inngest does and requires signed replies, requires it (hashed) on
   * registrations. Without it the engine trusts loopback (apps in dev mode: tests only).
   */
  signingKey?: string;
  /** Required in `POST /e/:key` when set (apps outside dev mode send their event key). */
  eventKey?: string;
  /** Registered serve URLs and calls may leave loopback (an app on another host). Off by default. */
  allowRemote?: boolean;
  /** A serve handler in this process: calls to `url` go to it directly (see syncInProcess). */
  inProcess?: { url: string; handler: InProcessHandler };
  afterClaim?: (job: Job) => void;
};

export type Engine = {
  url: string;
  port: number;
  syncApp: (serveUrl: string) => Promise<void>;
  /** Syncs the in-process handler given in the options (in-band, signed). */
  syncInProcess: () => Promise<void>;
  stop: () => Promise<void>;
};

export async function startEngine(options: EngineOptions): Promise<Engine> {
  const log = options.log ?? (() => {});
  const workers = options.workers ?? 8;
  const owner = `${OWNER_PREFIX}${ulid()}`;
  // The application name marks every connection as this instance's: once they
  // are all gone (process killed), its leases are free at once, not at expiry.
  // At most 10 connections: calls hold none while the function runs, and their bookkeeping
  // statements are short; more backends only compete for the same cores, and each costs about
  // 3 MB of memory (20 measured no faster than 10, at about 80 MB more; docs/performance.md).
  // A few stay open through quiet spells (see lib/db/pool.ts): a wake-up after one must not pay
  // for new connections and fresh plans of the loop's statements.
  const pool = new pg.Pool({ connectionString: withoutApplicationName(options.databaseUrl), application_name: owner, max: Math.min(workers + 4, 10), min: 4 });
  pool.on("error", (error) => log(`engine: idle database connection: ${error.message}`));
  const store = new Store(pool, owner);
  await store.assertSchema();

  const executor = new Executor(store, owner, {
    workers,
    eagerBatches: options.eagerBatches ?? 4,
    leaseMs: options.leaseMs ?? 30_000,
    retryBaseMs: options.retryBaseMs ?? 10_000,
    retryMaxMs: options.retryMaxMs ?? 3_600_000,
    callTimeoutMs: options.callTimeoutMs ?? 2 * 3_600_000,
    pollMs: options.pollMs ?? 2_000,
    signingKey: options.signingKey,
    inProcess: options.inProcess,
    allowRemote: options.allowRemote,
    log,
    afterClaim: options.afterClaim,
  });
  const listener = await listen(options.databaseUrl, owner, executor.kick, log);

  const server = createEngineServer({
    store,
    log,
    onWork: executor.kick,
    eventKey: options.eventKey,
    signingKey: options.signingKey,
    allowRemote: options.allowRemote,
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address.includes(":") ? `[${address}]` : address}:${port}`;
  executor.start();

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    syncApp: (serveUrl) => syncApp(serveUrl, { log }),
    syncInProcess: async () => {
      if (!options.inProcess || !options.signingKey) throw new Error("syncInProcess needs the inProcess handler and a signing key");
      const app = await syncInProcess(options.inProcess.handler, options.inProcess.url, options.signingKey);
      const functions = parseFunctionConfigs(app.functions);
      await store.register({ id: app.appId, url: app.url, sdk: app.sdk }, functions);
      log(`engine: synced app "${app.appId}" (${functions.length} functions) in-process`);
      executor.kick();
    },
    stop: () =>
      (stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        await executor.stop();
        await store.releaseLeases(owner).catch(() => {});
        await listener.stop();
        await pool.end();
      })()),
  };
}

/** LISTEN for other instances' commits; reconnects if the connection drops. */
async function listen(databaseUrl: string, owner: string, onNotify: () => void, log: (line: string) => void) {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const reconnect = () => {
    if (stopped) return;
    retry = setTimeout(() => connect().catch((error) => (log(`engine: LISTEN reconnect failed: ${error.message}`), reconnect())), 1000);
  };
  const connect = async () => {
    const next = new pg.Client({ connectionString: withoutApplicationName(databaseUrl), application_name: owner });
    // Our own commits already kicked the loop in-process; only other instances' work (or a
    // payload without an owner) calls for a pass.
    next.on("notification", (message) => {
      if (message.payload !== owner) onNotify();
    });
    next.on("error", (error) => {
      log(`engine: LISTEN connection lost: ${error.message}`);
      void next.end().catch(() => {});
      reconnect();
    });
    await next.connect();
    await next.query(`LISTEN ${NOTIFY_CHANNEL}`);
    client = next;
    onNotify(); // whatever was committed while we were not listening
  };
  await connect();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}
