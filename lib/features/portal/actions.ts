"use server";

import { endpointVerbs } from "@/lib/features/endpoints/verbs";
import { getMessage, listMessages } from "@/lib/features/messages/queries";
import type { ListMessagesInput } from "@/lib/features/messages/schema";
import { portalAction } from "@/lib/features/portal/portal-action";

// Every portal action takes the portal token first; the same verbs as the console's, scoped.
export const portalCreateEndpoint = portalAction(endpointVerbs.create);
export const portalUpdateEndpoint = portalAction(endpointVerbs.update);
export const portalSetEnabled = portalAction(endpointVerbs.setEnabled);
export const portalSendTest = portalAction(endpointVerbs.sendTest);
export const portalResend = portalAction(endpointVerbs.resend);
export const portalRecover = portalAction(endpointVerbs.recover);
export const portalRecoveryProgress = portalAction(endpointVerbs.recoveryProgress);
export const portalRevealSecret = portalAction(endpointVerbs.revealSecret);
export const portalRotateSecret = portalAction(endpointVerbs.rotateSecret);
export const portalListAttempts = portalAction(endpointVerbs.listAttempts);
// getMessage checks the id itself.
export const portalGetMessage = portalAction(async (ctx, input: { id: string }) => getMessage(ctx, input.id));
export const portalListMessages = portalAction(async (ctx, input: ListMessagesInput) => listMessages(ctx, input));
