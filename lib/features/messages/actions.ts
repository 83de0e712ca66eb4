"use server";

import { action } from "@/lib/actions/safe-action";
import { resendDeliveries } from "@/lib/delivery/resend";

/** Queues one manual attempt of a delivery now (the `resend` function runs it). */
export const resendDeliveryAction = action((ctx, input: { deliveryId: string }) => resendDeliveries(ctx, [String(input.deliveryId)]));
