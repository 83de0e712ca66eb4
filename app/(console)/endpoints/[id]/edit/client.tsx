"use client";

import { EndpointForm } from "@/components/endpoints/endpoint-form";
import type { EndpointFormValues } from "@/components/endpoints/form-model";
import type { CatalogEventType } from "@/components/endpoints/types";
import { updateEndpointAction } from "./actions";

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
