import "server-only";
import { cache } from "react";
import { redirect } from "next/navigation";
import type { NextRequest } from "next/server";
import { getServerSession } from "next-auth";
import { getToken } from "next-auth/jwt";
import { authOptions, authSecret } from "@/lib/auth/options";
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
  return userId ? contextForUser(userId) : null;
});

/**
 * Whether next-auth named the session cookie `__Secure-…`: it does when the console's
 * base URL is https — NEXTAUTH_URL when set, else (AUTH_TRUST_HOST, as the launcher sets)
 * the scheme the request arrived on, which a TLS proxy reports in `x-forwarded-proto`.
 */
export function usesSecureSessionCookie(request: Pick<NextRequest, "headers" | "nextUrl">): boolean {
  const configured = process.env.NEXTAUTH_URL;
  if (configured) return configured.startsWith("https://");
  const forwarded = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return (forwarded ?? request.nextUrl.protocol.replace(/:$/, "")) === "https";
}

/** For route handlers: reads the session cookie off the request itself, no request scope needed. */
export async function getRequestSessionContext(request: NextRequest): Promise<SessionContext | null> {
  const token = await getToken({ req: request, secret: authSecret(), secureCookie: usesSecureSessionCookie(request) });
  return typeof token?.uid === "string" ? contextForUser(token.uid) : null;
}

async function contextForUser(userId: string): Promise<SessionContext | null> {
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
}

/** For console pages: anonymous visitors go to the login page (or first-run setup). */
export async function requireSessionContext(): Promise<SessionContext> {
  const ctx = await getSessionContext();
  if (!ctx) redirect("/login");
  return ctx;
}
