import { Badge } from "@/components/ui/badge";

/** Event types as chips; an empty list means the endpoint receives every event type. */
export function EventChips({ eventTypes, max = 3 }: { eventTypes: string[]; max?: number }) {
  if (eventTypes.length === 0) return <Badge tone="info">All events</Badge>;
  const shown = eventTypes.slice(0, max);
  return (
    <span className="flex min-w-0 flex-wrap gap-1">
      {shown.map((name) => (
        <Badge key={name} className="max-w-full font-mono">
          {/* A long name ends in "…" inside its cell instead of running over the next column. */}
          <span className="min-w-0 truncate" title={name}>
            {name}
          </span>
        </Badge>
      ))}
      {eventTypes.length > max && (
        <span title={eventTypes.slice(max).join(", ")}>
          <Badge>+{eventTypes.length - max} more</Badge>
        </span>
      )}
    </span>
  );
}
