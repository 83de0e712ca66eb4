import type { Metadata } from "next";
import type { ReactNode } from "react";
import { PortalOpsProvider } from "@/lib/features/portal/components/portal-ops";
import { PortalRefused, PortalShell } from "@/lib/features/portal/components/portal-shell";
import { portalSession } from "@/lib/features/portal/session";

type Params = { params: Promise<{ token: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const session = await portalSession((await params).token);
  const name = "refused" in session ? "Webhooks" : `${session.settings.productName || session.workspaceName} · Webhooks`;
  // `absolute`: the console's "· Hookline" title suffix is not for the product's customers.
  return { title: { absolute: name }, robots: { index: false, follow: false }, referrer: "no-referrer" };
}

export default async function PortalLayout({ params, children }: Params & { children: ReactNode }) {
  const session = await portalSession((await params).token);
  if ("refused" in session) return <PortalRefused reason={session.refused} />;
  return (
    <PortalShell settings={session.settings} workspaceName={session.workspaceName} token={session.token} readOnly={session.readOnly}>
      <PortalOpsProvider token={session.token}>{children}</PortalOpsProvider>
    </PortalShell>
  );
}
