-- Which delivery worker holds a scheduled claim (a random number each worker process picks at
-- start; null for a manual resend's or a test's claim). A worker's lane of an endpoint counts the
-- requests other workers still hold for it, so an endpoint's maxConcurrency holds across workers
-- (lib/delivery/attempt.ts, "Lane"). Nullable, no default: adding it rewrites nothing.
ALTER TABLE "Delivery" ADD COLUMN "leaseOwner" INTEGER;
