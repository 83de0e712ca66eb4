import { Settings } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Settings" };

export default function Page() {
  return (
    <>
      <PageHeader title="Settings" description="API keys, members and roles, workspace name." />
      <EmptyState icon={Settings} title="Coming soon">
        Settings land with the console issue.
      </EmptyState>
    </>
  );
}
