import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import "@/tests/helpers/no-executor-env";
import { createApiKey } from "@/lib/features/settings/api-keys";
import type { Db } from "@/lib/db/client";
import { makeWorkspace } from "@/tests/helpers/factories";
import { useTestDb } from "@/tests/helpers/services";
import * as messagesRoute from "@/app/api/v1/messages/route";
import * as endpointsRoute from "@/app/api/v1/endpoints/route";

let db: Db;
let ownerKey: string;
let viewerKey: string;

beforeAll(async () => {
  ({ db } = await useTestDb());
  const owner = await makeWorkspace("OWNER");
  ownerKey = (await createApiKey(owner, { name: "owner" })).plaintext;
  viewerKey = (await createApiKey(owner, { name: "viewer", role: "VIEWER" })).plaintext;
});

/** A chunked body (no Content-Length) of `chunks` × 64 KiB; counts what the server pulled. */
function chunkedBody(chunks: number) {
  const pulled = { bytes: 0 };
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === 0) controller.enqueue(new TextEncoder().encode('{"eventType":"a","payload":{"x":"'));
      if (sent++ >= chunks) return controller.close();
      const chunk = new Uint8Array(64 * 1024).fill(0x61);
      pulled.bytes += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled };
}

async function post(handler: unknown, key: string, body: ReadableStream<Uint8Array>) {
  const init = { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body, duplex: "half" };
  const request = new NextRequest("http://hookline.test/api/v1/messages", init as ConstructorParameters<typeof NextRequest>[1]);
  type Handler = (request: NextRequest, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
  const response = await (handler as Handler)(request, { params: Promise.resolve({}) });
  return { status: response.status, json: await response.json() };
}

describe("request bodies (finding 8)", () => {
  it("a chunked body is cut off at the limit while streaming, not buffered whole", async () => {
    const { stream, pulled } = chunkedBody(1600); // 100 MiB if read to the end
    const response = await post(messagesRoute.POST, ownerKey, stream);
    expect(response.status).toBe(413);
    expect(response.json.error.code).toBe("payload_too_large");
    expect(pulled.bytes).toBeLessThan(2 * 1024 * 1024);
    expect(await db.message.count()).toBe(0);
  });

  it("the same cut-off holds on every JSON route", async () => {
    const { stream, pulled } = chunkedBody(1600);
    expect((await post(endpointsRoute.POST, ownerKey, stream)).status).toBe(413);
    expect(pulled.bytes).toBeLessThan(2 * 1024 * 1024);
  });

  it("publish checks the key's role before reading the body", async () => {
    const { stream, pulled } = chunkedBody(1600);
    const response = await post(messagesRoute.POST, viewerKey, stream);
    expect(response.status).toBe(403);
    expect(pulled.bytes).toBeLessThanOrEqual(64 * 1024);
  });

  it("a body within the limit still publishes byte for byte", async () => {
    const body = new TextEncoder().encode('{"eventType":"call:completed","payload":{"b":1,  "a":2}}');
    const response = await post(messagesRoute.POST, ownerKey, new Blob([body]).stream());
    expect(response.status).toBe(202);
    expect((await db.message.findUniqueOrThrow({ where: { id: response.json.id } })).body).toBe('{"b":1,  "a":2}');
  });
});
