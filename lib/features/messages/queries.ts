import "server-only";
import { db } from "@/lib/db/client";
import { messageScope, type ServiceContext } from "@/lib/context";
import { errors } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { listMessagesSchema, type ListMessagesInput } from "@/lib/features/messages/schema";
import { toAttemptDto } from "@/lib/features/endpoints/list-attempts";
import { afterCursor, toPage } from "@/lib/pagination";
import { parseId, parseWith } from "@/lib/validation";

type MessageRow = { id: string; eventType: string; account: string | null; body: string; idempotencyKey: string | null; test: boolean; createdAt: Date };

/** The payload as published: the exact text is in `body`; clients get it parsed. */
export function toMessageDto(row: MessageRow) {
  return {
    id: row.id,
    eventType: row.eventType,
    account: row.account,
    payload: JSON.parse(row.body) as unknown,
    idempotencyKey: row.idempotencyKey,
    test: row.test,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Newest first; the cursor is the (createdAt, id) of the last row seen. */
export async function listMessages(ctx: ServiceContext, input: ListMessagesInput) {
  const query = parseWith(listMessagesSchema, input);
  const where: Prisma.MessageWhereInput = {
    ...messageScope(ctx),
    ...(query.eventType ? { eventType: query.eventType } : {}),
    ...(query.account ? { account: query.account } : {}),
    ...(query.includeTests === "true" ? {} : { test: false }),
    ...(query.since || query.until
      ? { createdAt: { ...(query.since ? { gte: new Date(query.since) } : {}), ...(query.until ? { lt: new Date(query.until) } : {}) } }
      : {}),
    ...(query.status || query.endpointId
      ? {
          deliveries: {
            some: { ...(query.status ? { status: query.status } : {}), ...(query.endpointId ? { endpointId: query.endpointId } : {}) },
          },
        }
      : {}),
    ...afterCursor(query.cursor),
  };
  const rows = await db().message.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
    include: {
      deliveries: {
        where: ctx.account === undefined ? {} : { endpoint: { account: ctx.account } },
        select: { id: true, endpointId: true, status: true, attemptCount: true },
      },
    },
  });
  const { page, nextCursor } = toPage(rows, query.limit);
  return { data: page.map((row) => ({ ...toMessageDto(row), deliveries: row.deliveries })), nextCursor };
}

export async function getMessage(ctx: ServiceContext, messageId: string) {
  const row = await db().message.findFirst({
    where: { id: parseId(messageId), ...messageScope(ctx) },
    include: {
      deliveries: {
        // A portal session sees only its own endpoints' deliveries, never the operator's.
        where: ctx.account === undefined ? {} : { endpoint: { account: ctx.account } },
        orderBy: { createdAt: "asc" },
        // Through the delivery: the (deliveryId, number) index serves it.
        include: { endpoint: { select: { title: true, url: true } }, attempts: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] } },
      },
    },
  });
  if (!row) throw errors.notFound("Message");
  return {
    ...toMessageDto(row),
    body: row.body,
    deliveries: row.deliveries.map((delivery) => ({
      id: delivery.id,
      endpointId: delivery.endpointId,
      endpoint: delivery.endpoint,
      status: delivery.status,
      attemptCount: delivery.attemptCount,
      nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
      lastResponseStatus: delivery.lastResponseStatus,
      lastErrorCode: delivery.lastErrorCode,
      attempts: delivery.attempts.map(toAttemptDto),
    })),
  };
}
