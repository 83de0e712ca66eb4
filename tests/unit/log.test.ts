import { describe, expect, it } from "vitest";
import { generateSecret } from "@/lib/delivery/sign";
import { captureLogs } from "@/tests/helpers/log-capture";

describe("structured logs", () => {
  it("writes JSON lines with level, time, message and child fields", () => {
    const capture = captureLogs();
    capture.logger.child({ reqId: "req-1" }).info({ status: 202 }, "api request");
    const line = JSON.parse(capture.lines[0]!);
    expect(line).toMatchObject({ level: "info", reqId: "req-1", status: 202, msg: "api request", service: "hookline" });
    expect(Date.parse(line.time)).not.toBeNaN();
    capture.restore();
  });

  it("never writes a secret, whatever shape it arrives in", () => {
    const capture = captureLogs();
    const signing = generateSecret();
    const apiKey = "hk_live_5f2b9c0e7a1d4b3c8e6f";
    const custom = "s3cr3t-header-value-91c4";
    const dbPassword = "pg-pass-77d1e0";
    const log = capture.logger;
    log.error({ err: new Error(`sign failed with ${signing}`) }, "boom");
    log.info({ endpoint: { id: "ep_1", secret: signing, previousSecretEnc: "abc", headers: { "X-Tenant-Token": custom, "X-Plain": custom } } }, "saved");
    log.warn({ request: { headers: { authorization: `Bearer ${apiKey}` } } }, "rejected");
    log.info(`key ${apiKey} used; db postgresql://hookline:${dbPassword}@127.0.0.1:5432/app`);
    log.info({ apiKey, password: dbPassword, nested: [{ token: "tok_123456" }] }, "fields");
    log.error({ err: Object.assign(new Error("outer"), { cause: new Error(`inner ${signing}`) }) }, "caused");
    const text = capture.text();
    for (const secret of [signing, signing.slice(6), apiKey, custom, dbPassword, "tok_123456"]) expect(text).not.toContain(secret);
    // …while the rest stays useful.
    expect(text).toContain("ep_1");
    expect(text).toContain("sign failed with whsec_[redacted]");
    expect(text).toContain("127.0.0.1:5432/app");
    expect(capture.lines).toHaveLength(6);
    capture.restore();
  });
});
