"use server";

import { action } from "@/lib/actions/safe-action";
import { fireSampleEvent } from "@/lib/features/playground/fire";
import type { PlaygroundFireInput } from "@/lib/features/playground/schema";

/** Publishes like the host application's own server actions do, and explains each endpoint's routing. */
export const firePlaygroundEventAction = action((ctx, input: PlaygroundFireInput) => fireSampleEvent(ctx, input));
