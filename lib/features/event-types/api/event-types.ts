"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap } from "@/lib/actions/unwrap";
import { apiFetch } from "@/lib/api-client";
import { queryKeys } from "@/lib/query-keys";
import { createEventTypeAction, importPresetAction, setEventTypeArchivedAction, updateEventTypeAction } from "../actions";
import type { EventType } from "../types";

export type EventTypeValues = {
  name: string;
  description: string;
  examplePayload: Record<string, unknown> | null;
  schema: Record<string, unknown> | null;
};

/** The whole catalog, archived included (the event types page filters it client-side). */
export function useEventTypeCatalog(initial: EventType[]) {
  return useQuery({
    queryKey: queryKeys.eventTypes.catalog(),
    queryFn: async () => (await apiFetch<{ data: EventType[] }>("/event-types?includeArchived=true")).data,
    initialData: initial,
  });
}

/** Every event-type mutation refreshes the whole family: other pages' pickers read the same catalog. */
function useInvalidateCatalog() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: queryKeys.eventTypes.all });
}

/** Creates an event type, or (with `editing`, its name) changes its description, example and schema. */
export function useSaveEventType(editing: string | null) {
  const invalidate = useInvalidateCatalog();
  return useMutation({
    mutationFn: (values: EventTypeValues) =>
      unwrap(
        editing
          ? updateEventTypeAction({ name: editing, changes: { description: values.description, examplePayload: values.examplePayload, schema: values.schema } })
          : createEventTypeAction(values),
      ),
    onSuccess: invalidate,
  });
}

/** Adds a product preset's event types (the existing ones are skipped). */
export function useImportPreset() {
  const invalidate = useInvalidateCatalog();
  return useMutation({ mutationFn: (preset: string) => unwrap(importPresetAction({ preset })), onSuccess: invalidate });
}

/** Archives (hides from pickers, keeps history) or unarchives an event type. */
export function useSetArchived() {
  const invalidate = useInvalidateCatalog();
  return useMutation({
    mutationFn: (input: { name: string; archived: boolean }) => unwrap(setEventTypeArchivedAction(input)),
    onSuccess: invalidate,
  });
}
