import "server-only";
import { db } from "@/lib/db/client";
import { assertCanWrite, type ServiceContext } from "@/lib/context";
import { errors } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { eventTypePresets } from "@/lib/features/event-types/presets";
import { assertValidSchema, schemaErrors } from "@/lib/features/event-types/json-schema";
import {
  eventTypeCreateSchema,
  eventTypeUpdateSchema,
  type EventTypeCreateInput,
  type EventTypeUpdateInput,
} from "@/lib/features/event-types/schema";
import { parseWith } from "@/lib/validation";

type EventTypeRow = Awaited<ReturnType<ReturnType<typeof db>["eventType"]["findFirstOrThrow"]>>;

export function toEventTypeDto(row: EventTypeRow) {
  return {
    name: row.name,
    description: row.description,
    schema: row.schema ?? null,
    examplePayload: row.examplePayload ?? null,
    preset: row.preset,
    archived: row.archivedAt !== null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type EventTypeDto = ReturnType<typeof toEventTypeDto>;

const json = (value: unknown) => (value === null || value === undefined ? undefined : (value as Prisma.InputJsonValue));

export async function listEventTypes(ctx: ServiceContext, options: { includeArchived?: boolean } = {}) {
  const rows = await db().eventType.findMany({
    where: {
      workspaceId: ctx.workspaceId,
      ...(options.includeArchived ? {} : { archivedAt: null }),
      // A portal link limited to some event types offers only those.
      ...(ctx.eventTypes?.length ? { name: { in: ctx.eventTypes } } : {}),
    },
    orderBy: { name: "asc" },
  });
  return rows.map(toEventTypeDto);
}

export async function getEventType(ctx: ServiceContext, name: string) {
  const row = await db().eventType.findUnique({ where: { workspaceId_name: { workspaceId: ctx.workspaceId, name } } });
  if (!row) throw errors.notFound(`Event type "${name}"`);
  return toEventTypeDto(row);
}

export async function createEventType(ctx: ServiceContext, input: EventTypeCreateInput) {
  assertCanWrite(ctx);
  const data = parseWith(eventTypeCreateSchema, input);
  if (data.schema) {
    assertValidSchema(data.schema);
    if (data.examplePayload) assertExampleFits(data.schema, data.examplePayload);
  }
  const existing = await db().eventType.findUnique({ where: { workspaceId_name: { workspaceId: ctx.workspaceId, name: data.name } } });
  if (existing) throw errors.conflict(`Event type "${data.name}" already exists`);
  const row = await db().eventType.create({
    data: {
      id: newId("evt"),
      workspaceId: ctx.workspaceId,
      name: data.name,
      description: data.description,
      schema: json(data.schema),
      examplePayload: json(data.examplePayload),
    },
  });
  return toEventTypeDto(row);
}

export async function updateEventType(ctx: ServiceContext, name: string, input: EventTypeUpdateInput) {
  assertCanWrite(ctx);
  const data = parseWith(eventTypeUpdateSchema, input);
  const current = await db().eventType.findUnique({ where: { workspaceId_name: { workspaceId: ctx.workspaceId, name } } });
  if (!current) throw errors.notFound(`Event type "${name}"`);
  const schema = data.schema === undefined ? (current.schema as object | null) : data.schema;
  const example = data.examplePayload === undefined ? current.examplePayload : data.examplePayload;
  if (schema) {
    assertValidSchema(schema);
    if (example) assertExampleFits(schema, example);
  }
  const row = await db().eventType.update({
    where: { id: current.id },
    data: {
      description: data.description,
      schema: data.schema === null ? Prisma.DbNull : json(data.schema),
      examplePayload: data.examplePayload === null ? Prisma.DbNull : json(data.examplePayload),
      archivedAt: data.archived === undefined ? undefined : data.archived ? (current.archivedAt ?? new Date()) : null,
    },
  });
  return toEventTypeDto(row);
}

/** Archiving keeps history readable; publishing an archived type is refused. */
export async function archiveEventType(ctx: ServiceContext, name: string) {
  return updateEventType(ctx, name, { archived: true });
}

/** Imports a product's catalog; existing names are left as they are (never overwritten). */
export async function importPreset(ctx: ServiceContext, presetId: string) {
  assertCanWrite(ctx);
  const preset = eventTypePresets.find((candidate) => candidate.id === presetId);
  if (!preset) {
    throw errors.notFound(`Preset "${presetId}" (known: ${eventTypePresets.map((candidate) => candidate.id).join(", ")})`);
  }
  const result = await db().eventType.createMany({
    data: preset.events.map((event) => ({
      id: newId("evt"),
      workspaceId: ctx.workspaceId,
      name: event.name,
      description: event.description,
      examplePayload: event.example as Prisma.InputJsonValue,
      preset: preset.id,
    })),
    skipDuplicates: true,
  });
  return { preset: preset.id, created: result.count, skipped: preset.events.length - result.count };
}

function assertExampleFits(schema: object, example: unknown) {
  const problems = schemaErrors(schema, example);
  if (problems.length) throw errors.validation(problems, "The example payload does not match the JSON Schema");
}

/** What publish needs to know of the message's event type (null: not in the catalog). */
export type PublishableEventType = { archived: boolean; schema: unknown };

/** Used by publish: archived types are refused; a schema, when present, must accept the payload. */
export async function checkPublishable(workspaceId: string, eventType: string, payload: unknown) {
  const row = await db().eventType.findUnique({ where: { workspaceId_name: { workspaceId, name: eventType } } });
  assertPublishable(eventType, row && { archived: row.archivedAt !== null, schema: row.schema }, payload);
}

/** The same check on a row the caller already read (publish reads it with the endpoints, in one query). */
export function assertPublishable(eventType: string, row: PublishableEventType | null, payload: unknown) {
  if (!row) return;
  if (row.archived) throw errors.badRequest(`Event type "${eventType}" is archived`);
  if (row.schema) {
    const problems = schemaErrors(row.schema as object, payload);
    if (problems.length) throw errors.validation(problems, `The payload does not match the schema of "${eventType}"`);
  }
}
