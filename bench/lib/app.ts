/**
 * What the single-purpose bench scripts (publish-cost, batch-timeline, quiet-latency) each start:
 * a loopback receiver, Hookline's production build from `.next-bench` (`npm start`'s launcher) on a
 * fresh data dir with a bootstrapped API key, and an API client; `stop()` ends all of it and
 * removes the data dir. `npm run bench` (bench/run.ts) manages its own, with restarts and deadlines.
 */
import { appendFileSync, rmSync } from "node:fs";
import path from "node:path";
import { freePort } from "@/lib/db/embedded";
import { Api } from "./client";
import { Receiver } from "./receiver";
import { databaseUrl, restartWithPgss, startServer, stopServer } from "./server";

/** `pgss`: restart the server with pg_stat_statements preloaded (see ./pgss.ts). */
export async function startBenchApp(name: string, options: { apiConcurrency: number; extraEnv?: Record<string, string>; pgss?: boolean }) {
  const receiver = await new Receiver().listen();
  const dataDir = path.resolve(`data/${name}-${process.pid}`);
  const apiKey = `hk_${name.replace(/[^a-z]/g, "")}${process.pid}abcdefghijklmnop`;
  // BENCH_SERVER_LOG=<file>: keep the server's output (when a bench dies, its last lines say why).
  const logTo = process.env.BENCH_SERVER_LOG;
  const logFile = logTo ? (line: string) => appendFileSync(logTo, `${line}\n`) : undefined;
  const startOptions = { dataDir, port: await freePort(), apiKey, extraEnv: options.extraEnv, logFile };
  const start = async () => {
    const server = await startServer(startOptions);
    return options.pgss ? restartWithPgss(server, startOptions) : server;
  };
  const server = await start().catch(async (error) => {
    await receiver.close();
    throw error;
  });
  const api = new Api(server.baseUrl, apiKey, options.apiConcurrency);
  return {
    receiver,
    server,
    api,
    databaseUrl: databaseUrl(dataDir, server.pgPort),
    async stop() {
      api.close();
      await stopServer(server).catch(() => 0);
      await receiver.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
