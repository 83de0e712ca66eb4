import { ListTree } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Event types" };

export default function Page() {
  return (
    <>
      <PageHeader title="Event types" description="The catalog of events your application publishes." />
      <EmptyState icon={ListTree} title="Coming soon">
        The event catalog lands with the console issue.
      </EmptyState>
    </>
  );
}
