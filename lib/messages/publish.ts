import "server-only";
import { db } from "@/lib/db/client";
import { assertCanWrite, type ServiceContext } from "@/lib/context";
import { explainMatch } from "@/lib/delivery/filter";
import { requestDeliveries } from "@/lib/delivery/requests";
import type { Filter } from "@/lib/delivery/schemas";
import { env } from "@/lib/env";
import { checkPublishable } from "@/lib/event-types/service";
import { errors } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { publishSchema, type PublishInput } from "@/lib/messages/schema";
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
 * once, byte for byte, fans out to matching endpoints in the same transaction
 * (disabled ones get PAUSED deliveries: nothing is lost), then hands PENDING
 * deliveries to the `deliver` function.
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
  await checkPublishable(ctx.workspaceId, data.eventType, data.payload);

  let result: PublishResult;
  try {
    result = await db().$transaction(async (tx) => {
      const message = await tx.message.create({
        data: {
          id: newId("msg"),
          workspaceId: ctx.workspaceId,
          eventType: data.eventType,
          account,
          body,
          idempotencyKey: data.idempotencyKey ?? null,
          test: options.test ?? false,
        },
      });
      const endpoints = await tx.endpoint.findMany({
        where: {
          workspaceId: ctx.workspaceId,
          OR: [{ eventTypes: { isEmpty: true } }, { eventTypes: { has: data.eventType } }],
        },
        select: { id: true, enabled: true, eventTypes: true, filter: true },
      });
      const deliveries = endpoints
        .filter((endpoint) => explainMatch({ eventTypes: endpoint.eventTypes, filter: endpoint.filter as Filter }, { eventType: data.eventType, account, payload: data.payload }).matched)
        .map((endpoint) => ({
          id: newId("dlv"),
          workspaceId: ctx.workspaceId,
          messageId: message.id,
          endpointId: endpoint.id,
          status: endpoint.enabled ? ("PENDING" as const) : ("PAUSED" as const),
        }));
      if (deliveries.length) await tx.delivery.createMany({ data: deliveries });
      return {
        created: true,
        message: {
          id: message.id,
          eventType: message.eventType,
          account: message.account,
          idempotencyKey: message.idempotencyKey,
          createdAt: message.createdAt.toISOString(),
        },
        deliveries: deliveries.map(({ id, endpointId, status }) => ({ id, endpointId, status })),
      };
    });
  } catch (error) {
    // Two publishes raced with one idempotency key: the loser returns the winner's message.
    if (data.idempotencyKey && error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const existing = await findByIdempotencyKey(ctx.workspaceId, data.idempotencyKey, { eventType: data.eventType, body });
      if (existing) return existing;
    }
    throw error;
  }
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
