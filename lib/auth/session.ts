import "server-only";
import { cache } from "react";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { authOptions } from "@/lib/auth/options";
import type { ServiceContext } from "@/lib/context";
import { db } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";

export type SessionContext = ServiceContext & {
  actor: { type: "user"; id: string; email: string };
  workspaceName: string;
};

/**
 * The signed-in user's workspace and role, or null. A user deleted or removed
 * from every workspace after signing in has no context, even with a valid JWT.
 */
export const getSessionContext = cache(async (): Promise<SessionContext | null> => {
  const session = await getServerSession(authOptions);
  const userId = (session?.user as { id?: string } | undefined)?.id;
  if (!userId) return null;
  const membership = await db().membership.findFirst({
    where: { userId },
    orderBy: { createdAt: "asc" },
    include: { user: true, workspace: true },
  });
  if (!membership) return null;
  return {
    workspaceId: membership.workspaceId,
    workspaceName: membership.workspace.name,
    role: membership.role as Role,
    actor: { type: "user", id: membership.userId, email: membership.user.email },
  };
});

/** For console pages: anonymous visitors go to the login page (or first-run setup). */
export async function requireSessionContext(): Promise<SessionContext> {
  const ctx = await getSessionContext();
  if (!ctx) redirect("/login");
  return ctx;
}
