"use server";

import { z } from "zod";
import { action } from "@/lib/actions/safe-action";
import { eventTypeNameSchema } from "@/lib/delivery/schemas";
import type { EventTypeCreateInput, EventTypeUpdateInput } from "@/lib/features/event-types/schema";
import { createEventType, importPreset, updateEventType } from "@/lib/features/event-types/service";
import { parseWith } from "@/lib/validation";

// A name left out must not become the event type literally named "undefined".
const nameOf = (input: { name: unknown }) => parseWith(z.object({ name: eventTypeNameSchema }), input).name;

export const createEventTypeAction = action((ctx, input: EventTypeCreateInput) => createEventType(ctx, input));

export const updateEventTypeAction = action((ctx, input: { name: string; changes: EventTypeUpdateInput }) =>
  updateEventType(ctx, nameOf(input), input.changes),
);

export const setEventTypeArchivedAction = action((ctx, input: { name: string; archived: boolean }) =>
  updateEventType(ctx, nameOf(input), { archived: input.archived }),
);

export const importPresetAction = action((ctx, input: { preset: string }) => importPreset(ctx, String(input.preset)));
