import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@/lib/db/embedded";
import { resetEnv } from "@/lib/env";
import type { Db } from "@/lib/db/client";
import { makeWorkspace } from "@/tests/helpers/factories";
import { useTestDb } from "@/tests/helpers/services";
import { waitFor } from "@/tests/fixtures/engine/helpers";

// The server under test is a child process (engine + the real delivery functions) that
// this file kills with SIGKILL; its own database, so no other engine shares the queue.
process.env.HOOKLINE_ALLOW_PRIVATE_NETWORKS = "true";
process.env.HOOKLINE_ENCRYPTION_KEY = Buffer.alloc(32, 3).toString("base64");
resetEnv();

type Hit = { at: number; headers: http.IncomingHttpHeaders; body: string };

async function receiver(respond: (hit: Hit) => number) {
  const hits: Hit[] = [];
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      const hit = { at: Date.now(), headers: request.headers, body };
      hits.push(hit);
      // Slow answers, so kills land mid-request too.
      setTimeout(() => response.writeHead(respond(hit)).end("{}"), 50);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, hits };
}

let db: Db;
let url: string;
let createEndpoint: typeof import("@/lib/features/endpoints/service").createEndpoint;

beforeAll(async () => {
  ({ db, url } = await useTestDb());
  createEndpoint = (await import("@/lib/features/endpoints/service")).createEndpoint;
});

describe("crash safety of deliveries", () => {
  it("loses nothing when the server is killed -9 while deliveries sleep or run", async () => {
    const ctx = await makeWorkspace();
    // Every message fails once, then succeeds; answers are slow so kills land mid-request.
    const seen = new Map<string, number>();
    const target = await receiver((hit) => {
      const id = String(hit.headers["webhook-id"]);
      seen.set(id, (seen.get(id) ?? 0) + 1);
      return seen.get(id) === 1 ? 500 : 200;
    });
    await createEndpoint(ctx, {
      title: "crashy",
      url: target.url,
      eventTypes: ["crash"],
      retryPolicy: { preset: "custom", delaysMs: [1000] },
      // Short, so a lease left by a killed attempt runs out soon (timeout + 5 s).
      timeoutMs: 2000,
    });
    const enginePort = await freePort();
    let child: ChildProcess | undefined;
    const start = async () => {
      child = spawn("node", ["--import", "tsx", "--conditions=react-server", "tests/fixtures/delivery/server.ts"], {
        env: { ...process.env, DATABASE_URL: url, ENGINE_PORT: String(enginePort) },
        stdio: ["ignore", "pipe", "inherit"],
      });
      await new Promise<void>((resolve, reject) => {
        child!.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("READY") && resolve());
        child!.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
      });
    };
    const kill = async () => {
      const exited = new Promise((resolve) => child!.once("exit", resolve));
      child!.kill("SIGKILL");
      await exited;
    };
    // The test process publishes to the child's engine (the stack above keeps its own engine too).
    const previousBase = process.env.INNGEST_BASE_URL;
    process.env.INNGEST_BASE_URL = `http://127.0.0.1:${enginePort}`;
    const { Inngest } = await import("inngest");
    const { deliveryRequested } = await import("@/inngest/client");
    const client = new Inngest({ id: "hookline", isDev: true, baseUrl: `http://127.0.0.1:${enginePort}` });
    process.env.INNGEST_BASE_URL = previousBase;

    await start();
    const ids: string[] = [];
    let kills = 0;
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 10; i++) {
        const published = await db.$transaction(async () => {
          const message = await db.message.create({
            data: { id: `msg_crash_${round}_${i}`, workspaceId: ctx.workspaceId, eventType: "crash", body: JSON.stringify({ round, i }) },
          });
          const endpointRow = await db.endpoint.findFirstOrThrow({ where: { workspaceId: ctx.workspaceId, title: "crashy" } });
          return db.delivery.create({ data: { id: `dlv_crash_${round}_${i}`, workspaceId: ctx.workspaceId, messageId: message.id, endpointId: endpointRow.id, requestedAt: new Date() } });
        });
        await client.send(deliveryRequested.create({ deliveryId: published.id, endpointId: published.endpointId }));
        ids.push(published.id);
      }
      // Let some attempts fail and sleep, some run, then pull the plug.
      await waitFor(async () => target.hits.length > round * 20 + 5, 10_000, "some attempts");
      if (process.env.DEBUG_CRASH) console.log("round", round, "hits", target.hits.length);
      await kill();
      kills++;
      await start();
    }
    await waitFor(
      async () => (await db.delivery.count({ where: { id: { in: ids }, status: "SUCCEEDED" } })) === ids.length,
      40_000,
      "every delivery to succeed after the crashes",
    );
    await kill();
    expect(kills).toBe(3);
    for (const [index, id] of ids.entries()) {
      const attempts = await db.attempt.findMany({ where: { deliveryId: id }, orderBy: { number: "asc" } });
      expect(attempts.at(-1)!.outcome).toBe("SUCCESS");
      // The first answer was a 500, so the receiver saw each message at least twice. An attempt
      // killed after its request went out but before it was recorded is sent again (at-least-once).
      const round = Math.floor(index / 10);
      expect(seen.get(`msg_crash_${round}_${index % 10}`)).toBeGreaterThanOrEqual(2);
    }
  }, 90_000);
});
