import { describe, expect, it } from "vitest";
import { newId } from "@/lib/ids";

describe("newId", () => {
  it("is prefix, 10 chars of time and 16 random Crockford base32 chars", () => {
    expect(newId("dlv")).toMatch(/^dlv_[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it("never repeats, across many refills of its random pool", () => {
    const ids = Array.from({ length: 20_000 }, () => newId("att"));
    expect(new Set(ids).size).toBe(ids.length);
    // the random parts differ too, not only the time prefix
    expect(new Set(ids.map((id) => id.slice(-16))).size).toBe(ids.length);
  });

  it("sorts by creation time", async () => {
    const first = newId("msg");
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = newId("msg");
    expect(first.slice(0, 14) < second.slice(0, 14)).toBe(true);
  });
});
