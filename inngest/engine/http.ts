/**
 * The part of the Inngest server API the SDK uses in dev mode: event intake
 * (`inngest.send`) and registration (`serve` answering a sync). Everything else
 * is 404 — the engine always sends the whole call payload (`use_api: false`)
 * and never enables checkpointing, so the SDK has no reason to call back.
 */
import { timingSafeEqual } from "node:crypto";
import http from "node:http";
import { z } from "zod";
import { parseFunctionConfigs, RegistrationError } from "./config";
import { hashSigningKey, isLoopback } from "./protocol";
import type { Store } from "./store";

const MAX_BODY_BYTES = 4 * 1024 * 1024;

const eventSchema = z.object({
  name: z.string().min(1),
  data: z.record(z.string(), z.unknown()).optional(),
  id: z.string().min(1).optional(),
  ts: z.number().optional(),
  user: z.record(z.string(), z.unknown()).optional(),
  v: z.string().optional(),
});

const registerSchema = z.object({
  url: z.url(),
  appName: z.string().min(1),
  functions: z.array(z.unknown()),
  sdk: z.string().optional(),
});

type Reply = { status: number; body: unknown };

export type EngineServerDeps = {
  store: Store;
  log: (line: string) => void;
  onWork: () => void;
  /** When set, `POST /e/:key` must name this key (what `inngest.send` does outside dev mode). */
  eventKey?: string;
  /** When set, a registration must carry `Authorization: Bearer <hashed key>` (what the SDK sends outside dev mode). */
  signingKey?: string;
  /** Off by default: registered serve URLs must be on loopback. */
  allowRemote?: boolean;
};

const unauthorized = (what: string): Reply => ({ status: 401, body: { status: 401, error: `${what}` } });

export function createEngineServer(deps: EngineServerDeps): http.Server {
  const handle = async (req: http.IncomingMessage): Promise<Reply> => {
    const { pathname } = new URL(req.url ?? "/", "http://engine");
    const intake = req.method === "POST" ? /^\/e\/([^/]+)$/.exec(pathname) : null;
    if (intake) {
      if (deps.eventKey && !same(decodeURIComponent(intake[1]), deps.eventKey)) return unauthorized("unknown event key");
      return ingest(req);
    }
    if (req.method === "POST" && pathname === "/fn/register") {
      if (deps.signingKey && !same(header(req, "authorization") ?? "", `Bearer ${hashSigningKey(deps.signingKey)}`)) {
        return unauthorized("registration needs the engine's signing key");
      }
      return register(req);
    }
    return { status: 404, body: { error: `${req.method} ${pathname} is not served by the local engine`, status: 404 } };
  };

  const ingest = async (req: http.IncomingMessage): Promise<Reply> => {
    const raw = await readJson(req);
    const parsed = z.array(eventSchema).safeParse(Array.isArray(raw) ? raw : [raw]);
    if (!parsed.success) return { status: 400, body: { ids: [], status: 400, error: `invalid event: ${z.prettifyError(parsed.error)}` } };
    const ids = await deps.store.ingest(parsed.data, header(req, "x-inngest-event-id-seed"));
    deps.onWork();
    // The SDK checks `status` in the body, not the HTTP status.
    return { status: 200, body: { ids, status: 200 } };
  };

  const register = async (req: http.IncomingMessage): Promise<Reply> => {
    const parsed = registerSchema.safeParse(await readJson(req));
    if (!parsed.success) return { status: 400, body: { status: 400, error: `invalid registration: ${z.prettifyError(parsed.error)}` } };
    try {
      const functions = parseFunctionConfigs(parsed.data.functions);
      const remote = [parsed.data.url, ...functions.map((fn) => fn.url)].find((url) => !isLoopback(new URL(url)));
      if (remote && !deps.allowRemote) {
        throw new RegistrationError([`the serve URL ${remote} is not on loopback; the local engine calls remote apps only when configured to`]);
      }
      await deps.store.register({ id: parsed.data.appName, url: parsed.data.url, sdk: parsed.data.sdk }, functions);
      deps.log(`engine: synced app "${parsed.data.appName}" (${functions.length} functions) from ${parsed.data.url}`);
      deps.onWork();
      return { status: 200, body: { status: 200, modified: true } };
    } catch (error) {
      if (!(error instanceof RegistrationError)) throw error;
      deps.log(`engine: ${error.message}`);
      return { status: 400, body: { status: 400, error: error.message } };
    }
  };

  return http.createServer((req, res) => {
    handle(req)
      .catch((error): Reply => {
        if (error instanceof BodyError) return { status: error.status, body: { status: error.status, error: error.message } };
        deps.log(`engine: ${req.method} ${req.url}: ${error instanceof Error ? error.stack : String(error)}`);
        return { status: 500, body: { status: 500, error: "internal error in the local engine" } };
      })
      .then(({ status, body }) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      });
  });
}

class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function same(given: string, expected: string) {
  const left = Buffer.from(given);
  const right = Buffer.from(expected);
  return left.length === right.length && timingSafeEqual(left, right);
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyError(413, `body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new BodyError(400, "body is not JSON");
  }
}
