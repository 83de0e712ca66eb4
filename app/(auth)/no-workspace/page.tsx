import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSessionContext, getSessionUserId } from "@/lib/auth/session";
import { NoWorkspace } from "@/lib/features/workspaces/components/no-workspace";
import { signedInEmail } from "@/lib/features/workspaces/service";

export const metadata: Metadata = { title: "No workspace" };
export const dynamic = "force-dynamic";

/** Signed in, but a member of no workspace (removed from the last one): say so instead of a login loop. */
export default async function NoWorkspacePage() {
  if (await getSessionContext()) redirect("/");
  const userId = await getSessionUserId();
  if (!userId) redirect("/login");
  return <NoWorkspace email={await signedInEmail(userId)} />;
}
