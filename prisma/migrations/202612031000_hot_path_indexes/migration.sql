-- Fewer index entries and row locks for each delivery (docs/performance.md). A delivery's row is
-- written three times (publish, claim, record) and each write adds an entry to every index on
-- "Delivery"; its attempt adds one to every index on "Attempt" and locks the rows its foreign keys
-- point to.

-- The messages list's status filter (EXISTS per message) reads a message's deliveries through
-- "Delivery_messageId_endpointId_key" as well: a message has one delivery per endpoint at most.
DROP INDEX "Delivery_messageId_status_idx";

-- A message's attempts are read through its deliveries ("Attempt_deliveryId_number_idx").
DROP INDEX "Attempt_messageId_createdAt_idx";

-- Every attempt has its delivery (the record statement in lib/delivery/attempt.ts writes one with
-- each), and a delivery's message and endpoint cascade to it: deleting either deletes the
-- delivery, and with it the attempt ("Attempt_deliveryId_fkey"). The attempt's own keys to them
-- were each a lookup and a row lock on every insert, and nothing more.
ALTER TABLE "Attempt" DROP CONSTRAINT "Attempt_messageId_fkey";
ALTER TABLE "Attempt" DROP CONSTRAINT "Attempt_endpointId_fkey";
