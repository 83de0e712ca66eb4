import { Webhook } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Endpoints" };

export default function Page() {
  return (
    <>
      <PageHeader title="Endpoints" description="The URLs your customers gave you, which events they receive, and how each delivery went." />
      <EmptyState icon={Webhook} title="Coming soon">
        Endpoint management lands with the console issue. Until then, create endpoints with the HTTP API (POST /api/v1/endpoints).
      </EmptyState>
    </>
  );
}
