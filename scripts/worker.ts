/**
 * The delivery worker (started by scripts/serve.ts beside Next.js, restarted if
 * it dies): the local Inngest engine plus the functions of inngest/functions/,
 * which the engine calls in-process through the SDK's own serve handler
 * (`serve()` from `inngest/edge`, a `(Request) => Response`): no HTTP, no Next.
 * Calls are signed and verified exactly as on Inngest (INNGEST_SIGNING_KEY; no
 * dev mode). The engine also listens on loopback for the app's events.
 *
 * Env (set by the launcher): DATABASE_URL, INNGEST_SIGNING_KEY, INNGEST_EVENT_KEY,
 * HOOKLINE_ENGINE_PORT (0: any), HOOKLINE_ENGINE_WORKERS. Prints `READY <engine url>`.
 */
import { loadDotEnv } from "./launch-env";

loadDotEnv();
const { env } = await import("@/lib/env");
const { logger } = await import("@/lib/log");
const config = env();
const workerLog = logger().child({ worker: config.HOOKLINE_WORKER_INDEX, pid: process.pid });
const log = (line: string) => workerLog.info(line);
const signingKey = config.INNGEST_SIGNING_KEY;
if (!config.DATABASE_URL || !signingKey || !config.INNGEST_EVENT_KEY) {
  workerLog.fatal("DATABASE_URL, INNGEST_SIGNING_KEY and INNGEST_EVENT_KEY are required (npm run dev / npm start set them)");
  process.exit(1);
}
delete process.env.INNGEST_DEV; // signature checks stay on in every shape
// The Inngest SDK copies its variables out of `process.env` on every call it handles
// (`getProcessEnv()`: Object.entries over the whole environment, each read a trip into C++):
// 6 % of this process's CPU under load. The worker never changes its environment after this
// point, so a plain copy gives the same values at JS speed (child processes would get it as usual).
process.env = { ...process.env };

// Traces and metrics of the attempts this worker makes (README, "Operating it").
if (config.OTEL_EXPORTER_OTLP_ENDPOINT || config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) {
  (await import("@/lib/otel")).startTracing("hookline-worker");
}
if (config.HOOKLINE_WORKER_METRICS_PORT) {
  const { startMetricsServer } = await import("@/lib/metrics-server");
  const port = config.HOOKLINE_WORKER_METRICS_PORT + config.HOOKLINE_WORKER_INDEX;
  await startMetricsServer(port).then(
    ({ url }) => log(`metrics on ${url}`),
    (error) => workerLog.error({ err: error }, `metrics listener on 127.0.0.1:${port} failed to start`),
  );
}

const { startEngine, IN_PROCESS_SERVE_URL } = await import("@/inngest/engine");
const { serve } = await import("inngest/edge");
const { inngest } = await import("@/inngest/client");
const { functions } = await import("@/inngest/functions");
const serveUrl = new URL(IN_PROCESS_SERVE_URL);
const handler = serve({ client: inngest, functions, serveOrigin: serveUrl.origin, servePath: serveUrl.pathname });

const engine = await startEngine({
  databaseUrl: config.DATABASE_URL,
  host: "127.0.0.1",
  port: config.HOOKLINE_ENGINE_PORT,
  workers: config.HOOKLINE_ENGINE_WORKERS,
  signingKey,
  eventKey: config.INNGEST_EVENT_KEY,
  inProcess: { url: IN_PROCESS_SERVE_URL, handler },
  allowRemote: config.HOOKLINE_ENGINE_ALLOW_REMOTE,
  log,
});
await engine.syncInProcess();
// After a burst, give the memory it grew into back once the worker falls quiet (lib/idle-gc.ts).
(await import("@/lib/idle-gc")).releaseMemoryWhenIdle();

let stopping = false;
const stop = async (code: number) => {
  if (stopping) return;
  stopping = true;
  await engine.stop().catch((error) => log(`stop: ${error}`));
  process.exit(code);
};
process.on("SIGTERM", () => void stop(0));
process.on("SIGINT", () => void stop(0));

// An orphan (the launcher was SIGKILLed) must not keep delivering on its own.
const launcher = Number(process.env.HOOKLINE_LAUNCHER_PID);
if (launcher) {
  setInterval(() => {
    try {
      process.kill(launcher, 0);
    } catch {
      log("the launcher is gone; stopping");
      void stop(1);
    }
  }, 1000).unref();
}
console.log(`READY ${engine.url}`);
