import { Lock } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { fromEndpoint } from "@/lib/features/endpoints/form-model";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireSessionContext } from "@/lib/auth/session";
import { hasRole } from "@/lib/context";
import { getEndpoint } from "@/lib/features/endpoints/service";
import { listEventTypes } from "@/lib/features/event-types/service";
import { AppError } from "@/lib/errors";
import { EditForm } from "@/lib/features/endpoints/components/edit-form";

export const metadata: Metadata = { title: "Edit endpoint" };

export default async function EditEndpointPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await requireSessionContext();
  const endpoint = await getEndpoint(ctx, id).catch((error) => {
    if (error instanceof AppError && error.status === 404) notFound();
    throw error;
  });
  if (!hasRole(ctx, "ADMIN")) {
    return (
      <EmptyState icon={Lock} title="Viewers cannot edit endpoints" action={<Link href={`/endpoints/${id}`} className="text-sm font-medium text-brand-700 underline">Back to the endpoint</Link>}>
        Ask an admin of {ctx.workspaceName} to change it.
      </EmptyState>
    );
  }
  const catalog = await listEventTypes(ctx);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-zinc-500">
        <Link href="/endpoints" className="hover:text-zinc-800">Endpoints</Link> <span aria-hidden>/</span>{" "}
        <Link href={`/endpoints/${id}`} className="hover:text-zinc-800">{endpoint.title}</Link> <span aria-hidden>/</span> Edit
      </nav>
      <PageHeader title={`Edit ${endpoint.title}`} />
      <EditForm
        id={id}
        catalog={catalog.map(({ name, description, preset, examplePayload }) => ({ name, description, preset, examplePayload }))}
        defaultValues={fromEndpoint(endpoint)}
      />
    </>
  );
}
