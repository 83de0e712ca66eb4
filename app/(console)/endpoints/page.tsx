import { Plus, Webhook } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { EndpointsTable } from "@/lib/features/endpoints/components/endpoints-table";
import { buttonClasses } from "@/components/ui/link-button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireSessionContext } from "@/lib/auth/session";
import { hasRole } from "@/lib/context";
import { listEndpointsWithStats } from "@/lib/features/endpoints/queries";

export const metadata: Metadata = { title: "Endpoints" };

export default async function EndpointsPage() {
  const ctx = await requireSessionContext();
  const endpoints = await listEndpointsWithStats(ctx);
  const canWrite = hasRole(ctx, "ADMIN");
  const addButton = canWrite ? (
    <Link href="/endpoints/new" className={buttonClasses("primary")}>
      <Plus className="size-4" aria-hidden />
      Add an endpoint
    </Link>
  ) : null;

  return (
    <>
      <PageHeader
        title="Endpoints"
        description="The URLs your customers gave you, which events they receive, and how each delivery went."
        actions={endpoints.length ? addButton : undefined}
      />
      {endpoints.length === 0 ? (
        <EmptyState icon={Webhook} title="No endpoints yet" action={addButton}>
          <p>
            An endpoint is a URL on your customer&apos;s side — their CRM, a Zapier hook, their own server — that receives
            your events as signed HTTP POST requests. Choose which event types it gets, filter by account or payload, and
            Hookline retries failed deliveries on its schedule.
          </p>
          {!canWrite && <p className="mt-2">Ask an admin of this workspace to add one.</p>}
        </EmptyState>
      ) : (
        <EndpointsTable endpoints={endpoints} />
      )}
    </>
  );
}
