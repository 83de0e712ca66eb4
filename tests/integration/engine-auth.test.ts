import { Inngest } from "inngest";
import { serve } from "inngest/edge";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { hashSigningKey, IN_PROCESS_SERVE_URL, signRequestBody, startEngine, type Engine } from "@/inngest/engine";
import { quietLogger } from "@/tests/fixtures/engine/app";
import { runsOfEvent, waitFor } from "@/tests/fixtures/engine/helpers";
import { createTestDatabase } from "@/tests/helpers/db";

// Issue 11 finding 1: the engine and the functions authenticate each other with a signing key,
// nothing is trusted for being on the right port, and the serve URL never comes from a Host header.
const signingKey = `signkey-test-${"ab".repeat(32)}`;
const eventKey = "test-event-key-0123456789";
let engine: Engine;
let pool: pg.Pool;
let handler: (request: Request) => Promise<Response>;
const ran: string[] = [];

beforeAll(async () => {
  const { url } = await createTestDatabase();
  pool = new pg.Pool({ connectionString: url });
  const client = new Inngest({ id: "auth-test", isDev: false, signingKey, eventKey, logger: quietLogger });
  const functions = [
    client.createFunction({ id: "secret-work", triggers: [{ event: "test/secret" }] }, async ({ event, step }) => {
      await step.run("work", () => ran.push(String(event.data.n)));
      return "done";
    }),
  ];
  const served = new URL(IN_PROCESS_SERVE_URL);
  handler = serve({ client, functions, serveOrigin: served.origin, servePath: served.pathname, enableUnauthedSync: false });
  engine = await startEngine({ databaseUrl: url, signingKey, eventKey, inProcess: { url: IN_PROCESS_SERVE_URL, handler } });
  await engine.syncInProcess();
});

afterAll(async () => {
  await engine?.stop();
  await pool?.end();
});

const call = (init: { signature?: string; host?: string; method?: string; body?: unknown }) =>
  handler(
    new Request(`${IN_PROCESS_SERVE_URL}?fnId=auth-test-secret-work&stepId=step`, {
      method: init.method ?? "POST",
      headers: {
        "content-type": "application/json",
        host: init.host ?? "in-process.invalid",
        ...(init.signature && { "x-inngest-signature": init.signature }),
      },
      body: JSON.stringify(init.body ?? callBody),
    }),
  );
const callBody = {
  event: { name: "test/secret", data: { n: "forged" } },
  events: [{ name: "test/secret", data: { n: "forged" } }],
  steps: {},
  version: 2,
  ctx: { run_id: "01FORGED", attempt: 0, max_attempts: 1, disable_immediate_execution: false, use_api: false, stack: { stack: [], current: 0 } },
};

