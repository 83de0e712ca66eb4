import type pg from "pg";
import { checkDeadline, now, progress } from "./util";

/**
 * What the engine's tables hold after `deliveries` first attempts went through `deliver-batch`:
 * one `hookline/delivery.requested` event per delivery, one COMPLETED batch run per 100 of them
 * (the shape before requests were grouped, up to 4 deliveries an event: a worst case for the tables)
 * (`deliver-batch` has no steps, so no memos), spread over the last 6 days (inside the 7-day
 * retention, so nothing of it is pruned during the bench). Loaded with FK triggers off
 * (session_replication_role = replica): the rows are consistent by construction. The app's own
 * tables get their history from the read path's generator (bench/lib/readpath.ts).
 */
export async function fillEngineHistory(client: pg.Client, deliveries: number) {
  const started = now();
  const { rows } = await client.query<{ id: string }>(`SELECT id FROM inngest_engine.functions WHERE config->'batch' IS NOT NULL ORDER BY id LIMIT 1`);
  const functionId = rows[0]?.id;
  if (!functionId) throw new Error("no batch function is synced: is the delivery worker up?");
  const runs = Math.ceil(deliveries / 100);
  const span = 6 * 24 * 3600;
  await client.query("SET session_replication_role = replica");
  await client.query("SET synchronous_commit = off");
  const bar = progress("engine history");
  const chunk = 50_000;
  for (let from = 1; from <= deliveries; from += chunk) {
    checkDeadline("engine history");
    const to = Math.min(deliveries, from + chunk - 1);
    // e: delivery number; its run is ceil(e / 100); ids sort by time like the engine's ULIDs.
    await client.query(
      `INSERT INTO inngest_engine.events (id, name, payload, external_id, received_at)
       SELECT 'hist' || lpad(e::text, 9, '0'), 'hookline/delivery.requested',
              json_build_object('name', 'hookline/delivery.requested', 'id', 'dlv_hist' || e || ':initial', 'ts', 0,
                                'data', json_build_object('deliveryId', 'dlv_hist' || e, 'endpointId', 'ep_hist' || (e % 1000))),
              'dlv_hist' || e || ':initial', now() - (($3::int - e) * ($4::float8 / $3::int)) * interval '1 second'
         FROM generate_series($1::int, $2::int) e`,
      [from, to, deliveries, span],
    );
    bar.update(`${to}/${deliveries} events, ${((now() - started) / 1000).toFixed(0)} s`, true);
  }
  await client.query(
    `WITH r AS (SELECT r, now() - (($1::int - r) * ($2::float8 / $1::int)) * interval '1 second' AS t FROM generate_series(1, $1::int) r)
     INSERT INTO inngest_engine.runs (id, function_id, event_id, event_name, status, batch_event_ids, batch_key, output, started_at, updated_at, ended_at)
     SELECT 'histrun' || lpad(r::text, 7, '0'), $3, 'hist' || lpad(((r - 1) * 100 + 1)::text, 9, '0'), 'hookline/delivery.requested', 'COMPLETED',
            ARRAY(SELECT 'hist' || lpad(x::text, 9, '0') FROM generate_series((r - 1) * 100 + 1, least(r * 100, $4::int)) x),
            'ep_hist' || (r % 1000), '{"deliveries":100,"retries":0}', t, t, t + interval '50 milliseconds'
       FROM r`,
    [runs, span, functionId, deliveries],
  );
  await client.query("RESET session_replication_role");
  for (const table of ["events", "runs"]) await client.query(`VACUUM (ANALYZE) inngest_engine.${table}`);
  bar.done(`${deliveries} events, ${runs} batch runs in ${((now() - started) / 1000).toFixed(0)} s`);
  return { events: deliveries, runs, seconds: Math.round((now() - started) / 1000) };
}

/** Batch runs the engine started since `since` and their events per run: how far batching spread each run's fixed cost. */
export async function batchRuns(client: pg.Client, since: Date): Promise<{ runs: number; eventsPerRun: number }> {
  const { rows } = await client.query(
    `SELECT count(*)::int AS runs, round(coalesce(avg(cardinality(batch_event_ids)), 0), 1)::float8 AS "eventsPerRun"
       FROM inngest_engine.runs WHERE batch_event_ids IS NOT NULL AND started_at >= $1`,
    [since],
  );
  return rows[0];
}
