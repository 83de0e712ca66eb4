import { NextRequest } from "next/server";
import { encode } from "next-auth/jwt";
import { beforeAll, describe, expect, it } from "vitest";
import { resetEnv } from "@/lib/env";
import { makeWorkspace } from "@/tests/helpers/factories";
import { useTestDb } from "@/tests/helpers/services";
import * as endpointsRoute from "@/app/api/v1/endpoints/route";

process.env.NEXTAUTH_SECRET = "a-test-secret-that-is-long-enough-0123456789";
delete process.env.NEXTAUTH_URL;
resetEnv();

let token: string;
beforeAll(async () => {
  await useTestDb();
  const ctx = await makeWorkspace("OWNER");
  token = await encode({ token: { uid: ctx.actor.type === "user" ? ctx.actor.id : "" }, secret: process.env.NEXTAUTH_SECRET! });
});

async function listWith(cookie: string, headers: Record<string, string> = {}, url = "http://hookline.test/api/v1/endpoints") {
  const request = new NextRequest(url, { headers: { cookie, ...headers } });
  return (await endpointsRoute.GET(request, { params: Promise.resolve({}) })).status;
}

describe("the session cookie's name follows the request's scheme (finding 7)", () => {
  it("reads the __Secure- cookie behind a TLS proxy without NEXTAUTH_URL", async () => {
    expect(await listWith(`__Secure-next-auth.session-token=${token}`, { "x-forwarded-proto": "https" })).toBe(200);
  });

  it("reads the __Secure- cookie when the request itself is https", async () => {
    expect(await listWith(`__Secure-next-auth.session-token=${token}`, {}, "https://hookline.test/api/v1/endpoints")).toBe(200);
  });

  it("reads the plain cookie over plain http, and not the other name", async () => {
    expect(await listWith(`next-auth.session-token=${token}`)).toBe(200);
    expect(await listWith(`__Secure-next-auth.session-token=${token}`)).toBe(401);
    expect(await listWith(`next-auth.session-token=${token}`, { "x-forwarded-proto": "https" })).toBe(401);
  });
});
