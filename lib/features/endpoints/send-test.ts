import "server-only";
import { z } from "zod";
import { assertCanWrite, type ServiceContext } from "@/lib/context";
import { db } from "@/lib/db/client";
import { attemptDelivery } from "@/lib/delivery/attempt";
import { toAttemptDto } from "@/lib/features/endpoints/list-attempts";
import { assertEndpointInScope } from "@/lib/features/endpoints/scope";
import { eventTypeNameSchema } from "@/lib/delivery/schemas";
import { env } from "@/lib/env";
import { errors } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { parseWith } from "@/lib/validation";

export const sendTestSchema = z
  .object({ eventType: eventTypeNameSchema, payload: z.record(z.string(), z.unknown()).optional() })
  .strict();

/**
 * "Send test": a test message (hidden from the log by default) delivered to
 * this one endpoint right now, whatever its filters, with the receiver's answer
 * returned. It is a real attempt, listed with trigger TEST.
 */
export async function sendTest(ctx: ServiceContext, endpointId: string, input: z.input<typeof sendTestSchema>, rawPayload?: string) {
  assertCanWrite(ctx);
  const { eventType, payload } = parseWith(sendTestSchema, input);
  await assertEndpointInScope(ctx, endpointId);
  let body = rawPayload;
  if (body === undefined) {
    const example = payload
      ? payload
      : ((await db().eventType.findUnique({ where: { workspaceId_name: { workspaceId: ctx.workspaceId, name: eventType } } }))
          ?.examplePayload ?? { test: true });
    body = JSON.stringify(example);
  }
  if (Buffer.byteLength(body) > env().HOOKLINE_MAX_BODY_BYTES) throw errors.tooLarge("The test payload is over the size limit");
  const parsed = JSON.parse(body) as Record<string, unknown>;

  const deliveryId = newId("dlv");
  await db().$transaction(async (tx) => {
    const message = await tx.message.create({
      data: {
        id: newId("msg"),
        workspaceId: ctx.workspaceId,
        eventType,
        // In the portal the test belongs to the session's account, whatever the payload says.
        account: ctx.account ?? (typeof parsed.account === "string" ? parsed.account : null),
        body,
        test: true,
      },
    });
    await tx.delivery.create({ data: { id: deliveryId, workspaceId: ctx.workspaceId, messageId: message.id, endpointId, requestedAt: new Date() } });
  });
  const outcome = await attemptDelivery(deliveryId, { trigger: "TEST" });
  if (!outcome.attemptId) throw errors.conflict(outcome.next.action === "skipped" ? outcome.next.reason : "The test could not be sent");
  const attempt = await db().attempt.findUniqueOrThrow({ where: { id: outcome.attemptId } });
  return { attempt: toAttemptDto(attempt) };
}
