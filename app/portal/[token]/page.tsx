import { Plus, Webhook } from "lucide-react";
import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { buttonClasses } from "@/components/ui/link-button";
import { PageHeader } from "@/components/ui/page-header";
import { EndpointsTable } from "@/lib/features/endpoints/components/endpoints-table";
import { listEndpointsWithStats } from "@/lib/features/endpoints/queries";
import { portalSession } from "@/lib/features/portal/session";

export default async function PortalEndpointsPage({ params }: { params: Promise<{ token: string }> }) {
  const session = await portalSession((await params).token);
  if ("refused" in session) return null;
  const endpoints = await listEndpointsWithStats(session.ctx);
  const base = `/portal/${session.token}`;
  const addButton = session.readOnly ? null : (
    <Link href={`${base}/endpoints/new`} className={buttonClasses("primary")}>
      <Plus className="size-4" aria-hidden />
      Add an endpoint
    </Link>
  );
  return (
    <>
      <PageHeader title="Webhook endpoints" description="URLs of yours that receive our events as signed HTTP POST requests." actions={endpoints.length ? addButton : undefined} />
      {endpoints.length === 0 ? (
        <EmptyState icon={Webhook} title="No endpoints yet" action={addButton}>
          Add the URL of your server, CRM or automation tool, choose the events it should receive, and see every delivery here.
        </EmptyState>
      ) : (
        <EndpointsTable endpoints={endpoints} hrefBase={base} showOwner={false} />
      )}
    </>
  );
}
