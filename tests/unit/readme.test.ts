import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// Examples get copied into production: a key or password written out in the README is a key every reader knows.
describe("README examples (finding 9)", () => {
  const readme = readFileSync("README.md", "utf8");
  const blocks = [...readme.matchAll(/```(?:bash|sh|shell)?\n([\s\S]*?)```/g)].map((match) => match[1]!);

  it("has shell examples to check", () => {
    expect(blocks.some((block) => block.includes("HOOKLINE_API_KEY"))).toBe(true);
  });

  it("never sets a fixed API key or admin password", () => {
    for (const block of blocks) {
      expect(block).not.toMatch(/HOOKLINE_API_KEY=["']?hk_[A-Za-z0-9_-]{8,}/);
      expect(block).not.toMatch(/Bearer hk_[A-Za-z0-9_-]{8,}/);
      expect(block).not.toMatch(/HOOKLINE_ADMIN_PASSWORD=(["'])[^$"']+\1/);
    }
  });
});
