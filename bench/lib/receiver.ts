/**
 * The loopback webhook receiver: answers 200 "ok" after reading the body, or
 * never answers on /hang/… (the isolation phase's endpoints, cut by the
 * sender's timeout), or answers a first attempt 500 on /fail-first/… (bench/retry-timing.ts). It maps `webhook-id` (the message id) to the arrival time
 * of the first attempt per (route, message).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { now } from "./util";

export type Receipt = { at: number; attempt: number };

export class Receiver {
  readonly server: http.Server;
  /** route → message id → first arrival */
  private readonly first = new Map<string, Map<string, Receipt>>();
  private readonly counts = new Map<string, number>();
  private readonly hanging = new Set<http.ServerResponse>();
  total = 0;
  unsigned = 0;
  port = 0;

  constructor() {
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 60_000;
    this.server.headersTimeout = 65_000;
    this.server.requestTimeout = 0;
  }

  async listen() {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  url(route: string) {
    return `http://127.0.0.1:${this.port}/${route}`;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const at = now();
    const route = (req.url ?? "/").slice(1);
    const id = req.headers["webhook-id"];
    if (!req.headers["webhook-signature"]) this.unsigned++;
    this.total++;
    this.counts.set(route, (this.counts.get(route) ?? 0) + 1);
    if (typeof id === "string") {
      let byMessage = this.first.get(route);
      if (!byMessage) this.first.set(route, (byMessage = new Map()));
      if (!byMessage.has(id)) byMessage.set(id, { at, attempt: Number(req.headers["x-hookline-attempt"] ?? 1) });
    }
    if (route.startsWith("hang/")) {
      req.resume();
      this.hanging.add(res);
      res.on("close", () => this.hanging.delete(res));
      return;
    }
    const status = route.startsWith("fail-first/") && req.headers["x-hookline-attempt"] === "1" ? 500 : 200;
    req.on("data", () => {});
    req.on("end", () => {
      res.writeHead(status, { "content-type": "text/plain", "content-length": "2" });
      res.end("ok");
    });
  }

  /** First arrivals of a route (message id → receipt). */
  receipts(route: string): Map<string, Receipt> {
    return this.first.get(route) ?? new Map();
  }

  /** Distinct (route, message) first arrivals over routes with the prefix. */
  distinct(prefix: string): number {
    let n = 0;
    for (const [route, byMessage] of this.first) if (route.startsWith(prefix)) n += byMessage.size;
    return n;
  }

  requests(prefix: string): number {
    let n = 0;
    for (const [route, count] of this.counts) if (route.startsWith(prefix)) n += count;
    return n;
  }

  lastArrival(prefix: string): number {
    let last = 0;
    for (const [route, byMessage] of this.first) {
      if (!route.startsWith(prefix)) continue;
      for (const receipt of byMessage.values()) last = Math.max(last, receipt.at);
    }
    return last;
  }

  async close() {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
