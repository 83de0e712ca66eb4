-- The local engine's claim (inngest/engine/store.ts) takes only unleased calls, oldest due
-- first; expired and dead instances' leases are handed back by a slow periodic pass. This
-- partial index holds exactly the claimable rows, in claim order, so a claim reads a few
-- index entries instead of scanning every job.
CREATE INDEX IF NOT EXISTS jobs_claim_idx ON inngest_engine.jobs (due_at, id) WHERE kind = 'call' AND lease_owner IS NULL;
