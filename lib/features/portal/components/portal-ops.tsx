"use client";

import { useMemo, type ReactNode } from "react";
import { unwrap } from "@/lib/actions/unwrap";
import { EndpointOpsProvider, type EndpointOps } from "@/lib/features/endpoints/api/ops";
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

/** The console's endpoint screens, wired to the portal's token-scoped actions. */
export function PortalOpsProvider({ token, children }: { token: string; children: ReactNode }) {
  const ops = useMemo<EndpointOps>(
    () => ({
      create: (input) => unwrap(portalCreateEndpoint(token, input)),
      update: (input) => unwrap(portalUpdateEndpoint(token, input)),
      setEnabled: (input) => unwrap(portalSetEnabled(token, input)),
      sendTest: (input) => unwrap(portalSendTest(token, input)),
      resend: (input) => unwrap(portalResend(token, input)),
      recover: (input) => unwrap(portalRecover(token, input)),
      recoveryProgress: (input) => unwrap(portalRecoveryProgress(token, input)),
      revealSecret: (input) => unwrap(portalRevealSecret(token, input)),
      rotateSecret: (input) => unwrap(portalRotateSecret(token, input)),
      listAttempts: (id) => unwrap(portalListAttempts(token, { id })),
      getMessage: (id) => unwrap(portalGetMessage(token, { id })),
      href: (path) => `/portal/${token}${path === "/endpoints" ? "" : path}`,
      portal: true,
    }),
    [token],
  );
  return <EndpointOpsProvider value={ops}>{children}</EndpointOpsProvider>;
}
