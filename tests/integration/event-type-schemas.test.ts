import { beforeAll, describe, expect, it } from "vitest";
import "@/tests/helpers/no-executor-env";
import type { ServiceContext } from "@/lib/context";
import type { Db } from "@/lib/db/client";
import { createEventType, updateEventType } from "@/lib/features/event-types/service";
import { publish } from "@/lib/features/messages/publish";
import { makeWorkspace } from "@/tests/helpers/factories";
import { useTestDb } from "@/tests/helpers/services";

let db: Db;
let a: ServiceContext;
let b: ServiceContext;
const ID = "https://schemas.example.com/call.json";

beforeAll(async () => {
  ({ db } = await useTestDb());
  a = await makeWorkspace("OWNER");
  b = await makeWorkspace("OWNER");
});

describe("event-type JSON Schemas (finding 5)", () => {
  it("two schemas with the same $id each validate their own payloads (was: 500 on every publish)", async () => {
    await createEventType(a, { name: "call:completed", schema: { $id: ID, type: "object", required: ["duration"] } });
    await createEventType(b, { name: "call:completed", schema: { $id: ID, type: "object", required: ["caller"] } });
    expect((await publish(a, { eventType: "call:completed", payload: { duration: 3 } })).message.id).toMatch(/^msg_/);
    expect((await publish(b, { eventType: "call:completed", payload: { caller: "x" } })).message.id).toMatch(/^msg_/);
    await expect(publish(b, { eventType: "call:completed", payload: { duration: 3 } })).rejects.toMatchObject({ status: 400 });
    // Editing the schema keeps its $id: the new version is the one used.
    await updateEventType(a, "call:completed", { schema: { $id: ID, type: "object", required: ["recording"] } });
    await expect(publish(a, { eventType: "call:completed", payload: { duration: 3 } })).rejects.toMatchObject({ status: 400 });
  });

  it("a $ref to another workspace's schema is refused at save time", async () => {
    const before = await db.eventType.count();
    await expect(createEventType(b, { name: "call:borrowed", schema: { $ref: ID } })).rejects.toMatchObject({
      status: 400,
      code: "validation_failed",
    });
    expect(await db.eventType.count()).toBe(before);
  });

  it("remote refs are never fetched: refused at save", async () => {
    await expect(createEventType(a, { name: "remote", schema: { $ref: "http://127.0.0.1:9/evil.json" } })).rejects.toMatchObject({ status: 400 });
    await expect(
      createEventType(a, { name: "remote2", schema: { type: "object", properties: { x: { $ref: "https://json-schema.org/draft-07/schema" } } } }),
    ).rejects.toMatchObject({ status: 400 });
  });

  it("local refs still work", async () => {
    await createEventType(a, {
      name: "local:ref",
      schema: { type: "object", $defs: { id: { type: "string" } }, properties: { id: { $ref: "#/$defs/id" } } },
    });
    await expect(publish(a, { eventType: "local:ref", payload: { id: 5 } })).rejects.toMatchObject({ status: 400 });
  });

  it("refuses catastrophic and oversized patterns at save", async () => {
    for (const schema of [
      { type: "string", pattern: "^(a+)+$" },
      { type: "object", patternProperties: { "(x*)*y": { type: "string" } } },
      { type: "string", pattern: "a".repeat(501) },
      { type: "string", pattern: "([" },
    ]) {
      await expect(createEventType(a, { name: `re:${Math.random().toString(36).slice(2)}`, schema })).rejects.toMatchObject({ status: 400 });
    }
    await createEventType(a, { name: "re:ok", schema: { type: "string", pattern: "^[a-z]{1,20}$" } });
  });

  it("a stored schema that cannot compile makes publish a 400, never a 500", async () => {
    await db.eventType.updateMany({ where: { workspaceId: a.workspaceId, name: "re:ok" }, data: { schema: { $ref: "https://x.example/y" } } });
    await expect(publish(a, { eventType: "re:ok", payload: {} })).rejects.toMatchObject({ status: 400 });
    expect(await db.message.count({ where: { workspaceId: a.workspaceId, eventType: "re:ok" } })).toBe(0);
  });
});
