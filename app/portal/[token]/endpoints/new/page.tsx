import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { emptyFormValues } from "@/lib/features/endpoints/form-model";
import { listEventTypes } from "@/lib/features/event-types/service";
import { PortalCreateForm } from "@/lib/features/portal/components/portal-forms";
import { portalSession } from "@/lib/features/portal/session";

export default async function PortalNewEndpointPage({ params }: { params: Promise<{ token: string }> }) {
  const session = await portalSession((await params).token);
  if ("refused" in session) return null;
  if (session.readOnly) notFound();
  const catalog = await listEventTypes(session.ctx);
  return (
    <>
      <PageHeader title="Add an endpoint" description="Where we send your events, which ones, and under which conditions." />
      <PortalCreateForm
        catalog={catalog.map(({ name, description, preset, examplePayload }) => ({ name, description, preset, examplePayload }))}
        defaultValues={emptyFormValues}
      />
    </>
  );
}
