-- Set while a delivery waits in its endpoint's backlog because the endpoint's lane was full (the
-- batch path handed it back unsent): the turn it waits for. Any claim clears it. The backlog's
-- wake-ups and the batches that backfill a lane read the endpoint's rows that have it, oldest
-- turn first (lib/delivery/attempt.ts, lib/delivery/requests.ts).
ALTER TABLE "Delivery" ADD COLUMN "deferredUntil" TIMESTAMP(3);
