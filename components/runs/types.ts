/** GET /api/v1/runs items (inngest/engine/runs.ts RunView), as JSON. */
export type RunStatus = "RUNNING" | "SLEEPING" | "COMPLETED" | "FAILED" | "CANCELLED";

export type Run = {
  id: string;
  functionId: string;
  status: RunStatus;
  event: { id: string; name: string; data: unknown; ts: number };
  currentStep: string | null;
  nextWakeAt: string | null;
  attempt: number;
  output: unknown;
  error: unknown;
  startedAt: string;
  endedAt: string | null;
  steps: { id: string; name: string | null; op: string; status: "completed" | "failed"; attempt: number; at: string }[];
};

export type RunsPage = { data: Run[]; nextCursor: string | null };

export const RUN_STATUSES: RunStatus[] = ["RUNNING", "SLEEPING", "COMPLETED", "FAILED", "CANCELLED"];

/** The functions in inngest/functions/, as the SDK names them (`<app id>-<function id>`). */
export const RUN_FUNCTIONS = [
  { id: "hookline-deliver", label: "Deliver" },
  { id: "hookline-resend", label: "Resend" },
  { id: "hookline-recover", label: "Recover" },
  { id: "hookline-sweep", label: "Sweep (every minute)" },
] as const;
