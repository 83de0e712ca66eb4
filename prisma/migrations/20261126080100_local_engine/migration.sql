-- The local Inngest engine (inngest/engine/) keeps its state in a schema of its
-- own so Prisma's datamodel never sees these tables. Payloads the SDK hands back
-- to functions are `json`, not `jsonb`: replays must see the exact same
-- key order the step or event had the first time.
CREATE SCHEMA IF NOT EXISTS inngest_engine;

-- One row per synced app (the SDK's `appName`), with the serve URL it registered.
CREATE TABLE inngest_engine.apps (
  id        TEXT PRIMARY KEY,
  url       TEXT NOT NULL,
  sdk       TEXT,
  synced_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Functions as last synced. `config` is the engine's normalized, validated view.
CREATE TABLE inngest_engine.functions (
  id         TEXT PRIMARY KEY,
  app_id     TEXT NOT NULL REFERENCES inngest_engine.apps(id) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  url        TEXT NOT NULL,
  config     JSONB NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE inngest_engine.crons (
  function_id TEXT NOT NULL REFERENCES inngest_engine.functions(id) ON DELETE CASCADE,
  expression  TEXT NOT NULL,
  next_at     TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (function_id, expression)
);
CREATE INDEX crons_next_at_idx ON inngest_engine.crons (next_at);

CREATE TABLE inngest_engine.events (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  payload     JSON NOT NULL,
  -- the sender's own `id`: Inngest drops a repeat within 24 h
  external_id TEXT,
  received_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX events_external_id_idx ON inngest_engine.events (external_id, received_at) WHERE external_id IS NOT NULL;

CREATE TABLE inngest_engine.runs (
  id                 TEXT PRIMARY KEY,
  -- no foreign key: a run outlives its function being removed by a later sync
  function_id        TEXT NOT NULL,
  event_id           TEXT NOT NULL REFERENCES inngest_engine.events(id),
  event_name         TEXT NOT NULL,
  status             TEXT NOT NULL CHECK (status IN ('RUNNING', 'SLEEPING', 'COMPLETED', 'FAILED', 'CANCELLED')),
  -- evaluated at creation, copied onto every call job of the run
  concurrency_keys   TEXT[] NOT NULL DEFAULT '{}',
  concurrency_limits INT[] NOT NULL DEFAULT '{}',
  -- set once a reply reports more than one step; from then on the SDK must plan, not run, new steps
  parallel           BOOLEAN NOT NULL DEFAULT false,
  current_step       TEXT,
  attempt            INT NOT NULL DEFAULT 0,
  next_wake_at       TIMESTAMPTZ,
  output             JSON,
  error              JSON,
  started_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
  ended_at           TIMESTAMPTZ
);
CREATE INDEX runs_status_idx ON inngest_engine.runs (status, id);
CREATE INDEX runs_function_idx ON inngest_engine.runs (function_id, id);
CREATE INDEX runs_event_name_idx ON inngest_engine.runs (event_name, id);

-- Step memos; `seq` is the order they completed in, i.e. ctx.stack.
CREATE TABLE inngest_engine.steps (
  run_id     TEXT NOT NULL REFERENCES inngest_engine.runs(id) ON DELETE CASCADE,
  hashed_id  TEXT NOT NULL,
  seq        INT NOT NULL,
  name       TEXT,
  op         TEXT NOT NULL,
  result     JSON NOT NULL,
  attempt    INT NOT NULL DEFAULT 0,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, hashed_id),
  UNIQUE (run_id, seq)
);

-- The queue. `call` = an HTTP call of the serve handler (step_id "step" is
-- discovery, otherwise the hashed id of a planned step); `wake` = a sleep
-- that memoizes null when due. A leased call holds a concurrency slot for
-- every key in concurrency_keys; a wake never does.
CREATE TABLE inngest_engine.jobs (
  id                 BIGSERIAL PRIMARY KEY,
  run_id             TEXT NOT NULL REFERENCES inngest_engine.runs(id) ON DELETE CASCADE,
  step_id            TEXT NOT NULL,
  kind               TEXT NOT NULL CHECK (kind IN ('call', 'wake')),
  name               TEXT,
  attempt            INT NOT NULL DEFAULT 0,
  due_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
  -- discovery was asked for again while this call was in flight
  again              BOOLEAN NOT NULL DEFAULT false,
  concurrency_keys   TEXT[] NOT NULL DEFAULT '{}',
  concurrency_limits INT[] NOT NULL DEFAULT '{}',
  lease_owner        TEXT,
  lease_expires_at   TIMESTAMPTZ,
  UNIQUE (run_id, step_id)
);
CREATE INDEX jobs_due_idx ON inngest_engine.jobs (kind, due_at);
CREATE INDEX jobs_lease_idx ON inngest_engine.jobs (lease_owner) WHERE lease_owner IS NOT NULL;
CREATE INDEX jobs_concurrency_idx ON inngest_engine.jobs USING GIN (concurrency_keys);

CREATE TABLE inngest_engine.idempotency (
  function_id TEXT NOT NULL,
  key         TEXT NOT NULL,
  run_id      TEXT NOT NULL,
  expires_at  TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (function_id, key)
);
