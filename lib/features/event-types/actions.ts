"use server";

import { action } from "@/lib/actions/safe-action";
import type { EventTypeCreateInput, EventTypeUpdateInput } from "@/lib/features/event-types/schema";
import { createEventType, importPreset, updateEventType } from "@/lib/features/event-types/service";

export const createEventTypeAction = action((ctx, input: EventTypeCreateInput) => createEventType(ctx, input));

export const updateEventTypeAction = action((ctx, input: { name: string; changes: EventTypeUpdateInput }) =>
  updateEventType(ctx, String(input.name), input.changes),
);

export const setEventTypeArchivedAction = action((ctx, input: { name: string; archived: boolean }) =>
  updateEventType(ctx, String(input.name), { archived: input.archived }),
);

export const importPresetAction = action((ctx, input: { preset: string }) => importPreset(ctx, String(input.preset)));
