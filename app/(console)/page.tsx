import type { Metadata } from "next";
import { AutoRefresh } from "@/lib/features/overview/components/auto-refresh";
import { DeliveryChart } from "@/lib/features/overview/components/delivery-chart";
import { AttentionPanel, GettingStarted, KpiCards, RecentFailuresPanel } from "@/lib/features/overview/components/panels";
import { PageHeader } from "@/components/ui/page-header";
import { requireSessionContext } from "@/lib/auth/session";
import { hasRole } from "@/lib/context";
import { getOverview } from "@/lib/features/overview/queries";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const ctx = await requireSessionContext();
  // Awaited whole rather than streamed: a few indexed aggregates, and the console's loading.tsx covers navigation.
  const overview = await getOverview(ctx);
  return (
    <>
      <PageHeader title="Overview" description={`How deliveries from ${ctx.workspaceName} are doing.`} />
      <AutoRefresh seconds={30} />
      {!overview.hasDeliveries ? (
        <GettingStarted setup={overview.setup} canWrite={hasRole(ctx, "ADMIN")} />
      ) : (
        <div className="space-y-6">
          <KpiCards kpis={overview.kpis} />
          <DeliveryChart hourly={overview.series.hourly} daily={overview.series.daily} />
          <AttentionPanel endpoints={overview.attention} />
          <RecentFailuresPanel failures={overview.recentFailures} />
        </div>
      )}
    </>
  );
}
