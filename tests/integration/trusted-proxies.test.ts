import { spawn } from "node:child_process";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "@/tests/helpers/no-executor-env";
import { clientIp, LOGIN_LIMITS } from "@/lib/auth/login-limits";
const PEER_HEADER = "x-hookline-peer";
import { env, resetEnv } from "@/lib/env";
import { useTestDb } from "@/tests/helpers/services";
import * as authRoute from "@/app/api/auth/[...nextauth]/route";

process.env.NEXTAUTH_SECRET = "a-test-secret-that-is-long-enough-0123456789";
resetEnv();
afterAll(() => {
  delete process.env.HOOKLINE_TRUSTED_PROXIES;
  resetEnv();
});

const from = (peer: string, forwardedFor?: string, realIp?: string) => {
  const headers = new Headers({ [PEER_HEADER]: peer });
  if (forwardedFor !== undefined) headers.set("x-forwarded-for", forwardedFor);
  if (realIp !== undefined) headers.set("x-real-ip", realIp);
  return clientIp(headers);
};

describe("HOOKLINE_TRUSTED_PROXIES: whose X-Forwarded-For the per-IP sign-in limit believes", () => {
  it("a client reaching the server directly cannot choose its address with the header", () => {
    expect(from("203.0.113.9", "1.2.3.4")).toBe("203.0.113.9");
    expect(from("203.0.113.9", undefined, "1.2.3.4")).toBe("203.0.113.9");
    expect(from("::ffff:203.0.113.9", "1.2.3.4")).toBe("203.0.113.9"); // IPv4-mapped, as Node reports it
  });

  it("behind a trusted proxy (loopback by default) the hop it vouches for is the client; what the client prepended is never reached", () => {
    expect(from("127.0.0.1", "198.51.100.7")).toBe("198.51.100.7");
    expect(from("::1", "6.6.6.6, 198.51.100.7")).toBe("198.51.100.7");
    expect(from("127.0.0.1", undefined, "198.51.100.8")).toBe("198.51.100.8");
    expect(from("127.0.0.1", "not-an-address")).toBe("127.0.0.1");
    expect(from("127.0.0.1", "[2001:db8::1]:4711")).toBe("2001:db8::1");
  });

  it("a chain of configured proxies is walked right to left", () => {
    process.env.HOOKLINE_TRUSTED_PROXIES = "10.0.0.0/8, 192.168.1.7";
    resetEnv();
    expect(from("10.1.2.3", "6.6.6.6, 198.51.100.7, 192.168.1.7, 10.0.0.5")).toBe("198.51.100.7");
    expect(from("192.168.1.8", "198.51.100.7")).toBe("192.168.1.8"); // not in the list
    expect(from("127.0.0.1", "198.51.100.7")).toBe("127.0.0.1"); // loopback no longer listed
    process.env.HOOKLINE_TRUSTED_PROXIES = "";
    resetEnv();
    expect(from("127.0.0.1", "198.51.100.7")).toBe("127.0.0.1"); // empty: the header is never read
    process.env.HOOKLINE_TRUSTED_PROXIES = "10.0.0.0/33";
    resetEnv();
    expect(() => env()).toThrow(/HOOKLINE_TRUSTED_PROXIES: must be IP addresses or CIDR ranges/);
    delete process.env.HOOKLINE_TRUSTED_PROXIES;
    resetEnv();
  });

  it("the launcher's preload stamps each request with its real TCP peer, over whatever the client sent", async () => {
    const server = `require("node:http").createServer((q, r) => r.end(JSON.stringify([q.headers["${PEER_HEADER}"], q.headers["x-forwarded-for"]]))).listen(0, "127.0.0.1", function () { console.log("PORT " + this.address().port); });`;
    const child = spawn(process.execPath, ["--require", path.resolve("scripts/peer-address.cjs"), "-e", server], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      const port = await new Promise<string>((resolve) => child.stdout!.on("data", (chunk: Buffer) => /PORT (\d+)/.test(String(chunk)) && resolve(/PORT (\d+)/.exec(String(chunk))![1]!)));
      const answer = await fetch(`http://127.0.0.1:${port}/`, { headers: { [PEER_HEADER]: "6.6.6.6", "x-forwarded-for": "6.6.6.6" } });
      expect(await answer.json()).toEqual(["127.0.0.1", "6.6.6.6"]);
    } finally {
      child.kill();
    }
  });

  it("rotating X-Forwarded-For no longer escapes the per-IP limit", async () => {
    await useTestDb();
    const post = (n: number) =>
      authRoute.POST(
        new NextRequest("http://hookline.test/api/auth/callback/credentials", {
          method: "POST",
          // No account: only the per-IP limit counts; past it next-auth (outside a request scope here) is never reached.
          headers: { "content-type": "application/x-www-form-urlencoded", [PEER_HEADER]: "203.0.113.77", "x-forwarded-for": `10.9.${n >> 8}.${n & 255}` },
          body: new URLSearchParams({ csrfToken: "x", json: "true" }).toString(),
        }),
        { params: Promise.resolve({ nextauth: ["callback", "credentials"] }) },
      ).catch(() => null); // an admitted attempt goes on into next-auth, which needs Next's request scope
    for (let n = 0; n < LOGIN_LIMITS.ip.limit; n++) await post(n);
    const refused = await post(LOGIN_LIMITS.ip.limit);
    expect(refused?.status).toBe(429);
  });
});

beforeAll(() => {
  delete process.env.HOOKLINE_TRUSTED_PROXIES;
  resetEnv();
});
