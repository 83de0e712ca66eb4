import { notFound } from "next/navigation";
import { AppError } from "@/lib/errors";
import { getMessage } from "@/lib/features/messages/queries";
import { PortalMessage } from "@/lib/features/portal/components/portal-message";
import { portalSession } from "@/lib/features/portal/session";

export default async function PortalMessagePage({ params }: { params: Promise<{ token: string; id: string }> }) {
  const { token, id } = await params;
  const session = await portalSession(token);
  if ("refused" in session) return null;
  // Scoped to the session's account: another account's (or workspace's) message is not found.
  const message = await getMessage(session.ctx, id).catch((error: unknown) => {
    if (error instanceof AppError && error.status === 404) notFound();
    throw error;
  });
  return <PortalMessage message={message} token={session.token} canWrite={!session.readOnly} />;
}
