import { Lock } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { EndpointForm } from "@/lib/features/endpoints/components/endpoint-form";
import { emptyFormValues } from "@/lib/features/endpoints/form-model";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireSessionContext } from "@/lib/auth/session";
import { hasRole } from "@/lib/context";
import { listEventTypes } from "@/lib/features/event-types/service";

export const metadata: Metadata = { title: "Add an endpoint" };

export default async function NewEndpointPage() {
  const ctx = await requireSessionContext();
  if (!hasRole(ctx, "ADMIN")) {
    return (
      <EmptyState icon={Lock} title="Viewers cannot add endpoints" action={<Link href="/endpoints" className="text-sm font-medium text-brand-700 underline">Back to endpoints</Link>}>
        Ask an admin of {ctx.workspaceName} to add it, or to give you the admin role.
      </EmptyState>
    );
  }
  const catalog = await listEventTypes(ctx);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-zinc-500">
        <Link href="/endpoints" className="hover:text-zinc-800">Endpoints</Link> <span aria-hidden>/</span> New
      </nav>
      <PageHeader title="Add an endpoint" description="A URL that receives your events as signed HTTP POST requests." />
      <EndpointForm
        mode="create"
        catalog={catalog.map(({ name, description, preset, examplePayload }) => ({ name, description, preset, examplePayload }))}
        defaultValues={emptyFormValues}
        cancelHref="/endpoints"
      />
    </>
  );
}
