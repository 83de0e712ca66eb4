import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { AppError } from "@/lib/errors";
import { EditForm } from "@/lib/features/endpoints/components/edit-form";
import { fromEndpoint } from "@/lib/features/endpoints/form-model";
import { getEndpoint } from "@/lib/features/endpoints/service";
import { listEventTypes } from "@/lib/features/event-types/service";
import { portalSession } from "@/lib/features/portal/session";

export default async function PortalEditEndpointPage({ params }: { params: Promise<{ token: string; id: string }> }) {
  const { token, id } = await params;
  const session = await portalSession(token);
  if ("refused" in session) return null;
  if (session.readOnly) notFound();
  const endpoint = await getEndpoint(session.ctx, id).catch((error) => {
    if (error instanceof AppError && error.status === 404) notFound();
    throw error;
  });
  const catalog = await listEventTypes(session.ctx);
  return (
    <>
      <PageHeader title={`Edit ${endpoint.title}`} />
      <EditForm
        id={endpoint.id}
        catalog={catalog.map(({ name, description, preset, examplePayload }) => ({ name, description, preset, examplePayload }))}
        defaultValues={fromEndpoint(endpoint)}
      />
    </>
  );
}
