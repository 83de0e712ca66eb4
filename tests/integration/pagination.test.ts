import { beforeAll, describe, expect, it } from "vitest";
import type { ServiceContext } from "@/lib/context";
import type { Db } from "@/lib/db/client";
import { resetEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { listEndpointAttempts } from "@/lib/features/endpoints/list-attempts";
import { createEndpoint } from "@/lib/features/endpoints/service";
import { listMessages } from "@/lib/features/messages/queries";
import { makeWorkspace } from "@/tests/helpers/factories";
import { useTestDb } from "@/tests/helpers/services";

process.env.HOOKLINE_ALLOW_PRIVATE_NETWORKS = "true";
process.env.HOOKLINE_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString("base64");
resetEnv();

let db: Db;
beforeAll(async () => {
  ({ db } = await useTestDb());
});

// Ids are minted by the app and createdAt by whoever wrote the row, so their orders can differ:
// an attempt that started first (earlier createdAt) may get the later id. Each row below has a
// createdAt order opposite to its id order, which is what a page boundary must survive.
const at = (second: number) => new Date(Date.UTC(2026, 10, 30, 12, 0, second));
const rows = [
  { id: "1", second: 5 },
  { id: "2", second: 4 },
  { id: "3", second: 3 },
  { id: "4", second: 2 },
  { id: "5", second: 2 }, // same instant as "4": the id breaks the tie
  { id: "6", second: 1 },
];

async function pageThrough<T extends { id: string }>(list: (cursor?: string) => Promise<{ data: T[]; nextCursor: string | null }>) {
  const seen: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    const result = await list(cursor);
    seen.push(...result.data.map((row) => row.id));
    if (!result.nextCursor) return seen;
    cursor = result.nextCursor;
  }
  throw new Error("the cursor never ended");
}

async function seed(ctx: ServiceContext, prefix: string) {
  const endpoint = await createEndpoint(ctx, { title: "Pages", url: "http://127.0.0.1:9/hook" });
  const messageIds = rows.map((row) => `msg_${prefix}${row.id}`);
  for (const [i, row] of rows.entries()) {
    await db.message.create({
      data: { id: messageIds[i]!, workspaceId: ctx.workspaceId, eventType: "page.test", body: "{}", createdAt: at(row.second) },
    });
    const delivery = await db.delivery.create({
      data: { id: `dlv_${prefix}${row.id}`, workspaceId: ctx.workspaceId, messageId: messageIds[i]!, endpointId: endpoint.id, status: "FAILED" },
    });
    await db.attempt.create({
      data: {
        id: `att_${prefix}${row.id}`,
        workspaceId: ctx.workspaceId,
        deliveryId: delivery.id,
        messageId: messageIds[i]!,
        endpointId: endpoint.id,
        eventType: "page.test",
        number: 1,
        trigger: "SCHEDULED",
        outcome: "FAILURE",
        requestUrl: "http://127.0.0.1:9/hook",
        requestHeaders: {},
        durationMs: 1,
        createdAt: at(row.second),
      },
    });
  }
  return endpoint.id;
}

// Newest first by createdAt, ties by id descending.
const expected = ["1", "2", "3", "5", "4", "6"];

describe("cursors order and page on the same key (createdAt, id)", () => {
  it("GET /endpoints/{id}/attempts returns every attempt exactly once, one per page", async () => {
    const ctx = await makeWorkspace();
    const endpointId = await seed(ctx, "a");
    const seen = await pageThrough((cursor) => listEndpointAttempts(ctx, endpointId, { limit: 1, cursor }));
    expect(seen).toEqual(expected.map((id) => `att_a${id}`));
    const byTwo = await pageThrough((cursor) => listEndpointAttempts(ctx, endpointId, { limit: 2, cursor }));
    expect(byTwo).toEqual(seen);
  });

  it("GET /messages returns every message exactly once, one per page", async () => {
    const ctx = await makeWorkspace();
    await seed(ctx, "m");
    const seen = await pageThrough((cursor) => listMessages(ctx, { limit: 1, cursor }));
    expect(seen).toEqual(expected.map((id) => `msg_m${id}`));
  });

  it("a cursor that was not handed out is a 400, not a 500", async () => {
    const ctx = await makeWorkspace();
    const endpointId = await seed(ctx, "x");
    const error = await listEndpointAttempts(ctx, endpointId, { cursor: "not-a-cursor" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(400);
  });
});
