import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import path from "node:path";
import type { AddressInfo, Socket } from "node:net";
import { afterAll } from "vitest";

/** What the receiver does with one request. */
export type Behaviour =
  /** Answer with this status (and optional headers / body). */
  | { status: number; headers?: Record<string, string>; body?: string | Buffer }
  /** Read the request, then never answer (the socket stays open until the client gives up). */
  | { hang: true }
  /** Send the status line and headers, then stall mid-body. */
  | { stallBody: true; status?: number }
  /** Read the request, then cut the TCP connection with a RST. */
  | { reset: true }
  /** A redirect, which a webhook sender must not follow. */
  | { redirect: string; status?: 301 | 302 | 303 | 307 | 308 }
  /** A 2xx with an oversized body (written in 64 KiB chunks until done or the client hangs up). */
  | { hugeBody: number; status?: number };

export interface ReceivedRequest {
  method: string;
  path: string;
  /** Lowercased names, as node:http gives them. */
  headers: http.IncomingHttpHeaders;
  /** Names and values exactly as sent (casing kept), in order. */
  rawHeaders: string[];
  /** The body's bytes, untouched. */
  body: Buffer;
}

export interface Receiver {
  /** `http://127.0.0.1:<port>` (or the listen host), without a trailing slash. */
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** TCP connections accepted, whether or not a request followed. */
  connections: number;
  /** Replaces the behaviour list; request n uses behaviours[n] and the last one repeats. */
  respond(...behaviours: Behaviour[]): void;
  close(): Promise<void>;
}

const OK: Behaviour = { status: 200, headers: { "content-type": "application/json" }, body: '{"received":true}' };

/**
 * A real HTTP receiver on loopback (port 0) for integration tests: records the raw body bytes and
 * headers of every request and plays a sequence of behaviours (status codes, hangs, resets,
 * redirects, oversized bodies, Retry-After…). Closed automatically after the file's tests.
 */
export async function startReceiver(
  options: { host?: string; behaviours?: Behaviour[]; tls?: "valid" | "self-signed" } = {},
): Promise<Receiver> {
  const host = options.host ?? "127.0.0.1";
  let behaviours: Behaviour[] = options.behaviours?.length ? options.behaviours : [OK];
  let served = 0;
  const sockets = new Set<Socket>();
  const requests: ReceivedRequest[] = [];

  const handler: http.RequestListener = (request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      requests.push({
        method: request.method ?? "",
        path: request.url ?? "",
        headers: request.headers,
        rawHeaders: request.rawHeaders,
        body: Buffer.concat(chunks),
      });
      const behaviour = behaviours[Math.min(served++, behaviours.length - 1)]!;
      play(behaviour, request.socket, response);
    });
  };
  const server = options.tls ? https.createServer(tlsOptions(options.tls), handler) : http.createServer(handler);
  server.on("connection", (socket) => {
    receiver.connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {}); // the client hanging up on a hang/huge body is part of the test
  });
  server.keepAliveTimeout = 1000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  afterAll(close);

  const receiver: Receiver = {
    url: `${options.tls ? "https" : "http"}://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    requests,
    connections: 0,
    respond(...next) {
      behaviours = next.length ? next : [OK];
      served = 0;
    },
    close,
  };
  return receiver;
}

/** The certificates tests/setup/test-tls.ts made: "valid" is issued by a CA the test processes trust. */
export function tlsOptions(kind: "valid" | "self-signed") {
  const dir = process.env.HOOKLINE_TEST_TLS_DIR;
  if (!dir) throw new Error("HOOKLINE_TEST_TLS_DIR is unset: tests/setup/test-tls.ts did not run");
  const name = kind === "valid" ? "server" : "self";
  return { key: readFileSync(path.join(dir, `${name}.key`)), cert: readFileSync(path.join(dir, `${name}.pem`)) };
}

function play(behaviour: Behaviour, socket: Socket, response: http.ServerResponse) {
  response.on("error", () => {});
  if ("hang" in behaviour) return;
  if ("reset" in behaviour) {
    socket.resetAndDestroy();
    return;
  }
  if ("stallBody" in behaviour) {
    response.writeHead(behaviour.status ?? 200, { "content-type": "text/plain", "content-length": "100" });
    response.write("partial");
    return;
  }
  if ("redirect" in behaviour) {
    response.writeHead(behaviour.status ?? 302, { location: behaviour.redirect });
    response.end();
    return;
  }
  if ("hugeBody" in behaviour) {
    response.writeHead(behaviour.status ?? 200, { "content-type": "text/plain", "content-length": String(behaviour.hugeBody) });
    const chunk = Buffer.alloc(64 * 1024, "x");
    let left = behaviour.hugeBody;
    const pump = () => {
      while (left > 0 && !response.destroyed) {
        const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
        left -= part.length;
        if (!response.write(part)) return void response.once("drain", pump);
      }
      if (!response.destroyed) response.end();
    };
    pump();
    return;
  }
  response.writeHead(behaviour.status, behaviour.headers ?? {});
  response.end(behaviour.body ?? "");
}
