import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import type { PlaygroundTemplate } from "@/lib/features/playground/types";
import { requireSessionContext } from "@/lib/auth/session";
import { listEndpoints } from "@/lib/features/endpoints/service";
import { eventTypePresets } from "@/lib/features/event-types/presets";
import { listEventTypes } from "@/lib/features/event-types/service";
import { PlaygroundClient } from "@/lib/features/playground/components/playground-client";

export const metadata: Metadata = { title: "Playground" };

export default async function Page() {
  const ctx = await requireSessionContext();
  const [eventTypes, endpoints] = await Promise.all([listEventTypes(ctx), listEndpoints(ctx)]);
  // The catalog first; a preset's example fills in for a typed name that is not imported (yet).
  const templates: PlaygroundTemplate[] = eventTypes.map((eventType) => ({
    name: eventType.name,
    description: eventType.description,
    example: (eventType.examplePayload as Record<string, unknown> | null) ?? null,
    inCatalog: true,
  }));
  const known = new Set(templates.map((template) => template.name));
  for (const preset of eventTypePresets) {
    for (const event of preset.events) {
      if (!known.has(event.name)) {
        known.add(event.name);
        templates.push({ name: event.name, description: event.description, example: event.example, inCatalog: false });
      }
    }
  }
  return (
    <>
      <PageHeader
        title="Playground"
        description="Fire a sample event through the same publish path your application’s server actions use, and see which endpoints it reached and why."
      />
      <PlaygroundClient templates={templates} endpointCount={endpoints.length} canWrite={ctx.role !== "VIEWER"} />
    </>
  );
}
