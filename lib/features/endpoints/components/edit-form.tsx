"use client";

import { EndpointForm } from "@/lib/features/endpoints/components/endpoint-form";
import type { EndpointFormValues } from "@/lib/features/endpoints/form-model";
import type { CatalogEventType } from "@/lib/features/endpoints/types";
import { useEndpointOps } from "../api/ops";

export function EditForm({ id, catalog, defaultValues }: { id: string; catalog: CatalogEventType[]; defaultValues: EndpointFormValues }) {
  const ops = useEndpointOps();
  return (
    <EndpointForm
      mode="edit"
      catalog={catalog}
      defaultValues={defaultValues}
      endpointId={id}
      cancelHref={ops.href(`/endpoints/${id}`)}
    />
  );
}
