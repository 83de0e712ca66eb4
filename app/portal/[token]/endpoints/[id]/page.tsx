import { notFound } from "next/navigation";
import { AppError } from "@/lib/errors";
import { EndpointDetail } from "@/lib/features/endpoints/components/endpoint-detail";
import { getEndpoint } from "@/lib/features/endpoints/service";
import { listEventTypes } from "@/lib/features/event-types/service";
import { portalSession } from "@/lib/features/portal/session";

export default async function PortalEndpointPage({ params }: { params: Promise<{ token: string; id: string }> }) {
  const { token, id } = await params;
  const session = await portalSession(token);
  if ("refused" in session) return null;
  const endpoint = await getEndpoint(session.ctx, id).catch((error) => {
    if (error instanceof AppError && error.status === 404) notFound();
    throw error;
  });
  const catalog = await listEventTypes(session.ctx);
  return (
    <EndpointDetail
      endpoint={endpoint}
      canWrite={!session.readOnly}
      catalog={catalog.map(({ name, description, preset, examplePayload }) => ({ name, description, preset, examplePayload }))}
    />
  );
}
