-- The position in the endpoint's retry schedule of a delivery's next scheduled attempt (null: 1,
-- the first). Written by the record of each scheduled attempt and read, on the locked row, by the
-- batch claim: a request for an earlier position is a replay of a batch run that already made that
-- attempt, and is answered with the retry that run scheduled instead of being attempted again
-- (lib/delivery/attempt.ts). Recovery clears it to run the whole schedule again.
ALTER TABLE "Delivery" ADD COLUMN "schedulePosition" INTEGER;
