import { Inbox } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { MessageTable } from "@/lib/features/messages/components/message-table";
import { listMessages } from "@/lib/features/messages/queries";
import { portalSession } from "@/lib/features/portal/session";

export default async function PortalMessagesPage({ params }: { params: Promise<{ token: string }> }) {
  const session = await portalSession((await params).token);
  if ("refused" in session) return null;
  const page = await listMessages(session.ctx, { limit: 50, includeTests: "true" });
  return (
    <>
      <PageHeader title="Messages" description="The latest events we sent you, and how each of your endpoints answered." />
      {page.data.length === 0 ? (
        <EmptyState icon={Inbox} title="No messages yet">Events appear here as soon as they happen.</EmptyState>
      ) : (
        <MessageTable messages={page.data} basePath={`/portal/${session.token}/messages`} />
      )}
    </>
  );
}
