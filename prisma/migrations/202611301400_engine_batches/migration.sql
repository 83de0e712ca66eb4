-- Event batching (Inngest `batchEvents`) in the local engine: events of a batched function wait
-- here, per batch key, until a batch run takes them (inngest/engine/store.ts, formBatches).
CREATE TABLE inngest_engine.batch_items (
  function_id TEXT NOT NULL,
  batch_key   TEXT NOT NULL,
  event_id    TEXT NOT NULL REFERENCES inngest_engine.events(id) ON DELETE CASCADE,
  received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (function_id, batch_key, event_id)
);
CREATE INDEX batch_items_order_idx ON inngest_engine.batch_items (function_id, batch_key, received_at, event_id);

-- A batch run carries its events in order (event_id is the first) and its batch key; one batch
-- per key is active at a time, found through the partial index.
ALTER TABLE inngest_engine.runs ADD COLUMN batch_event_ids TEXT[];
ALTER TABLE inngest_engine.runs ADD COLUMN batch_key TEXT;
CREATE INDEX runs_active_batch_idx ON inngest_engine.runs (function_id, batch_key) WHERE batch_key IS NOT NULL AND status IN ('RUNNING', 'SLEEPING');
