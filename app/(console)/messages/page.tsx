import { Mail } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Messages" };

export default function Page() {
  return (
    <>
      <PageHeader title="Messages" description="Every event your application published, with its deliveries." />
      <EmptyState icon={Mail} title="Coming soon">
        The message log lands with the console issue.
      </EmptyState>
    </>
  );
}
