"use server";

import { action } from "@/lib/actions/safe-action";
import { recoverEndpoint, resendDeliveries } from "@/lib/delivery/resend";
import { getRecoveryProgress } from "@/lib/features/endpoints/queries";
import type { EndpointCreateInput, EndpointUpdateInput } from "@/lib/features/endpoints/schema";
import { createEndpoint, revealSecret, rotateSecret, setEndpointEnabled, updateEndpoint } from "@/lib/features/endpoints/service";
import { sendTest } from "@/lib/features/endpoints/send-test";
import { errors } from "@/lib/errors";

/** Returns the new endpoint with its secret: the only time it is shown without a reveal. */
export const createEndpointAction = action(async (ctx, input: EndpointCreateInput) => createEndpoint(ctx, input));

export const updateEndpointAction = action(async (ctx, { id, patch }: { id: string; patch: EndpointUpdateInput }) =>
  updateEndpoint(ctx, id, patch),
);

export const setEnabledAction = action(async (ctx, { id, enabled }: { id: string; enabled: boolean }) =>
  setEndpointEnabled(ctx, id, enabled),
);

/** `body` is the editor's exact text: the receiver gets those bytes, as with the API's raw payload. */
export const sendTestAction = action(async (ctx, { id, eventType, body }: { id: string; eventType: string; body: string }) => {
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    throw errors.validation([{ path: "payload", message: "The payload is not valid JSON" }]);
  }
  return sendTest(ctx, id, { eventType, payload: payload as Record<string, unknown> }, body);
});

export const resendAction = action(async (ctx, { deliveryIds }: { deliveryIds: string[] }) => resendDeliveries(ctx, deliveryIds));

export const recoverAction = action(async (ctx, { id, since }: { id: string; since: string }) => {
  // Taken before the requeue starts: progress counts what changed after it.
  const startedAt = new Date().toISOString();
  return { ...(await recoverEndpoint(ctx, id, { since })), startedAt };
});

export const recoveryProgressAction = action(async (ctx, { id, since, startedAt }: { id: string; since: string; startedAt: string }) =>
  getRecoveryProgress(ctx, id, { since, startedAt }),
);

export const revealSecretAction = action(async (ctx, { id }: { id: string }) => revealSecret(ctx, id));

export const rotateSecretAction = action(async (ctx, { id }: { id: string }) => rotateSecret(ctx, id, { graceSeconds: 24 * 3600 }));
