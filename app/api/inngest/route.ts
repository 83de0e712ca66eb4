import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions";

// Inngest (or the local engine) syncs with PUT, calls functions with POST,
// and GET answers introspection. The SDK verifies signatures outside dev mode.
export const { GET, POST, PUT } = serve({ client: inngest, functions });
