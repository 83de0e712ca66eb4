/**
 * Direct intake: on the local engine the app and the engine share one PostgreSQL database, so an
 * app statement that creates work can store the engine's events itself, in that same statement,
 * instead of committing first and then sending the events over HTTP (a second transaction in the
 * worker, and a window in which a crash leaves the work stored but not yet requested). It does
 * what `Store.ingest` does for a `batchEvents` function's event: store the event and queue it in
 * its function's batch under its key, as CTEs the caller appends to its own statement (see
 * lib/delivery/requests.ts); after the commit, `EngineWaker` NOTIFYs the engines. (A NOTIFY inside
 * the caller's transaction would make every such commit queue for PostgreSQL's notify lock, which
 * is held across the commit's WAL flush: publishes would commit one at a time.)
 *
 * Supported: events whose every triggered function is a `batchEvents` function without
 * idempotency (what `hookline/delivery.requested` triggers). `loadIntakePlan` returns null for any
 * other event, and the caller sends it as usual. The events' `id`s must be new: the engine's
 * 24-hour de-duplication of repeated ids is not checked here (a later send of the same id is
 * de-duplicated against these events as usual).
 *
 * A plan is read once and checked by the statement that uses it: when the synced functions for the
 * event changed since (a re-sync after an upgrade), the statement fails whole, nothing is written,
 * and `isStalePlan(error)` tells the caller to read the plan again.
 */
import type { FunctionConfig } from "./config";
import { consecutiveIds } from "./ids";
import { batchKey, eventPayload, NOTIFY_CHANNEL } from "./store";

/** A named (prepared) statement on the app's pool. */
type Query = (name: string, text: string, values: unknown[]) => Promise<{ rows: unknown[] }>;

export type IntakePlan = {
  eventName: string;
  /** What the statement checks: a digest of the synced functions the event triggers. */
  digest: string;
  batches: Array<{ functionId: string; batch: NonNullable<FunctionConfig["batch"]> }>;
};

export type IntakeEvent = { name: string; data: Record<string, unknown>; id: string };

const DIGEST = `md5(coalesce(string_agg(f.id || ':' || f.config::text, ',' ORDER BY f.id), ''))`;

/** The functions `eventName` triggers, if direct intake can serve them all; null otherwise. */
export async function loadIntakePlan(query: Query, eventName: string): Promise<IntakePlan | null> {
  const { rows } = (await query(
    "engine.intake.plan",
    `SELECT ${DIGEST} AS digest, json_agg(f.config ORDER BY f.id) AS configs
       FROM inngest_engine.functions f WHERE f.config->'events' ? $1`,
    [eventName],
  )) as { rows: Array<{ digest: string; configs: FunctionConfig[] | null }> };
  const configs = rows[0]?.configs ?? [];
  if (!configs.length || configs.some((fn) => !fn.batch || fn.idempotency)) return null;
  return { eventName, digest: rows[0]!.digest, batches: configs.map((fn) => ({ functionId: fn.id, batch: fn.batch! })) };
}

/**
 * The CTEs, using parameters $at … $at+7 (see `intakeParams`). They run whatever the caller's
 * final SELECT reads (data-modifying CTEs always run to completion).
 */
export function intakeCtes(at: number): string {
  const p = (offset: number) => `$${at + offset}`;
  return `
  intake_guard AS (
    SELECT 1 / (SELECT CASE WHEN ${DIGEST} = ${p(1)}::text THEN 1 ELSE 0 END
                  FROM inngest_engine.functions f WHERE f.config->'events' ? ${p(0)}::text) AS ok
  ), intake_events AS (
    INSERT INTO inngest_engine.events (id, name, payload, external_id)
    SELECT e.id, ${p(0)}::text, e.payload, e.external_id
      FROM unnest(${p(2)}::text[], ${p(3)}::json[], ${p(4)}::text[]) AS e(id, payload, external_id), intake_guard g
     WHERE g.ok = 1
    RETURNING id
  ), intake_items AS (
    INSERT INTO inngest_engine.batch_items (function_id, batch_key, event_id)
    SELECT i.function_id, i.batch_key, i.event_id
      FROM unnest(${p(5)}::text[], ${p(6)}::text[], ${p(7)}::text[]) AS i(function_id, batch_key, event_id)
      JOIN intake_events e ON e.id = i.event_id
    RETURNING 1
  )`;
}

/** The parameters of `intakeCtes`, in order, for events of the plan's name. */
export function intakeParams(plan: IntakePlan, events: IntakeEvent[]): unknown[] {
  const ids: string[] = [];
  const payloads: string[] = [];
  const items = { functionIds: [] as string[], keys: [] as string[], eventIds: [] as string[] };
  const ts = Date.now();
  const eventIds = consecutiveIds(events.length, ts); // batches take events in id order
  for (const [index, event] of events.entries()) {
    if (event.name !== plan.eventName) throw new Error(`direct intake: ${event.name} is not ${plan.eventName}`);
    const id = eventIds[index]!;
    const payload = eventPayload(event, id, ts); // exactly what Store.ingest stores
    ids.push(id);
    payloads.push(JSON.stringify(payload));
    for (const { functionId, batch } of plan.batches) {
      items.functionIds.push(functionId);
      items.keys.push(batchKey(batch, payload));
      items.eventIds.push(id);
    }
  }
  return [plan.eventName, plan.digest, ids, payloads, events.map((event) => event.id), items.functionIds, items.keys, items.eventIds];
}

/** The statement failed because the plan it carried is out of date (nothing was written). */
export function isStalePlan(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === "22012"; // division_by_zero, from intake_guard
}

/**
 * At most one wake-up per this many ms: the engine's loop passes at most once per 20 ms anyway
 * (inngest/engine/executor.ts), so more NOTIFYs would only cost statements.
 */
const WAKE_INTERVAL_MS = 20;

/**
 * Wakes the engines (NOTIFY) after commits that wrote events with `intakeCtes`, coalesced: one
 * NOTIFY at a time, at most one per WAKE_INTERVAL_MS, and one more after it for commits that
 * came while it was on its way. Losing one (a crash right after the commit) delays the events
 * until the engine's next pass (its safety-net poll, 2 s), nothing more.
 */
export class EngineWaker {
  private pending = false;
  private busy = false;

  constructor(
    private readonly query: Query,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  wake() {
    this.pending = true;
    if (!this.busy) void this.send();
  }

  private async send() {
    this.busy = true;
    while (this.pending) {
      this.pending = false;
      await this.query("engine.wake", `SELECT pg_notify('${NOTIFY_CHANNEL}', '')`, []).catch(this.onError);
      await new Promise((resolve) => setTimeout(resolve, WAKE_INTERVAL_MS));
    }
    this.busy = false;
  }
}
