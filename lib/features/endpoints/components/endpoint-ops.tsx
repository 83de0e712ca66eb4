"use client";

import { createContext, useContext, type ReactNode } from "react";
import { apiFetch } from "@/lib/api-client";
import type { AttemptDto } from "@/lib/features/endpoints/list-attempts";
import {
  createEndpointAction,
  recoverAction,
  recoveryProgressAction,
  resendAction,
  revealSecretAction,
  rotateSecretAction,
  sendTestAction,
  setEnabledAction,
  updateEndpointAction,
} from "@/lib/features/endpoints/actions";

export type MessageBody = { id: string; body: string; eventType: string; account: string | null };

/**
 * What the endpoint screens call, provided by the page: the console's session actions and
 * /api/v1, or the customer portal's token-scoped actions. The components stay one copy; the
 * server decides what each caller may reach.
 */
export type EndpointOps = {
  create: typeof createEndpointAction;
  update: typeof updateEndpointAction;
  setEnabled: typeof setEnabledAction;
  sendTest: typeof sendTestAction;
  resend: typeof resendAction;
  recover: typeof recoverAction;
  recoveryProgress: typeof recoveryProgressAction;
  revealSecret: typeof revealSecretAction;
  rotateSecret: typeof rotateSecretAction;
  listAttempts: (endpointId: string) => Promise<{ data: AttemptDto[] }>;
  getMessage: (messageId: string) => Promise<MessageBody>;
  /** Maps a console path (`/endpoints/ep_…`) to where it lives for this caller. */
  href: (path: string) => string;
  /** The portal shows the customer-facing settings only. */
  portal: boolean;
};

export const consoleOps: EndpointOps = {
  create: createEndpointAction,
  update: updateEndpointAction,
  setEnabled: setEnabledAction,
  sendTest: sendTestAction,
  resend: resendAction,
  recover: recoverAction,
  recoveryProgress: recoveryProgressAction,
  revealSecret: revealSecretAction,
  rotateSecret: rotateSecretAction,
  listAttempts: (endpointId) => apiFetch<{ data: AttemptDto[] }>(`/endpoints/${endpointId}/attempts?limit=10`),
  getMessage: (messageId) => apiFetch<MessageBody>(`/messages/${messageId}`),
  href: (path) => path,
  portal: false,
};

const EndpointOpsContext = createContext<EndpointOps>(consoleOps);

export function EndpointOpsProvider({ value, children }: { value: EndpointOps; children: ReactNode }) {
  return <EndpointOpsContext.Provider value={value}>{children}</EndpointOpsContext.Provider>;
}

export function useEndpointOps(): EndpointOps {
  return useContext(EndpointOpsContext);
}
