/** Read side of the engine for operators: what each run is doing or did. */
import pg from "pg";

export type RunStatus = "RUNNING" | "SLEEPING" | "COMPLETED" | "FAILED" | "CANCELLED";

export type RunView = {
  id: string;
  functionId: string;
  status: RunStatus;
  event: { id: string; name: string; data: unknown; ts: number };
  /** display name of the step it is on, waiting for, or last ran */
  currentStep: string | null;
  /** when a sleep ends or a retry is due */
  nextWakeAt: string | null;
  /** attempt number (from 0) of the current step's call */
  attempt: number;
  output: unknown;
  /** the final error, or while RUNNING the last failed attempt's */
  error: unknown;
  startedAt: string;
  endedAt: string | null;
  steps: { id: string; name: string | null; op: string; status: "completed" | "failed"; attempt: number; at: string }[];
};

export type ListRunsQuery = {
  status?: RunStatus;
  functionId?: string;
  eventName?: string;
  limit?: number;
  cursor?: string | null;
  /**
   * Only runs whose event belongs to a tenant: its `data.workspaceId`, else its
   * `data.endpointId` among `endpointIds`; events with neither only if `includeUnscoped`.
   * Applied in SQL, before LIMIT, so a page is never short of the caller's runs.
   */
  scope?: { workspaceId: string; endpointIds: string[]; includeUnscoped: boolean };
};

const pools = new Map<string, pg.Pool>();

/** Newest first; `cursor` is the `nextCursor` of the previous page. */
export async function listRuns(db: pg.Pool | string, query: ListRunsQuery = {}): Promise<{ data: RunView[]; nextCursor: string | null }> {
  const pool = typeof db === "string" ? poolFor(db) : db;
  const limit = Math.min(Math.max(Math.trunc(query.limit ?? 20), 1), 100);
  const { rows } = await pool.query(
    `SELECT r.id, r.function_id, r.status, r.current_step, r.next_wake_at, r.attempt, r.output, r.error,
            r.started_at, r.ended_at, e.payload AS event,
            coalesce((SELECT json_agg(json_build_object(
                        'id', s.hashed_id, 'name', s.name, 'op', s.op,
                        'status', CASE WHEN s.result->>'type' = 'error' THEN 'failed' ELSE 'completed' END,
                        'attempt', s.attempt, 'at', s.created_at) ORDER BY s.seq)
                        FROM inngest_engine.steps s WHERE s.run_id = r.id), '[]') AS steps
       FROM inngest_engine.runs r JOIN inngest_engine.events e ON e.id = r.event_id
      WHERE ($1::text IS NULL OR r.status = $1)
        AND ($2::text IS NULL OR r.function_id = $2)
        AND ($3::text IS NULL OR r.event_name = $3)
        AND ($4::text IS NULL OR r.id < $4)
        AND ($6::text IS NULL OR CASE
              WHEN e.payload->'data'->>'workspaceId' IS NOT NULL THEN e.payload->'data'->>'workspaceId' = $6
              WHEN e.payload->'data'->>'endpointId' IS NOT NULL THEN e.payload->'data'->>'endpointId' = ANY($7::text[])
              ELSE $8::boolean END)
      ORDER BY r.id DESC
      LIMIT $5`,
    [
      query.status ?? null,
      query.functionId ?? null,
      query.eventName ?? null,
      query.cursor ?? null,
      limit + 1,
      query.scope?.workspaceId ?? null,
      query.scope?.endpointIds ?? [],
      query.scope?.includeUnscoped ?? false,
    ],
  );
  const page = rows.slice(0, limit);
  return {
    data: page.map((row) => ({
      id: row.id,
      functionId: row.function_id,
      status: row.status,
      event: { id: row.event.id, name: row.event.name, data: row.event.data, ts: row.event.ts },
      currentStep: row.current_step,
      nextWakeAt: row.next_wake_at?.toISOString() ?? null,
      attempt: row.attempt,
      output: row.output,
      error: row.error,
      startedAt: row.started_at.toISOString(),
      endedAt: row.ended_at?.toISOString() ?? null,
      steps: row.steps.map((step: RunView["steps"][number]) => ({ ...step, at: new Date(step.at).toISOString() })),
    })),
    nextCursor: rows.length > limit ? page[page.length - 1].id : null,
  };
}

function poolFor(url: string): pg.Pool {
  let pool = pools.get(url);
  if (!pool) {
    pool = new pg.Pool({ connectionString: url, max: 2 });
    pools.set(url, pool);
  }
  return pool;
}
