-- Every attempt belongs to a delivery: the record statement (lib/delivery/attempt.ts) writes one
-- with each, and since 202612031000_hot_path_indexes the delivery is what removes the attempt when
-- its message or endpoint goes. NOT VALID: rows written before this, if any lack it, are kept as
-- they are; every new or updated row must have it.
ALTER TABLE "Attempt" ADD CONSTRAINT "Attempt_deliveryId_required" CHECK ("deliveryId" IS NOT NULL) NOT VALID;
