"use client";

import { EndpointForm } from "@/lib/features/endpoints/components/endpoint-form";
import { useEndpointOps } from "@/lib/features/endpoints/api/ops";
import type { EndpointFormValues } from "@/lib/features/endpoints/form-model";
import type { CatalogEventType } from "@/lib/features/endpoints/types";

/** The console's endpoint form, submitting through the portal's actions (bound to its token). */
export function PortalCreateForm({ catalog, defaultValues }: { catalog: CatalogEventType[]; defaultValues: EndpointFormValues }) {
  const ops = useEndpointOps();
  return <EndpointForm mode="create" catalog={catalog} defaultValues={defaultValues} cancelHref={ops.href("/endpoints")} />;
}
