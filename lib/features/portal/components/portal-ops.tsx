"use client";

import { useMemo, type ReactNode } from "react";
import { EndpointOpsProvider, type EndpointOps } from "@/lib/features/endpoints/components/endpoint-ops";
import {
  portalCreateEndpoint,
  portalGetMessage,
  portalListAttempts,
  portalRecover,
  portalRecoveryProgress,
  portalResend,
  portalRevealSecret,
  portalRotateSecret,
  portalSendTest,
  portalSetEnabled,
  portalUpdateEndpoint,
} from "@/lib/features/portal/actions";

async function unwrap<T>(result: Promise<{ ok: true; data: T } | { ok: false; error: { message: string } }>): Promise<T> {
  const settled = await result;
  if (!settled.ok) throw new Error(settled.error.message);
  return settled.data;
}

/** The console's endpoint screens, wired to the portal's token-scoped actions. */
export function PortalOpsProvider({ token, children }: { token: string; children: ReactNode }) {
  const ops = useMemo<EndpointOps>(
    () => ({
      create: (input) => portalCreateEndpoint(token, input),
      update: (input) => portalUpdateEndpoint(token, input),
      setEnabled: (input) => portalSetEnabled(token, input),
      sendTest: (input) => portalSendTest(token, input),
      resend: (input) => portalResend(token, input),
      recover: (input) => portalRecover(token, input),
      recoveryProgress: (input) => portalRecoveryProgress(token, input),
      revealSecret: (input) => portalRevealSecret(token, input),
      rotateSecret: (input) => portalRotateSecret(token, input),
      listAttempts: (id) => unwrap(portalListAttempts(token, { id })),
      getMessage: (id) => unwrap(portalGetMessage(token, { id })),
      href: (path) => `/portal/${token}${path === "/endpoints" ? "" : path}`,
      portal: true,
    }),
    [token],
  );
  return <EndpointOpsProvider value={ops}>{children}</EndpointOpsProvider>;
}
