/**
 * The `fetch` the Inngest client sends events with: node:http(s) over keep-alive agents instead
 * of the global (undici) fetch, whose WHATWG streams cost more CPU than the send itself
 * (every publish sends once). Only what the SDK's `send` uses is supported (a string body, a
 * plain headers object, `signal`); anything else goes to the global fetch.
 */
import http from "node:http";
import https from "node:https";

// `timeout`: an idle kept-alive socket is closed after 4 s (as undici does), so no connection
// outlives the engine or server it went to (a test process could not exit otherwise).
const agents = {
  "http:": new http.Agent({ keepAlive: true, maxSockets: 64, timeout: 4_000 }),
  "https:": new https.Agent({ keepAlive: true, maxSockets: 64, timeout: 4_000 }),
};

export async function sendFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const body = init.body;
  if (input instanceof Request || (body !== undefined && body !== null && typeof body !== "string")) return fetch(input, init);
  const url = new URL(String(input));
  const agent = url.protocol === "https:" ? agents["https:"] : url.protocol === "http:" ? agents["http:"] : undefined;
  if (!agent) return fetch(input, init);
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, name) => (headers[name] = value));
  if (typeof body === "string") headers["content-length"] = String(Buffer.byteLength(body));
  const transport = url.protocol === "https:" ? https : http;
  return new Promise<Response>((resolve, reject) => {
    const request = transport.request(url, { method: init.method ?? "GET", headers, agent, signal: init.signal ?? undefined }, (reply) => {
      const chunks: Buffer[] = [];
      reply.on("data", (chunk: Buffer) => chunks.push(chunk));
      reply.on("error", reject);
      reply.on("end", () => {
        const replyHeaders = new Headers();
        for (const [name, value] of Object.entries(reply.headers)) {
          if (value !== undefined) replyHeaders.set(name, Array.isArray(value) ? value.join(", ") : value);
        }
        const status = reply.statusCode ?? 0;
        if (status < 200 || status > 599) return reject(new Error(`unexpected HTTP status ${status} from ${url.origin}`));
        const empty = status === 204 || status === 304;
        resolve(new Response(empty ? null : Buffer.concat(chunks), { status, statusText: reply.statusMessage, headers: replyHeaders }));
      });
    });
    request.on("error", reject);
    request.end(body ?? undefined);
  });
}
