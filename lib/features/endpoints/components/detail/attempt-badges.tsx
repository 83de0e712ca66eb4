import { Badge } from "@/components/ui/badge";

/** The status code (2xx green, others red) or, when no response came back, the error code. */
export function ResultBadge({ outcome, responseStatus, errorCode }: { outcome: "success" | "failure"; responseStatus: number | null; errorCode: string | null }) {
  if (responseStatus !== null) return <Badge tone={outcome === "success" ? "success" : "danger"}><span className="font-mono">{responseStatus}</span></Badge>;
  return <Badge tone="danger"><span className="font-mono">{errorCode ?? "ERROR"}</span></Badge>;
}

const TRIGGERS: Record<string, { label: string; tone: "neutral" | "info" | "warning" }> = {
  SCHEDULED: { label: "Scheduled", tone: "neutral" },
  MANUAL: { label: "Resend", tone: "warning" },
  TEST: { label: "Test", tone: "info" },
};

export function TriggerBadge({ trigger }: { trigger: string }) {
  const known = TRIGGERS[trigger] ?? { label: trigger, tone: "neutral" as const };
  return <Badge tone={known.tone}>{known.label}</Badge>;
}
