-- The deliveries still on their way, for the sweep, admission control and the metrics' backlog
-- (lib/delivery/maintenance.ts, lib/features/messages/admission.ts, lib/metrics.ts). Partial: a
-- delivery's last write (SUCCEEDED, FAILED, PAUSED or CANCELLED) adds no entry, so the index holds
-- about the backlog, not every delivery ever made. Measured with `bench/publish-cost.ts --endpoints
-- 20 --sql`: 535-540 WAL records per publish of 20 deliveries against 591-595 with the full index
-- (docs/performance.md). Queries reach it only with the predicate's literal statuses in their text.
DROP INDEX IF EXISTS "Delivery_status_nextAttemptAt_idx";
CREATE INDEX "Delivery_active_idx" ON "Delivery" (status, "nextAttemptAt") WHERE status IN ('PENDING', 'SENDING');
