"use server";

import { action } from "@/lib/actions/safe-action";
import { updateEndpoint } from "@/lib/endpoints/service";
import type { EndpointUpdateInput } from "@/lib/endpoints/schema";

export const updateEndpointAction = action(async (ctx, { id, patch }: { id: string; patch: EndpointUpdateInput }) =>
  updateEndpoint(ctx, id, patch),
);
