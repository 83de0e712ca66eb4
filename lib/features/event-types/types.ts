import type { EventTypeDto } from "@/lib/features/event-types/service";
import type { RetryPolicy, SignatureConfig } from "@/lib/delivery/schemas";

export type EventType = EventTypeDto;

/** What the import dialog shows of a preset (built on the server from lib/features/event-types/presets). */
export type PresetSummary = {
  id: string;
  name: string;
  description: string;
  events: string[];
  endpoint: { signature: SignatureConfig; retryPolicy: RetryPolicy; timeoutMs: number };
};
