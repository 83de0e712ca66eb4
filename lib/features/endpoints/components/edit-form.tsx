"use client";

import { EndpointForm } from "@/lib/features/endpoints/components/endpoint-form";
import type { EndpointFormValues } from "@/lib/features/endpoints/form-model";
import type { CatalogEventType } from "@/lib/features/endpoints/types";
import { updateEndpointAction } from "../actions";

export function EditForm({ id, catalog, defaultValues }: { id: string; catalog: CatalogEventType[]; defaultValues: EndpointFormValues }) {
  return (
    <EndpointForm
      mode="edit"
      catalog={catalog}
      defaultValues={defaultValues}
      onSubmit={(input) => updateEndpointAction({ id, patch: input })}
      cancelHref={`/endpoints/${id}`}
    />
  );
}
