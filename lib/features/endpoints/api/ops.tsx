"use client";

import { createContext, useContext, type ReactNode } from "react";
import type { ActionResult } from "@/lib/actions/safe-action";
import { unwrap } from "@/lib/actions/unwrap";
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

/** A server action as the hooks call it: its data, or a thrown `ApiError`. */
type Unwrapped<A> = A extends (input: infer I) => Promise<ActionResult<infer O>> ? (input: I) => Promise<O> : never;

/**
 * What the endpoint screens' hooks (`lib/features/endpoints/api/`) call, provided by the page:
 * the console's session actions and /api/v1, or the customer portal's token-scoped actions. The
 * components stay one copy; the server decides what each caller may reach. Every operation
 * resolves to its data or throws `ApiError`.
 */
export type EndpointOps = {
  create: Unwrapped<typeof createEndpointAction>;
  update: Unwrapped<typeof updateEndpointAction>;
  setEnabled: Unwrapped<typeof setEnabledAction>;
  sendTest: Unwrapped<typeof sendTestAction>;
  resend: Unwrapped<typeof resendAction>;
  recover: Unwrapped<typeof recoverAction>;
  recoveryProgress: Unwrapped<typeof recoveryProgressAction>;
  revealSecret: Unwrapped<typeof revealSecretAction>;
  rotateSecret: Unwrapped<typeof rotateSecretAction>;
  listAttempts: (endpointId: string) => Promise<{ data: AttemptDto[] }>;
  getMessage: (messageId: string) => Promise<MessageBody>;
  /** Maps a console path (`/endpoints/ep_…`) to where it lives for this caller. */
  href: (path: string) => string;
  /** The portal shows the customer-facing settings only. */
  portal: boolean;
};

export const consoleOps: EndpointOps = {
  create: (input) => unwrap(createEndpointAction(input)),
  update: (input) => unwrap(updateEndpointAction(input)),
  setEnabled: (input) => unwrap(setEnabledAction(input)),
  sendTest: (input) => unwrap(sendTestAction(input)),
  resend: (input) => unwrap(resendAction(input)),
  recover: (input) => unwrap(recoverAction(input)),
  recoveryProgress: (input) => unwrap(recoveryProgressAction(input)),
  revealSecret: (input) => unwrap(revealSecretAction(input)),
  rotateSecret: (input) => unwrap(rotateSecretAction(input)),
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
