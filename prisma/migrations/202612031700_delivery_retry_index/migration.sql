-- An endpoint's deliveries waiting for a scheduled retry, earliest first, for the wake-ups of its
-- retries (requestDueRetries in lib/delivery/requests.ts, the deliver-retries function). Partial:
-- a delivery enters it only when an attempt leaves it PENDING with a retry ahead, so publishing
-- and first attempts add no entry. Queries reach it only with the predicate in their text.
CREATE INDEX "Delivery_retry_idx" ON "Delivery" ("endpointId", "nextAttemptAt")
  WHERE status = 'PENDING' AND "deferredUntil" IS NULL AND "nextAttemptAt" IS NOT NULL;
