"use server";

import { action } from "@/lib/actions/safe-action";
import { createEndpoint } from "@/lib/endpoints/service";
import type { EndpointCreateInput } from "@/lib/endpoints/schema";

/** Returns the new endpoint with its secret: the only time it is shown without a reveal. */
export const createEndpointAction = action(async (ctx, input: EndpointCreateInput) => createEndpoint(ctx, input));
