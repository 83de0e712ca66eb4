import "server-only";
import { z } from "zod";
import type { ServiceContext } from "@/lib/context";
import { recoverEndpoint, resendDeliveries } from "@/lib/delivery/resend";
import { errors } from "@/lib/errors";
import { listEndpointAttempts } from "@/lib/features/endpoints/list-attempts";
import { getRecoveryProgress } from "@/lib/features/endpoints/queries";
import type { EndpointCreateInput, EndpointUpdateInput } from "@/lib/features/endpoints/schema";
import { sendTest } from "@/lib/features/endpoints/send-test";
import { createEndpoint, revealSecret, rotateSecret, setEndpointEnabled, updateEndpoint } from "@/lib/features/endpoints/service";
import { idSchema, parseId, parseWith } from "@/lib/validation";

// A server action's input is whatever the browser sent (an object: the action wrappers check that).
// An id left out would reach Prisma as `undefined`, which filters nothing (the first row in scope),
// so ids are checked here first.
const id = (input: { id: unknown }) => parseId(input.id);
const resendInput = z.object({ deliveryIds: z.array(idSchema).min(1).max(1000) });

/**
 * The endpoint screens' verbs as (context, input) handlers. The console wraps them in its
 * session actions, the customer portal in its link-scoped actions: one implementation, and
 * the context decides what each caller may reach.
 */
export const endpointVerbs = {
  /** Returns the new endpoint with its secret: the only time it is shown without a reveal. */
  create: (ctx: ServiceContext, input: EndpointCreateInput) => createEndpoint(ctx, input),
  update: (ctx: ServiceContext, input: { id: string; patch: EndpointUpdateInput }) => updateEndpoint(ctx, id(input), input.patch),
  setEnabled: (ctx: ServiceContext, input: { id: string; enabled: boolean }) => setEndpointEnabled(ctx, id(input), input.enabled),
  /** `body` is the editor's exact text: the receiver gets those bytes, as with the API's raw payload. */
  sendTest: async (ctx: ServiceContext, input: { id: string; eventType: string; body: string }) => {
    const { eventType, body } = input;
    const endpointId = id(input);
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      throw errors.validation([{ path: "payload", message: "The payload is not valid JSON" }]);
    }
    return sendTest(ctx, endpointId, { eventType, payload: payload as Record<string, unknown> }, body);
  },
  resend: (ctx: ServiceContext, input: { deliveryIds: string[] }) => resendDeliveries(ctx, parseWith(resendInput, input).deliveryIds),
  recover: async (ctx: ServiceContext, input: { id: string; since: string }) => {
    // Taken before the requeue starts: progress counts what changed after it.
    const startedAt = new Date().toISOString();
    return { ...(await recoverEndpoint(ctx, id(input), { since: input.since })), startedAt };
  },
  recoveryProgress: (ctx: ServiceContext, input: { id: string; since: string; startedAt: string }) =>
    getRecoveryProgress(ctx, id(input), { since: input.since, startedAt: input.startedAt }),
  revealSecret: (ctx: ServiceContext, input: { id: string }) => revealSecret(ctx, id(input)),
  rotateSecret: (ctx: ServiceContext, input: { id: string }) => rotateSecret(ctx, id(input), { graceSeconds: 24 * 3600 }),
  listAttempts: (ctx: ServiceContext, input: { id: string }) => listEndpointAttempts(ctx, id(input), { limit: 10 }),
};
