-- A workspace's routing version: what a publish needs to know about its endpoints and event types
-- (which endpoints want which events, for which account, with which filter, enabled or not; each
-- event type's schema and whether it is archived). Publish keeps the routing it read per
-- workspace and reuses it while this number has not moved; the statement that stores a publish
-- checks the number it was routed with (lib/features/messages/publish.ts), so an endpoint created
-- a moment ago still receives the next message.
ALTER TABLE "Workspace" ADD COLUMN "routingVersion" INTEGER NOT NULL DEFAULT 0;

-- Every write path moves it, the console's, the API's, the portal's and the auto-disable alike.
-- An update moves it only when a column routing reads changed value: the attempt record's counter
-- updates (lastAttemptAt, consecutiveFailures) do not even evaluate the condition (`UPDATE OF`),
-- and saving an endpoint's form with a new title or URL keeps the cached routing.
CREATE FUNCTION hookline_routing_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Workspace" SET "routingVersion" = "routingVersion" + 1
   WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD."workspaceId" ELSE NEW."workspaceId" END;
  IF TG_OP = 'UPDATE' AND OLD."workspaceId" <> NEW."workspaceId" THEN
    UPDATE "Workspace" SET "routingVersion" = "routingVersion" + 1 WHERE id = OLD."workspaceId";
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Endpoint_routing_added_or_removed"
  AFTER INSERT OR DELETE ON "Endpoint"
  FOR EACH ROW EXECUTE FUNCTION hookline_routing_changed();
CREATE TRIGGER "Endpoint_routing_changed"
  AFTER UPDATE OF "workspaceId", enabled, account, "eventTypes", filter ON "Endpoint"
  FOR EACH ROW
  WHEN ((OLD."workspaceId", OLD.enabled, OLD.account, OLD."eventTypes", OLD.filter)
        IS DISTINCT FROM (NEW."workspaceId", NEW.enabled, NEW.account, NEW."eventTypes", NEW.filter))
  EXECUTE FUNCTION hookline_routing_changed();

CREATE TRIGGER "EventType_routing_added_or_removed"
  AFTER INSERT OR DELETE ON "EventType"
  FOR EACH ROW EXECUTE FUNCTION hookline_routing_changed();
CREATE TRIGGER "EventType_routing_changed"
  AFTER UPDATE OF "workspaceId", name, schema, "archivedAt" ON "EventType"
  FOR EACH ROW
  WHEN ((OLD."workspaceId", OLD.name, OLD.schema, OLD."archivedAt")
        IS DISTINCT FROM (NEW."workspaceId", NEW.name, NEW.schema, NEW."archivedAt"))
  EXECUTE FUNCTION hookline_routing_changed();

-- Raised by the publish statement when a workspace's routing moved since the publish read it:
-- nothing of that statement is written, and the publish routes again (its own SQLSTATE, so it is
-- never mistaken for another error).
CREATE FUNCTION hookline_routing_stale() RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'a workspace''s endpoints or event types changed since the publish read them' USING ERRCODE = 'HL409';
END $$;
