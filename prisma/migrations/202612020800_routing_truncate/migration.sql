-- TRUNCATE fires no row triggers: emptying Endpoint or EventType moves every workspace's routing
-- version (see migration routing_version), so no publish routes with endpoints that are gone.
-- (Writes with session_replication_role = replica, logical replication's apply or a restore with
-- --disable-triggers skip triggers altogether; restart the app after those.)
CREATE FUNCTION hookline_routing_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Workspace" SET "routingVersion" = "routingVersion" + 1;
  RETURN NULL;
END $$;

CREATE TRIGGER "Endpoint_routing_truncated" AFTER TRUNCATE ON "Endpoint"
  FOR EACH STATEMENT EXECUTE FUNCTION hookline_routing_truncated();
CREATE TRIGGER "EventType_routing_truncated" AFTER TRUNCATE ON "EventType"
  FOR EACH STATEMENT EXECUTE FUNCTION hookline_routing_truncated();
