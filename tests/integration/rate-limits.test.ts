import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import "@/tests/helpers/no-executor-env";
import { LOGIN_LIMITS } from "@/lib/auth/login-limits";
import { authOptions } from "@/lib/auth/options";
import { hashPassword } from "@/lib/auth/password";
import type { Db } from "@/lib/db/client";
import { resetEnv } from "@/lib/env";
import { createApiKey } from "@/lib/features/settings/api-keys";
import { makeWorkspace } from "@/tests/helpers/factories";
import { useTestDb } from "@/tests/helpers/services";
import { BUFFER_SYNC_MS, hit, hitBuffered } from "@/lib/rate-limit";
import * as authRoute from "@/app/api/auth/[...nextauth]/route";
import * as meRoute from "@/app/api/v1/me/route";

process.env.NEXTAUTH_SECRET = "a-test-secret-that-is-long-enough-0123456789";
process.env.HOOKLINE_API_RATE_LIMIT = "5";
resetEnv();

let db: Db;
const PASSWORD = "correct horse battery staple";

beforeAll(async () => {
  ({ db } = await useTestDb());
  await db.user.create({ data: { id: "usr_rl_1", email: "ada@example.com", passwordHash: await hashPassword(PASSWORD) } });
});

type Authorize = (credentials: Record<string, string>, request: unknown) => Promise<unknown>;
const authorize = (email: string, password: string) =>
  ((authOptions.providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize)({ email, password }, {});

/** A sign-in POST as next-auth's client sends it (form-encoded), from an address. */
async function signInPost(email: string, password: string, ip: string) {
  const request = new NextRequest("http://hookline.test/api/auth/callback/credentials", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": ip },
    body: new URLSearchParams({ email, password, csrfToken: "x", json: "true" }).toString(),
  });
  return authRoute.POST(request, { params: Promise.resolve({ nextauth: ["callback", "credentials"] }) });
}

describe("sign-in limits, stored in PostgreSQL (finding 3)", () => {
  it("locks an account after repeated failures, before the password is checked, with a clear message", async () => {
    for (let n = 0; n < LOGIN_LIMITS.account.limit; n++) expect(await authorize("ada@example.com", "wrong password!!")).toBeNull();
    // Even the right password is refused now: the lockout is decided before argon2 runs.
    const refused = await signInPost("ada@example.com", PASSWORD, "198.51.100.1");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.headers.get("ratelimit-limit")).toBe(String(LOGIN_LIMITS.account.limit));
    expect(refused.headers.get("ratelimit-remaining")).toBe("0");
    const body = await refused.json();
    expect(body.error.code).toBe("rate_limited");
    expect(new URL(body.url).searchParams.get("error")).toMatch(/locked after too many failed sign-ins/);
    // The count lives in the database, where every instance sees it.
    expect((await db.rateLimit.findUniqueOrThrow({ where: { key: "login:account:ada@example.com" } })).count).toBe(LOGIN_LIMITS.account.limit);
  });

  it("a success clears the account's failures", async () => {
    await db.user.create({ data: { id: "usr_rl_2", email: "bob@example.com", passwordHash: await hashPassword(PASSWORD) } });
    for (let n = 0; n < 3; n++) await authorize("bob@example.com", "wrong password!!");
    expect(await authorize("bob@example.com", PASSWORD)).toMatchObject({ email: "bob@example.com" });
    expect(await db.rateLimit.findUnique({ where: { key: "login:account:bob@example.com" } })).toBeNull();
  });

  it("limits attempts per IP, whatever the account", async () => {
    const ip = "203.0.113.9";
    // Each sign-in POST counts once against its IP before next-auth runs (past the check the
    // handler is next-auth's, which needs Next's request scope): count the allowed ones directly.
    for (let n = 0; n < LOGIN_LIMITS.ip.limit; n++) await hit(`login:ip:${ip}`, LOGIN_LIMITS.ip);
    const refused = await signInPost("someone@example.com", "whatever", ip);
    expect(refused.status).toBe(429);
    expect(new URL((await refused.json()).url).searchParams.get("error")).toMatch(/from your network/);
    expect(refused.headers.get("retry-after")).not.toBeNull();
    // Another address is not affected.
    expect((await hit("login:ip:203.0.113.10", LOGIN_LIMITS.ip)).allowed).toBe(true);
  });
});

describe("API limits per key (finding 3)", () => {
  it("answers 429 with Retry-After past the limit, with RateLimit-* on every answer, per key", async () => {
    const ctx = await makeWorkspace("OWNER");
    const key = (await createApiKey(ctx, { name: "busy" })).plaintext;
    const other = (await createApiKey(ctx, { name: "quiet" })).plaintext;
    const me = (k: string) =>
      meRoute.GET(new NextRequest("http://hookline.test/api/v1/me", { headers: { authorization: `Bearer ${k}` } }), { params: Promise.resolve({}) });
    const answers = [];
    for (let n = 0; n < 6; n++) answers.push(await me(key));
    expect(answers.slice(0, 5).map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers[0]!.headers.get("ratelimit-limit")).toBe("5");
    expect(answers[4]!.headers.get("ratelimit-remaining")).toBe("0");
    expect(answers[5]!.status).toBe(429);
    expect(Number(answers[5]!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await answers[5]!.json()).error.code).toBe("rate_limited");
    expect((await me(other)).status).toBe(200);
  });
});

describe("buffered API counts (one UPSERT per key per sync, not per request)", () => {
  it("adds this process's count to the shared row and sees other instances' hits after a sync", async () => {
    // Windows are fixed (aligned to the clock): a test that crosses a boundary starts counting anew.
    // An hour's window, and not within 5 s of its end.
    const limit = { limit: 10, windowMs: 3_600_000 };
    const left = limit.windowMs - (Date.now() % limit.windowMs);
    if (left < 5_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
    const key = "api:buffered-test";
    const first = await hitBuffered(key, limit);
    expect(first).toMatchObject({ allowed: true, remaining: 9 });
    // The first hit of a window is in the row at once; the next ones are counted in memory.
    expect((await db.rateLimit.findUniqueOrThrow({ where: { key } })).count).toBe(1);
    for (let n = 0; n < 3; n++) await hitBuffered(key, limit);
    expect((await hitBuffered(key, limit)).remaining).toBe(5);
    await new Promise((resolve) => setTimeout(resolve, BUFFER_SYNC_MS * 3));
    expect((await db.rateLimit.findUniqueOrThrow({ where: { key } })).count).toBe(5);
    // Another instance counts 4 in the shared row: this process sees them after its next sync.
    await hit(key, limit, 4);
    await hitBuffered(key, limit);
    await new Promise((resolve) => setTimeout(resolve, BUFFER_SYNC_MS * 3));
    const verdict = await hitBuffered(key, limit);
    expect(verdict).toMatchObject({ allowed: false, remaining: 0 }); // 5 + 4 + 2 = 11 > 10
    await new Promise((resolve) => setTimeout(resolve, BUFFER_SYNC_MS * 3));
    expect((await db.rateLimit.findUniqueOrThrow({ where: { key } })).count).toBe(11);
  });
});

