import "server-only";
import { cache } from "react";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import type { NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import { authSecret } from "@/lib/auth/options";
import type { ServiceContext } from "@/lib/context";
import { db } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";

export type SessionContext = ServiceContext & {
  actor: { type: "user"; id: string; email: string };
  workspaceName: string;
};

/**
 * Whether next-auth named the session cookie `__Secure-…`: it does when the console's
 * base URL is https — NEXTAUTH_URL when set, else (AUTH_TRUST_HOST, as the launcher sets)
 * the scheme the request arrived on, which a TLS proxy reports in `x-forwarded-proto`
 * (Next sets that header itself when no proxy did).
 */
export function usesSecureSessionCookie(request: { headers: Headers; nextUrl?: { protocol: string } }): boolean {
  const configured = process.env.NEXTAUTH_URL;
  if (configured) return configured.startsWith("https://");
  const forwarded = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return (forwarded ?? request.nextUrl?.protocol.replace(/:$/, "")) === "https";
}

/** The signed-in user's id from the session cookie (a valid, unexpired JWT), for pages and server actions. */
export const getSessionUserId = cache(async (): Promise<string | null> => {
  const secureCookie = usesSecureSessionCookie({ headers: await headers() });
  // Cookies only: an empty header set keeps next-auth from also accepting an `Authorization: Bearer <jwt>`.
  const token = await getToken({ req: { cookies: await cookies(), headers: new Headers() } as never, secret: authSecret(), secureCookie });
  return typeof token?.uid === "string" ? token.uid : null;
});

/**
 * The signed-in user's current workspace and role there, or null. A user deleted or
 * removed from every workspace after signing in has no context, even with a valid JWT.
 */
export const getSessionContext = cache(async (): Promise<SessionContext | null> => {
  const userId = await getSessionUserId();
  return userId ? contextForUser(userId) : null;
});

/** For route handlers: reads the session cookie off the request itself, no request scope needed. */
export async function getRequestSessionContext(request: NextRequest): Promise<SessionContext | null> {
  const token = await getToken({ req: request, secret: authSecret(), secureCookie: usesSecureSessionCookie(request) });
  return typeof token?.uid === "string" ? contextForUser(token.uid) : null;
}

/**
 * The current workspace is the membership the user switched to last (lib/features/workspaces);
 * before any switch, the oldest. Read from the membership rows on every request, so a removed
 * member falls back to another workspace of theirs, never into one they left.
 */
async function contextForUser(userId: string): Promise<SessionContext | null> {
  const membership = await db().membership.findFirst({
    where: { userId },
    orderBy: [{ selectedAt: { sort: "desc", nulls: "last" } }, { createdAt: "asc" }, { id: "asc" }],
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

/**
 * For console pages: anonymous visitors go to the login page (or first-run setup); a signed-in
 * user who is a member of no workspace (removed from the last one) gets a page that says so.
 */
export async function requireSessionContext(): Promise<SessionContext> {
  const ctx = await getSessionContext();
  if (ctx) return ctx;
  redirect((await getSessionUserId()) ? "/no-workspace" : "/login");
}
