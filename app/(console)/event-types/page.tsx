import type { Metadata } from "next";
import type { PresetSummary } from "@/lib/features/event-types/types";
import { requireSessionContext } from "@/lib/auth/session";
import { eventTypePresets } from "@/lib/features/event-types/presets";
import { listEventTypes } from "@/lib/features/event-types/service";
import { EventTypesClient } from "@/lib/features/event-types/components/event-types-client";

export const metadata: Metadata = { title: "Event types" };

export default async function Page() {
  const ctx = await requireSessionContext();
  const eventTypes = await listEventTypes(ctx, { includeArchived: true });
  // Only what the dialog shows: the example payloads stay on the server until imported.
  const presets: PresetSummary[] = eventTypePresets.map(({ id, name, description, endpoint, events }) => ({
    id,
    name,
    description,
    endpoint,
    events: events.map((event) => event.name),
  }));
  return <EventTypesClient initial={eventTypes} presets={presets} canWrite={ctx.role !== "VIEWER"} />;
}
