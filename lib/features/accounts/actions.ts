"use server";

import { headers } from "next/headers";
import { action } from "@/lib/actions/safe-action";
import { env } from "@/lib/env";
import { createPortalLink, revokePortalLinks } from "@/lib/features/portal/links";

/** "Open portal as this account" (support): a fresh 1-hour link, opened by the browser in a new tab. */
export const openPortalAction = action(async (ctx, { account }: { account: string }) => {
  const host = (await headers()).get("host") ?? "localhost";
  const link = await createPortalLink(ctx, account, { expiresIn: 3600 }, env().NEXTAUTH_URL ?? `http://${host}`);
  return { path: link.path };
});

/** Ends every open portal link of the account now. */
export const revokePortalLinksAction = action(async (ctx, { account }: { account: string }) => revokePortalLinks(ctx, account));
