// A type-only import: erased at build time, so the engine's server code never reaches the browser.
import type { RunStatus, RunView } from "@/inngest/engine/runs";

export type { RunStatus };
/** GET /api/v1/runs items, as JSON. */
export type Run = RunView;

export type RunsPage = { data: Run[]; nextCursor: string | null };

export const RUN_STATUSES: RunStatus[] = ["RUNNING", "SLEEPING", "COMPLETED", "FAILED", "CANCELLED"];

/** The functions in inngest/functions/, as the SDK names them (`<app id>-<function id>`). */
export const RUN_FUNCTIONS = [
  { id: "hookline-deliver-batch", label: "Deliver (batched attempts)" },
  { id: "hookline-deliver-retries", label: "Retries (per endpoint)" },
  { id: "hookline-deliver", label: "Deliver (a retry's own run)" },
  { id: "hookline-deliver-backlog", label: "Backlog (per endpoint)" },
  { id: "hookline-resend", label: "Resend" },
  { id: "hookline-recover", label: "Recover" },
  { id: "hookline-sweep", label: "Sweep (every minute)" },
] as const;
