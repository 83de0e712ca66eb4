import "server-only";
import type { ServiceContext } from "@/lib/context";
import { recoverEndpoint, resendDeliveries } from "@/lib/delivery/resend";
import { errors } from "@/lib/errors";
import { listEndpointAttempts } from "@/lib/features/endpoints/list-attempts";
import { getRecoveryProgress } from "@/lib/features/endpoints/queries";
import type { EndpointCreateInput, EndpointUpdateInput } from "@/lib/features/endpoints/schema";
import { sendTest } from "@/lib/features/endpoints/send-test";
import { createEndpoint, revealSecret, rotateSecret, setEndpointEnabled, updateEndpoint } from "@/lib/features/endpoints/service";

/**
 * The endpoint screens' verbs as (context, input) handlers. The console wraps them in its
 * session actions, the customer portal in its link-scoped actions: one implementation, and
 * the context decides what each caller may reach.
 */
export const endpointVerbs = {
  /** Returns the new endpoint with its secret: the only time it is shown without a reveal. */
  create: (ctx: ServiceContext, input: EndpointCreateInput) => createEndpoint(ctx, input),
  update: (ctx: ServiceContext, { id, patch }: { id: string; patch: EndpointUpdateInput }) => updateEndpoint(ctx, id, patch),
  setEnabled: (ctx: ServiceContext, { id, enabled }: { id: string; enabled: boolean }) => setEndpointEnabled(ctx, id, enabled),
  /** `body` is the editor's exact text: the receiver gets those bytes, as with the API's raw payload. */
  sendTest: async (ctx: ServiceContext, { id, eventType, body }: { id: string; eventType: string; body: string }) => {
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      throw errors.validation([{ path: "payload", message: "The payload is not valid JSON" }]);
    }
    return sendTest(ctx, id, { eventType, payload: payload as Record<string, unknown> }, body);
  },
  resend: (ctx: ServiceContext, { deliveryIds }: { deliveryIds: string[] }) => resendDeliveries(ctx, deliveryIds),
  recover: async (ctx: ServiceContext, { id, since }: { id: string; since: string }) => {
    // Taken before the requeue starts: progress counts what changed after it.
    const startedAt = new Date().toISOString();
    return { ...(await recoverEndpoint(ctx, id, { since })), startedAt };
  },
  recoveryProgress: (ctx: ServiceContext, { id, since, startedAt }: { id: string; since: string; startedAt: string }) =>
    getRecoveryProgress(ctx, id, { since, startedAt }),
  revealSecret: (ctx: ServiceContext, { id }: { id: string }) => revealSecret(ctx, id),
  rotateSecret: (ctx: ServiceContext, { id }: { id: string }) => rotateSecret(ctx, id, { graceSeconds: 24 * 3600 }),
  listAttempts: (ctx: ServiceContext, { id }: { id: string }) => listEndpointAttempts(ctx, id, { limit: 10 }),
};
