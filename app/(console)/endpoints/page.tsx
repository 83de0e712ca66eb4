import { Plus, Webhook } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { Input, Label } from "@/components/ui/inputs";
import { OpenPortalButton } from "@/lib/features/accounts/components/open-portal-button";
import { EndpointsTable } from "@/lib/features/endpoints/components/endpoints-table";
import { buttonClasses } from "@/components/ui/link-button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireSessionContext } from "@/lib/auth/session";
import { hasRole } from "@/lib/context";
import { listEndpointsWithStats } from "@/lib/features/endpoints/queries";

export const metadata: Metadata = { title: "Endpoints" };

export default async function EndpointsPage({ searchParams }: { searchParams: Promise<{ account?: string }> }) {
  const ctx = await requireSessionContext();
  const { account } = await searchParams;
  const owner = typeof account === "string" ? account.trim() : undefined;
  const endpoints = await listEndpointsWithStats(ctx, owner === undefined ? {} : { account: owner });
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
      <form method="get" role="search" aria-label="Filter endpoints by owner" className="mb-4 flex flex-wrap items-end gap-2">
        <div>
          <Label htmlFor="owner-filter" hint="empty: workspace-wide only">Owner account</Label>
          <Input id="owner-filter" name="account" defaultValue={owner ?? ""} placeholder="acc_1" className="w-56 font-mono" />
        </div>
        <button type="submit" className={buttonClasses("secondary")}>Filter</button>
        {owner !== undefined && (
          <Link href="/endpoints" className="px-2 py-2 text-sm text-brand-700 hover:underline">Show all</Link>
        )}
        {owner && <OpenPortalButton account={owner} disabled={!canWrite} />}
      </form>
      {endpoints.length === 0 && owner !== undefined ? (
        <EmptyState icon={Webhook} title={owner ? `No endpoints owned by ${owner}` : "No workspace-wide endpoints"}>
          {owner ? "The account adds its own in the portal, or you add one with this owner account." : "Every endpoint belongs to an account."}
        </EmptyState>
      ) : endpoints.length === 0 ? (
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
