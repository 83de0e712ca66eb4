import NextAuth from "next-auth";
import { NextResponse, type NextRequest } from "next/server";
import { admitLogin, clientIp, LoginRefused } from "@/lib/auth/login-limits";
import { authOptions } from "@/lib/auth/options";
import { rateLimitHeaders } from "@/lib/rate-limit";

const handler = NextAuth(authOptions);

type Context = { params: Promise<{ nextauth: string[] }> };

/**
 * Sign-in attempts pass the rate limits before next-auth (and argon2) sees them. A refusal is
 * a 429 with RateLimit-* and Retry-After; its body is the `{url}` next-auth's client expects,
 * carrying the message as `error`, so the login form shows it.
 */
async function POST(request: NextRequest, context: Context) {
  const { nextauth } = await context.params;
  if (nextauth.join("/") !== "callback/credentials") return handler(request, context);
  const form = await request.clone().formData().catch(() => null);
  const email = String(form?.get("email") ?? "").trim().toLowerCase();
  try {
    await admitLogin(email, clientIp(request.headers));
  } catch (error) {
    if (!(error instanceof LoginRefused)) throw error;
    const url = new URL("/login", request.nextUrl.origin);
    url.searchParams.set("error", error.message);
    return NextResponse.json(
      { url: url.toString(), error: { code: "rate_limited", message: error.message } },
      { status: 429, headers: rateLimitHeaders(error.verdict) },
    );
  }
  return handler(request, context);
}

export { handler as GET, POST };
