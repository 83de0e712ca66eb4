/**
 * The launcher (scripts/serve.ts) owns the database and the local engine; if
 * it dies without stopping us (SIGKILL), this server must not live on as an
 * orphan holding the port.
 */
import { env } from "@/lib/env";
import { logger } from "@/lib/log";

const launcher = Number(process.env.HOOKLINE_LAUNCHER_PID);
if (launcher) {
  const timer = setInterval(() => {
    try {
      process.kill(launcher, 0);
    } catch {
      logger().error("the launcher is gone; stopping");
      process.exit(1);
    }
  }, 1000);
  timer.unref();
}

// After a burst, give the memory it grew into back once the server falls quiet (lib/idle-gc.ts).
(await import("@/lib/idle-gc")).releaseMemoryWhenIdle();

// Publishing with an API key is answered before Next's router (lib/api/direct.ts; README, "Publishing").
if (env().HOOKLINE_DIRECT_PUBLISH) {
  const { installDirectPublish } = await import("@/lib/api/direct");
  installDirectPublish();
}

// A loopback-only metrics listener, when asked for (README, "Metrics").
if (env().HOOKLINE_METRICS_PORT) {
  const { startMetricsServer } = await import("@/lib/metrics-server");
  startMetricsServer(env().HOOKLINE_METRICS_PORT)
    .then(({ url }) => logger().info(`metrics on ${url}`))
    .catch((error) => logger().error({ err: error }, "metrics listener failed to start"));
}

// Traces only when an OTLP endpoint is configured; otherwise the SDK is never loaded (README, "Traces").
if (env().OTEL_EXPORTER_OTLP_ENDPOINT || env().OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) {
  const { startTracing } = await import("@/lib/otel");
  startTracing("hookline");
  logger().info("traces exported over OTLP");
}
