-- The head of an endpoint's backlog, read about once a second while it lasts. Partial: only the
-- deliveries waiting in a backlog are in it, so the hot path's inserts and updates of every other
-- delivery do not maintain it. (Prisma's schema cannot express a partial index; it lives here.)
CREATE INDEX "Delivery_backlog_idx" ON "Delivery" ("endpointId", "deferredUntil", id)
  WHERE status = 'PENDING' AND "deferredUntil" IS NOT NULL;
