import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions";
import { env, serveOrigin, usesLocalEngine } from "@/lib/env";

// Inngest (self-hosted or Cloud) syncs with PUT, calls functions with POST, and GET answers
// introspection; the SDK verifies every call's signature (INNGEST_SIGNING_KEY; no dev mode).
// The URL it registers comes from configuration, never from the request's Host. With the local
// engine the delivery worker calls the functions in-process, so nothing needs to sync this route:
// an unsigned PUT is refused there rather than re-pointing the engine at Next.
export const { GET, POST, PUT } = serve({
  client: inngest,
  functions,
  serveOrigin: serveOrigin(),
  servePath: "/api/inngest",
  ...(usesLocalEngine(env()) && { enableUnauthedSync: false }),
});
