import type { EventTypePreset } from "./presets";
import type { EventTypeDto } from "@/lib/features/event-types/service";

export type EventType = EventTypeDto;

/** What the import dialog shows of a preset (built on the server from lib/features/event-types/presets). */
export type PresetSummary = {
  id: string;
  name: string;
  description: string;
  events: string[];
  endpoint: EventTypePreset["endpoint"];
};
