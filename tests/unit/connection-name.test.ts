import { describe, expect, it } from "vitest";
import { withoutApplicationName } from "@/lib/db/connection-name";

// A hosting provider's DATABASE_URL may name the application; Hookline's own connection names
// (which tell live processes from dead ones) must win.
describe("withoutApplicationName", () => {
  it("drops the URL's application_name and keeps every other parameter", () => {
    const url = withoutApplicationName("postgresql://app:s%40cret@db.example.com:5432/hookline?sslmode=require&application_name=provider&connect_timeout=5");
    const parsed = new URL(url);
    expect(parsed.searchParams.has("application_name")).toBe(false);
    expect(parsed.searchParams.get("sslmode")).toBe("require");
    expect(parsed.searchParams.get("connect_timeout")).toBe("5");
    expect(parsed.password).toBe("s%40cret");
    expect(parsed.host).toBe("db.example.com:5432");
    expect(parsed.pathname).toBe("/hookline");
  });

  it("leaves a URL without one exactly as it was", () => {
    const url = "postgresql://app@localhost:5432/hookline?sslmode=disable";
    expect(withoutApplicationName(url)).toBe(url);
  });
});