describe("engine ↔ function authentication", () => {
  it("runs functions through the signed in-process call", async () => {
    const res = await fetch(`${engine.url}/e/${eventKey}`, { method: "POST", body: JSON.stringify([{ name: "test/secret", data: { n: "real" } }]) });
    expect(res.status).toBe(200);
    const { ids } = (await res.json()) as { ids: string[] };
    await waitFor(async () => (await runsOfEvent(pool, ids[0]))[0]?.status === "COMPLETED", 10_000, "the signed run to complete");
    expect(ran).toEqual(["real"]);
  });

  it("refuses an unsigned call, a call signed with another key and a replayed old signature", async () => {
    const forged = signRequestBody(callBody, `signkey-test-${"ff".repeat(32)}`);
    const old = signRequestBody(callBody, signingKey, Date.now() - 10 * 60_000);
    for (const signature of [undefined, forged, old]) {
      const res = await call({ signature });
      expect(res.status).toBe(401);
    }
    expect(ran).not.toContain("forged");
    // The same call signed now with the engine's key is accepted: the refusals above are the signature's doing.
    expect((await call({ signature: signRequestBody(callBody, signingKey) })).status).toBe(206);
    expect(ran).toContain("forged");
  });

  it("refuses an unsigned sync PUT with a forged Host, so the app cannot be re-pointed", async () => {
    const res = await call({ method: "PUT", host: "evil.example.com", body: {} });
    expect(res.status).toBe(401);
    const { rows } = await pool.query(`SELECT DISTINCT url FROM inngest_engine.functions`);
    expect(rows.map((row) => row.url)).toEqual([`${IN_PROCESS_SERVE_URL}?fnId=auth-test-secret-work&stepId=step`]);
  });

  it("refuses registrations without the hashed signing key, and remote serve URLs even with it", async () => {
    const register = (authorization: string | undefined, url: string) =>
      fetch(`${engine.url}/fn/register`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(authorization && { authorization }) },
        body: JSON.stringify({ url, appName: "auth-test", functions: [] }),
      });
    expect((await register(undefined, "http://127.0.0.1:1/api/inngest")).status).toBe(401);
    expect((await register(`Bearer ${hashSigningKey(`signkey-test-${"cd".repeat(32)}`)}`, "http://127.0.0.1:1/api/inngest")).status).toBe(401);
    const remote = await register(`Bearer ${hashSigningKey(signingKey)}`, "http://evil.example.com/api/inngest");
    expect(remote.status).toBe(400);
    expect(await remote.text()).toContain("not on loopback");
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM inngest_engine.functions`);
    expect(rows[0].n).toBe(1); // the earlier sync stands
  });

  it("refuses events sent without the event key", async () => {
    const res = await fetch(`${engine.url}/e/not-the-key`, { method: "POST", body: JSON.stringify([{ name: "test/secret", data: { n: "sneaky" } }]) });
    expect(res.status).toBe(401);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM inngest_engine.events WHERE payload->'data'->>'n' = 'sneaky'`);
    expect(rows[0].n).toBe(0);
  });
});

describe("the app's /api/inngest route with the local engine", () => {
  it("refuses an unsigned call and an unsigned sync PUT with a forged Host", async () => {
    Object.assign(process.env, { HOOKLINE_EXECUTOR: "local-engine", INNGEST_SIGNING_KEY: signingKey, INNGEST_EVENT_KEY: eventKey, INNGEST_BASE_URL: engine.url });
    delete process.env.INNGEST_DEV;
    (await import("@/lib/env")).resetEnv();
    const route = await import("@/app/api/inngest/route");
    // What a refused call logs: one JSON warning through Hookline's logger, no stack trace printed.
    const { createLogger, setLogger } = await import("@/lib/log");
    const lines: string[] = [];
    setLogger(createLogger({ destination: { write: (line: string) => void lines.push(line) } }));
    const printed: unknown[] = [];
    const consoleSpies = (["log", "info", "warn", "error"] as const).map((method) => vi.spyOn(console, method).mockImplementation((...args) => void printed.push(args)));
    const put = await route.PUT(new Request("http://evil.example.com/api/inngest", { method: "PUT", headers: { host: "evil.example.com" } }) as never, undefined as never);
    expect(put.status).toBe(401);
    const post = await route.POST(
      new Request("http://127.0.0.1:3000/api/inngest?fnId=hookline-resend&stepId=step", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(callBody),
      }) as never,
      undefined as never,
    );
    expect(post.status).toBe(401);
    for (const spy of consoleSpies) spy.mockRestore();
    setLogger(undefined);
    expect(printed).toEqual([]);
    const refusals = lines.map((line) => JSON.parse(line)).filter((entry) => /signature validation failed/.test(entry.msg));
    expect(refusals.length).toBeGreaterThanOrEqual(1);
    for (const entry of refusals) {
      expect(entry).toMatchObject({ level: "warn", component: "inngest" });
      expect(JSON.stringify(entry)).not.toMatch(/\bat .*\.js:\d+/); // no stack frames
    }
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM inngest_engine.apps WHERE id = 'hookline'`);
    expect(rows[0].n).toBe(0);
  });
});
