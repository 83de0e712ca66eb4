import "server-only";
import { db } from "@/lib/db/client";
import { assertCanWrite, type ServiceContext } from "@/lib/context";
import { explainMatch } from "@/lib/delivery/filter";
import { requestDeliveries } from "@/lib/delivery/requests";
import type { Filter } from "@/lib/delivery/schemas";
import { env } from "@/lib/env";
import { assertPublishable, type PublishableEventType } from "@/lib/features/event-types/service";
import { errors } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { publishSchema, type PublishInput } from "@/lib/features/messages/schema";
import { parseWith } from "@/lib/validation";

export type PublishResult = {
  created: boolean; // false: the idempotency key matched an earlier message, which is returned
  message: { id: string; eventType: string; account: string | null; idempotencyKey: string | null; createdAt: string };
  deliveries: Array<{ id: string; endpointId: string; status: string }>;
};

type Options = {
  /** The payload's exact source text (API), stored instead of a re-serialization. */
  rawPayload?: string;
  test?: boolean;
};

/**
 * The one publish verb (API, server actions, server code): stores the body
 * once, byte for byte, fans out to matching endpoints in the same statement
 * (disabled ones get PAUSED deliveries: nothing is lost), then hands PENDING
 * deliveries to the `deliver` function. Three round trips to the database
 * (read, insert, requestedAt) and one to the executor.
 */
export async function publish(ctx: ServiceContext, input: PublishInput, options: Options = {}): Promise<PublishResult> {
  assertCanWrite(ctx);
  const data = parseWith(publishSchema, input);
  const body = options.rawPayload ?? JSON.stringify(data.payload);
  const maxBytes = env().HOOKLINE_MAX_BODY_BYTES;
  if (Buffer.byteLength(body) > maxBytes) throw errors.tooLarge(`The payload is over the ${Math.round(maxBytes / 1024)} KiB limit`);
  // The message's account, else the payload's own `account` field (call tracking puts it there).
  const account = data.account ?? (typeof data.payload.account === "string" ? data.payload.account : null);

  if (data.idempotencyKey) {
    const existing = await findByIdempotencyKey(ctx.workspaceId, data.idempotencyKey, { eventType: data.eventType, body });
    if (existing) return existing;
  }
  // One read: the event type (archived? schema?) and the endpoints that may want the message.
  // Endpoints are read fresh on every publish (no cache): an endpoint created a moment ago must
  // receive the messages published right after.
  const [{ eventType, endpoints }] = await db().$queryRaw<
    Array<{ eventType: PublishableEventType | null; endpoints: Array<{ id: string; enabled: boolean; eventTypes: string[]; filter: Filter }> }>
  >`
    SELECT (SELECT json_build_object('archived', t."archivedAt" IS NOT NULL, 'schema', t.schema)
              FROM "EventType" t WHERE t."workspaceId" = ${ctx.workspaceId} AND t.name = ${data.eventType}) AS "eventType",
           coalesce((SELECT json_agg(json_build_object('id', e.id, 'enabled', e.enabled, 'eventTypes', e."eventTypes", 'filter', e.filter))
                       FROM "Endpoint" e
                      WHERE e."workspaceId" = ${ctx.workspaceId}
                        AND (cardinality(e."eventTypes") = 0 OR ${data.eventType} = ANY(e."eventTypes"))), '[]'::json) AS endpoints`;
  assertPublishable(data.eventType, eventType, data.payload);

  const messageId = newId("msg");
  const createdAt = new Date();
  const deliveries = endpoints
    .filter((endpoint) => explainMatch({ eventTypes: endpoint.eventTypes, filter: endpoint.filter }, { eventType: data.eventType, account, payload: data.payload }).matched)
    .map((endpoint) => ({ id: newId("dlv"), endpointId: endpoint.id, status: endpoint.enabled ? ("PENDING" as const) : ("PAUSED" as const) }));
  // The message and its deliveries in one statement (atomic without an interactive transaction).
  // A repeated idempotency key inserts nothing (ON CONFLICT): the earlier message is returned.
  const inserted = await db().$queryRaw<Array<{ id: string }>>`
    WITH message AS (
      INSERT INTO "Message" (id, "workspaceId", "eventType", account, body, "idempotencyKey", test, "createdAt")
      VALUES (${messageId}, ${ctx.workspaceId}, ${data.eventType}, ${account}, ${body}, ${data.idempotencyKey ?? null},
              ${options.test ?? false}, ${createdAt}::timestamp(3))
      ON CONFLICT ("workspaceId", "idempotencyKey") DO NOTHING
      RETURNING id
    ), deliveries AS (
      INSERT INTO "Delivery" (id, "workspaceId", "messageId", "endpointId", status, "createdAt", "updatedAt")
      SELECT d.id, ${ctx.workspaceId}, message.id, d."endpointId", d.status::"DeliveryStatus", ${createdAt}::timestamp(3), ${createdAt}::timestamp(3)
        FROM message, unnest(${deliveries.map((d) => d.id)}::text[], ${deliveries.map((d) => d.endpointId)}::text[], ${deliveries.map((d) => d.status)}::text[])
             AS d(id, "endpointId", status)
    )
    SELECT id FROM message`;
  if (!inserted.length) {
    // Two publishes raced with one idempotency key: the loser returns the winner's message.
    const existing = await findByIdempotencyKey(ctx.workspaceId, data.idempotencyKey!, { eventType: data.eventType, body });
    if (existing) return existing;
    throw errors.conflict(`The idempotency key "${data.idempotencyKey}" is being used by another request; retry`);
  }
  const result: PublishResult = {
    created: true,
    message: { id: messageId, eventType: data.eventType, account, idempotencyKey: data.idempotencyKey ?? null, createdAt: createdAt.toISOString() },
    deliveries,
  };
  await requestDeliveries(result.deliveries.filter((delivery) => delivery.status === "PENDING"));
  return result;
}

/** Like Stripe: a key names one request; reusing it for a different event is a client bug, not a retry. */
async function findByIdempotencyKey(
  workspaceId: string,
  idempotencyKey: string,
  request: { eventType: string; body: string },
): Promise<PublishResult | null> {
  const message = await db().message.findUnique({
    where: { workspaceId_idempotencyKey: { workspaceId, idempotencyKey } },
    include: { deliveries: { select: { id: true, endpointId: true, status: true }, orderBy: { createdAt: "asc" } } },
  });
  if (!message) return null;
  if (message.eventType !== request.eventType || message.body !== request.body) {
    throw errors.conflict(`The idempotency key "${idempotencyKey}" was already used for a different message (${message.id})`);
  }
  return {
    created: false,
    message: {
      id: message.id,
      eventType: message.eventType,
      account: message.account,
      idempotencyKey: message.idempotencyKey,
      createdAt: message.createdAt.toISOString(),
    },
    deliveries: message.deliveries,
  };
}
