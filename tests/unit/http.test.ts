import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { RESPONSE_BODY_LIMIT, sendWebhook, type SendWebhookInput } from "@/lib/delivery/http";
import { generateSecret, signRequest } from "@/lib/delivery/sign";

interface Receiver {
  url: string;
  port: number;
  requests: { path: string; headers: http.IncomingHttpHeaders; body: string }[];
  connections: number;
}

const servers: http.Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A real receiver on loopback; `respond` runs once the request body has been read. */
async function receiver(respond: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<Receiver> {
  const server = http.createServer();
  servers.push(server);
  const state: Receiver = { url: "", port: 0, requests: [], connections: 0 };
  server.on("connection", () => state.connections++);
  server.on("request", (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      state.requests.push({ path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      respond(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.port = (server.address() as AddressInfo).port;
  state.url = `http://127.0.0.1:${state.port}/hook`;
  return state;
}

function send(url: string, overrides: Partial<SendWebhookInput> = {}) {
  return sendWebhook({
    url,
    headers: { "content-type": "application/json", "x-api-key": "k_secret_value" },
    body: '{"event":"call:completed","nom":"José"}',
    timeoutMs: 5000,
    allowPrivate: true,
    ...overrides,
  });
}

describe("sendWebhook", () => {
  it("posts the body and captures status, headers and body", async () => {
    const target = await receiver((_, res) => {
      res.setHeader("X-Reply", "yes");
      res.setHeader("Set-Cookie", ["a=1", "b=2"]);
      res.end("thanks");
    });
    const result = await send(target.url);
    expect(result).toMatchObject({ ok: true, status: 200, body: "thanks", bodyTruncated: false });
    expect(result.errorCode).toBeUndefined();
    expect(result.headers).toMatchObject({ "x-reply": "yes", "set-cookie": "a=1, b=2" });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(target.requests).toHaveLength(1);
    expect(target.requests[0].body).toBe('{"event":"call:completed","nom":"José"}');
    expect(target.requests[0].headers).toMatchObject({ "x-api-key": "k_secret_value", "content-length": "40" });
  });

  it("reuses keep-alive connections", async () => {
    const target = await receiver((_, res) => res.end());
    for (let n = 0; n < 10; n++) await send(target.url);
    expect(target.requests).toHaveLength(10);
    // undici waits one turn of the event loop before it reuses a socket whose response just ended
    // (a server may close it despite keep-alive), so a request sent at once takes a second one.
    expect(target.connections).toBeLessThanOrEqual(2);
  });

  it("times out a receiver that never answers", async () => {
    const target = await receiver(() => {});
    const result = await send(target.url, { timeoutMs: 1000 });
    expect(result).toMatchObject({ ok: false, errorCode: "TIMEOUT", errorMessage: "No complete response within 1000 ms" });
    expect(result.status).toBeUndefined();
    expect(result.durationMs).toBeGreaterThanOrEqual(990);
  });

  it("times out a body that never ends, keeping the status", async () => {
    const target = await receiver((_, res) => {
      res.writeHead(200);
      res.write("partial");
    });
    const result = await send(target.url, { timeoutMs: 1000 });
    expect(result).toMatchObject({ ok: false, errorCode: "TIMEOUT", status: 200, body: "partial" });
  });

  it("reports a destroyed socket as CONNECTION", async () => {
    const target = await receiver((req) => req.socket.destroy());
    const result = await send(target.url);
    expect(result).toMatchObject({ ok: false, errorCode: "CONNECTION" });
    expect(result.errorMessage).toMatch(/^Connection failed: /);
  });

  it("reports a closed port as CONNECTION", async () => {
    const target = await receiver(() => {});
    const server = servers.pop()!;
    await new Promise((resolve) => server.close(resolve));
    const result = await send(target.url);
    expect(result).toMatchObject({ ok: false, errorCode: "CONNECTION" });
    expect(result.errorMessage).toContain("ECONNREFUSED");
  });

  it("does not follow a redirect", async () => {
    const target = await receiver((req, res) => {
      res.writeHead(302, { Location: "/elsewhere" });
      res.end();
    });
    const result = await send(target.url);
    expect(result).toMatchObject({
      ok: false,
      status: 302,
      errorCode: "REDIRECT",
      errorMessage: "HTTP 302 redirect to /elsewhere was not followed",
    });
    expect(target.requests.map((request) => request.path)).toEqual(["/hook"]);
  });

  it.each([500, 404, 410])("classifies %d as HTTP_ERROR with its body", async (status) => {
    const target = await receiver((_, res) => {
      res.writeHead(status);
      res.end("nope");
    });
    expect(await send(target.url)).toMatchObject({ ok: false, status, body: "nope", errorCode: "HTTP_ERROR", errorMessage: `HTTP ${status}` });
  });

  it("keeps 64 KiB of a larger response and still succeeds under 1 MiB", async () => {
    const target = await receiver((_, res) => res.end("x".repeat(200 * 1024)));
    const result = await send(target.url);
    expect(result).toMatchObject({ ok: true, status: 200, bodyTruncated: true });
    expect(result.body).toHaveLength(RESPONSE_BODY_LIMIT);
  });

  it("stops reading a 10 MB response", async () => {
    const target = await receiver((_, res) => {
      res.on("error", () => {}); // the client hangs up mid-body
      res.end(Buffer.alloc(10 * 1024 * 1024, "y"));
    });
    const result = await send(target.url);
    expect(result).toMatchObject({ ok: false, status: 200, errorCode: "RESPONSE_TOO_LARGE", bodyTruncated: true });
    expect(result.body).toBe("y".repeat(RESPONSE_BODY_LIMIT));
  });

  it("refuses a name resolving to loopback before any request is made", async () => {
    const target = await receiver((_, res) => res.end());
    const result = await send(`http://localhost:${target.port}/hook`, { allowPrivate: false });
    expect(result).toMatchObject({ ok: false, errorCode: "BLOCKED_ADDRESS" });
    expect(result.errorMessage).toMatch(/^localhost resolves to /);
    expect(target.connections).toBe(0);
  });

  it("refuses a private IP literal", async () => {
    const target = await receiver((_, res) => res.end());
    expect(await send(target.url, { allowPrivate: false })).toMatchObject({ ok: false, errorCode: "BLOCKED_ADDRESS" });
    expect(target.connections).toBe(0);
  });

  it("refuses a scheme other than http(s)", async () => {
    expect(await send("ftp://example.com/")).toMatchObject({ ok: false, errorCode: "INVALID_URL" });
  });

  it("reports an unknown host as DNS", async () => {
    const result = await send("http://nonexistent.invalid/hook");
    expect(result).toMatchObject({ ok: false, errorCode: "DNS" });
    expect(result.errorMessage).toMatch(/^DNS lookup failed: /);
  });

  it("reports a TLS handshake with a plain HTTP server as TLS", async () => {
    const target = await receiver((_, res) => res.end());
    const result = await send(`https://127.0.0.1:${target.port}/hook`);
    expect(result).toMatchObject({ ok: false, errorCode: "TLS", errorMessage: "TLS error: wrong version number" });
  });

  it("gives up a TLS handshake that stalls at the endpoint's timeout: its socket does not outlive it", async () => {
    // A listener that accepts and never answers: the request never reaches a socket it could abort.
    const sockets = new Set<net.Socket>();
    const stall = net.createServer((socket) => {
      sockets.add(socket);
      socket.resume(); // reads, so the client's close is seen
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => stall.listen(0, "127.0.0.1", resolve));
    try {
      const url = `https://127.0.0.1:${(stall.address() as AddressInfo).port}/hook`;
      const results = await Promise.all([1, 2, 3].map(() => send(url, { timeoutMs: 1000 })));
      for (const result of results) expect(result).toMatchObject({ ok: false, errorCode: "TIMEOUT" });
      expect(sockets.size).toBeGreaterThan(0);
      // undici's connect timeout runs on its coarse timers: within about half a second of the endpoint's.
      await expect.poll(() => sockets.size, { timeout: 2000, interval: 50 }).toBe(0);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => stall.close(resolve));
    }
  });

  it("leaves out transport headers a stored custom header still carries, and sends the body whole", async () => {
    const target = await receiver((_, res) => res.end("ok"));
    // Endpoint rows from before the custom headers' validation; signRequest merges them (lib/delivery/sign.ts).
    const legacy = { "Content-Length": "3", Expect: "100-continue", Upgrade: "h2c", "Keep-Alive": "timeout=1", "Transfer-Encoding": "chunked", "x-kept": "yes" };
    const { headers } = signRequest({
      signature: { scheme: "standard" },
      secrets: { current: generateSecret() },
      msgId: "msg_legacy",
      timestamp: Math.floor(Date.now() / 1000),
      body: '{"event":"call:completed","nom":"José"}',
      eventType: "call:completed",
      attempt: 1,
      customHeaders: legacy,
    });
    const result = await send(target.url, { headers });
    expect(result).toMatchObject({ ok: true, status: 200, body: "ok" });
    expect(target.requests[0]!.body).toBe('{"event":"call:completed","nom":"José"}');
    expect(target.requests[0]!.headers).toMatchObject({ "content-length": "40", "x-kept": "yes" });
    expect(target.requests[0]!.headers).not.toHaveProperty("expect");
    expect(target.requests[0]!.headers).not.toHaveProperty("upgrade");
  });

  it("never puts header values into error messages", async () => {
    const results = await Promise.all([
      send("http://nonexistent.invalid/hook"),
      send("http://127.0.0.1:1/hook"),
      send("http://127.0.0.1/", { headers: { "x-api-key": "k_secret_value\r\nInjected: 1" } }),
    ]);
    for (const result of results) {
      expect(result.ok).toBe(false);
      expect(result.errorMessage).not.toContain("k_secret_value");
    }
  });
});
