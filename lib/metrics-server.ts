import http from "node:http";
import type { AddressInfo } from "node:net";
import { METRICS_CONTENT_TYPE, metrics } from "@/lib/metrics";

/**
 * A loopback-only scrape listener (127.0.0.1:<port>, GET /metrics or /api/metrics, no token) for
 * processes that have no HTTP server of their own (the delivery worker) or when a token is unwanted.
 */
export function startMetricsServer(port: number, host = "127.0.0.1"): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((request, response) => {
    if (request.method !== "GET" || !["/metrics", "/api/metrics"].includes(request.url ?? "")) {
      response.writeHead(404).end();
      return;
    }
    metrics()
      .scrape()
      .then((text) => response.writeHead(200, { "content-type": METRICS_CONTENT_TYPE }).end(text))
      .catch(() => response.writeHead(500).end());
  });
  Object.assign(server, { hooklineInternal: true }); // its port never publishes (lib/api/direct.ts)
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.unref();
      const { port: bound } = server.address() as AddressInfo;
      resolve({ url: `http://${host}:${bound}/metrics`, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}
