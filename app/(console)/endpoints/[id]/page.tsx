import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requireSessionContext } from "@/lib/auth/session";
import { hasRole } from "@/lib/context";
import { getEndpoint } from "@/lib/features/endpoints/service";
import { listEventTypes } from "@/lib/features/event-types/service";
import { AppError } from "@/lib/errors";
import { EndpointDetail } from "@/lib/features/endpoints/components/endpoint-detail";

export const metadata: Metadata = { title: "Endpoint" };

export default async function EndpointPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await requireSessionContext();
  const endpoint = await getEndpoint(ctx, id).catch((error) => {
    if (error instanceof AppError && error.status === 404) notFound();
    throw error;
  });
  const catalog = await listEventTypes(ctx);
  return (
    <EndpointDetail
      endpoint={endpoint}
      canWrite={hasRole(ctx, "ADMIN")}
      catalog={catalog.map(({ name, description, preset, examplePayload }) => ({ name, description, preset, examplePayload }))}
    />
  );
}
