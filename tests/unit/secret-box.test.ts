import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { open, seal, SecretBoxError } from "@/lib/crypto/secret-box";

const key = randomBytes(32);

describe("secret box (AES-256-GCM)", () => {
  it("round-trips, with a fresh IV each time", () => {
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw ünïcode ✓";
    const a = seal(secret, key);
    const b = seal(secret, key);
    expect(a).not.toEqual(b);
    expect(a).not.toContain("MfKQ9r8");
    expect(open(a, key)).toBe(secret);
    expect(open(b, key)).toBe(secret);
  });

  it("detects tampering with the ciphertext, the IV or the tag", () => {
    const sealed = seal("whsec_top-secret", key);
    const parts = sealed.split(".");
    for (const index of [1, 2, 3]) {
      const bytes = Buffer.from(parts[index]!, "base64url");
      bytes[0]! ^= 0x01;
      const tampered = parts.map((part, i) => (i === index ? bytes.toString("base64url") : part)).join(".");
      expect(() => open(tampered, key)).toThrow(SecretBoxError);
    }
  });

  it("refuses another key, and never echoes the input in the error", () => {
    const sealed = seal("whsec_top-secret", key);
    expect(() => open(sealed, randomBytes(32))).toThrow(/wrong key or tampered/);
    expect(() => open("garbage-whsec_x", key)).toThrow(/not a sealed secret/);
    try {
      open(sealed, randomBytes(32));
    } catch (error) {
      expect(String(error)).not.toContain(sealed.split(".")[2]);
    }
  });
});

describe("secret box with the default key", () => {
  it("opens the same sealed text again from memory, and still refuses a tampered one", () => {
    const sealed = seal("whsec_default-key-secret");
    expect(open(sealed)).toBe("whsec_default-key-secret");
    expect(open(sealed)).toBe("whsec_default-key-secret");
    const parts = sealed.split(".");
    const tag = Buffer.from(parts[3]!, "base64url");
    tag[0]! ^= 0x01;
    expect(() => open([...parts.slice(0, 3), tag.toString("base64url")].join("."))).toThrow(SecretBoxError);
    // a given key is never answered from the default key's memory
    expect(() => open(sealed, key)).toThrow(SecretBoxError);
  });
});
