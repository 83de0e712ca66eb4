"use server";

import { action } from "@/lib/actions/safe-action";
import { resendDeliveries } from "@/lib/delivery/resend";
import { parseId } from "@/lib/validation";

/** Queues one manual attempt of a delivery now (the `resend` function runs it). */
export const resendDeliveryAction = action((ctx, input: { deliveryId: string }) => resendDeliveries(ctx, [parseId(input.deliveryId, "deliveryId")]));
