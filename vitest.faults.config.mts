import path from "node:path";
import { defineConfig } from "vitest/config";

// `npm run test:faults`: the fault/fuzz suite of issue 11 (tests/faults). Same setup as vitest.config.mts.
export default defineConfig({
  resolve: {
    tsconfigPaths: true,
    alias: { "server-only": path.resolve("tests/setup/server-only.ts") },
  },
  test: {
    include: ["tests/faults/**/*.test.ts"],
    globalSetup: ["tests/setup/global-db.ts"],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
