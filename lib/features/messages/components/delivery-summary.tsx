import { Badge, type BadgeTone } from "@/components/ui/badge";

const ORDER = ["SUCCEEDED", "FAILED", "PENDING", "SENDING", "PAUSED", "CANCELLED"];

export function statusTone(status: string): BadgeTone {
  if (status === "SUCCEEDED") return "success";
  if (status === "FAILED") return "danger";
  if (status === "PAUSED" || status === "CANCELLED") return "warning";
  return "info";
}

export function statusLabel(status: string): string {
  return status.charAt(0) + status.slice(1).toLowerCase();
}

/** "2 Succeeded · 1 Failed": one small badge per delivery status, in a stable order. */
export function DeliverySummary({ deliveries }: { deliveries: ReadonlyArray<{ status: string }> }) {
  if (deliveries.length === 0) return <span className="text-xs text-zinc-500">No endpoint matched</span>;
  const counts = new Map<string, number>();
  for (const { status } of deliveries) counts.set(status, (counts.get(status) ?? 0) + 1);
  const statuses = [...counts.keys()].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
  return (
    <span className="flex flex-wrap gap-1" aria-label={statuses.map((status) => `${counts.get(status)} ${statusLabel(status)}`).join(", ")}>
      {statuses.map((status) => (
        <Badge key={status} tone={statusTone(status)}>
          {counts.get(status)} {statusLabel(status)}
        </Badge>
      ))}
    </span>
  );
}
