import type { LookupAddress } from "node:dns";
import { describe, expect, it } from "vitest";
import { assertUrlAllowed, guardedLookup, isBlockedAddress, UrlNotAllowedError } from "@/lib/delivery/ssrf";

describe("isBlockedAddress", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback range"],
    ["10.0.0.1", "private 10/8"],
    ["172.16.5.4", "private 172.16/12"],
    ["172.31.255.255", "private 172.16/12, top"],
    ["192.168.1.1", "private 192.168/16"],
    ["169.254.169.254", "cloud metadata"],
    ["169.254.0.1", "link-local"],
    ["100.64.0.1", "CGNAT"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "0/8"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["240.0.0.1", "reserved"],
    ["192.0.2.10", "documentation"],
    ["::1", "IPv6 loopback"],
    ["::", "IPv6 unspecified"],
    ["fd00::1", "unique local"],
    ["fc00::1", "unique local, fc"],
    ["fd00:ec2::254", "AWS metadata over IPv6"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local with a zone"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "IPv4-mapped loopback"],
    ["::ffff:7f00:1", "IPv4-mapped loopback, hex"],
    ["::ffff:169.254.169.254", "IPv4-mapped metadata"],
    ["::ffff:0:a00:1", "RFC 6145 translated 10.0.0.1"],
    ["::127.0.0.1", "IPv4-compatible"],
    ["::a00:1", "IPv4-compatible, hex"],
    ["64:ff9b::7f00:1", "NAT64 of 127.0.0.1"],
    ["64:ff9b::a9fe:a9fe", "NAT64 of the metadata address"],
    ["64:ff9b:1::5db8:d822", "local-use NAT64"],
    ["2002:7f00:1::1", "6to4 of 127.0.0.1"],
    ["2002:a00:1::", "6to4 of 10.0.0.1"],
    ["2001:db8::1", "documentation"],
    ["2001::1", "Teredo"],
    ["not-an-ip", "garbage"],
    ["", "empty"],
  ])("blocks %s (%s)", (ip) => {
    expect(isBlockedAddress(ip)).toBe(true);
  });

  it.each([
    ["93.184.216.34", "public IPv4"],
    ["8.8.8.8", "public IPv4"],
    ["172.32.0.1", "just outside 172.16/12"],
    ["100.128.0.1", "just outside CGNAT"],
    ["2606:4700:4700::1111", "public IPv6"],
    ["::ffff:93.184.216.34", "IPv4-mapped public"],
    ["64:ff9b::5db8:d822", "NAT64 of a public address"],
    ["2002:5db8:d822::1", "6to4 of a public address"],
  ])("allows %s (%s)", (ip) => {
    expect(isBlockedAddress(ip)).toBe(false);
  });
});

describe("assertUrlAllowed", () => {
  const strict = { allowPrivate: false };

  it.each([
    ["http://127.0.0.1:8080/hook", "BLOCKED_ADDRESS"],
    ["http://[::1]/hook", "BLOCKED_ADDRESS"],
    ["http://[::ffff:127.0.0.1]/hook", "BLOCKED_ADDRESS"],
    ["http://169.254.169.254/latest/meta-data", "BLOCKED_ADDRESS"],
    ["https://10.0.0.1/", "BLOCKED_ADDRESS"],
    ["http://100.64.0.1/", "BLOCKED_ADDRESS"],
    ["http://[fd00::1]/", "BLOCKED_ADDRESS"],
    ["http://2130706433/", "BLOCKED_ADDRESS"], // 127.0.0.1 as one number
    ["http://0x7f.1/", "BLOCKED_ADDRESS"],
    ["http://0/", "BLOCKED_ADDRESS"],
    ["ftp://example.com/", "INVALID_URL"],
    ["file:///etc/passwd", "INVALID_URL"],
    ["javascript:alert(1)", "INVALID_URL"],
    ["https://user:pass@example.com/", "INVALID_URL"],
    ["not a url", "INVALID_URL"],
  ])("refuses %s with %s", (url, code) => {
    expect(() => assertUrlAllowed(url, strict)).toThrow(expect.objectContaining({ code }));
  });

  it.each(["https://example.com/hook", "http://93.184.216.34/hook", "https://[2606:4700:4700::1111]/", "http://localhost:3000/"])(
    "accepts %s (names are checked at connect time)",
    (url) => {
      expect(assertUrlAllowed(url, strict)).toBeInstanceOf(URL);
    },
  );

  it("lets private literals through when private networks are allowed", () => {
    expect(assertUrlAllowed("http://127.0.0.1:3000/", { allowPrivate: true }).port).toBe("3000");
    expect(assertUrlAllowed("http://[::1]:3000/", { allowPrivate: true }).hostname).toBe("[::1]");
  });

  it("requires https when asked", () => {
    expect(() => assertUrlAllowed("http://example.com/", { allowPrivate: false, requireHttps: true })).toThrow(
      expect.objectContaining({ code: "INVALID_URL", message: "HTTPS is required: http:// URLs are refused (use https:// with a valid certificate)" }),
    );
    expect(assertUrlAllowed("https://example.com/", { allowPrivate: false, requireHttps: true }).protocol).toBe("https:");
  });
});

describe("guardedLookup", () => {
  function lookup(hostname: string, all: boolean) {
    return new Promise<{ error: NodeJS.ErrnoException | null; address: string | LookupAddress[] }>((resolve) => {
      guardedLookup(hostname, { all }, (error, address) => resolve({ error, address }));
    });
  }

  it.each([true, false])("refuses a name that resolves to loopback (all: %s)", async (all) => {
    const { error } = await lookup("localhost", all);
    expect(error).toBeInstanceOf(UrlNotAllowedError);
    expect(error).toMatchObject({ code: "BLOCKED_ADDRESS" });
    expect(error?.message).toMatch(/^localhost resolves to (127\.0\.0\.1|::1), which is not a public address$/);
  });

  it("passes DNS errors through", async () => {
    const { error } = await lookup("nonexistent.invalid", false);
    expect(error?.code).toMatch(/^(ENOTFOUND|EAI_AGAIN)$/);
  });
});
