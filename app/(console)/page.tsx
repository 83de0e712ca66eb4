import { LayoutDashboard } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireSessionContext } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const ctx = await requireSessionContext();
  return (
    <>
      <PageHeader title="Overview" description={`Delivery health of ${ctx.workspaceName}.`} />
      <EmptyState icon={LayoutDashboard} title="No deliveries yet">
        Delivery volume, success rate and failing endpoints will show here once your application publishes events.
      </EmptyState>
    </>
  );
}
