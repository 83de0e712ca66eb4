-- Retention of the local engine's tables (inngest/engine/retention.ts) deletes in bounded
-- batches, oldest first. These indexes let each batch find its rows without scanning the table:
-- finished runs by end time, events no run points at (the foreign key check of every event
-- delete needs runs by event_id too), idempotency keys by expiry.
CREATE INDEX IF NOT EXISTS runs_ended_idx ON inngest_engine.runs (ended_at) WHERE ended_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS runs_event_id_idx ON inngest_engine.runs (event_id);
CREATE INDEX IF NOT EXISTS events_received_idx ON inngest_engine.events (received_at);
CREATE INDEX IF NOT EXISTS idempotency_expires_idx ON inngest_engine.idempotency (expires_at);
