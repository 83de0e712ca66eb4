import { Activity } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Runs" };

export default function Page() {
  return (
    <>
      <PageHeader title="Runs" description="Inngest function runs on the local engine: what is running, sleeping until a retry, or failed." />
      <EmptyState icon={Activity} title="Coming soon">
        The run view lands with the console issue; GET /api/v1/runs already lists them.
      </EmptyState>
    </>
  );
}
