import "server-only";
import { cache } from "react";
import { resolvePortalToken } from "@/lib/features/portal/links";

/** The portal session of a page's token, resolved once per request (layout and page share it). */
export const portalSession = cache(async (token: string) => {
  let decoded = token;
  try {
    decoded = decodeURIComponent(token);
  } catch {
    return { refused: "unknown" as const };
  }
  return resolvePortalToken(decoded);
});
