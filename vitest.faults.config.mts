import path from "node:path";
import { defineConfig } from "vitest/config";

// `npm run test:faults`: the fault/fuzz suite of issue 11 (tests/faults). Same setup as vitest.config.mts.
export default defineConfig({
  resolve: {
    tsconfigPaths: true,
    alias: { "server-only": path.resolve("tests/setup/server-only.ts") },
  },
  test: {
    // The API crawl/fuzz/secret scan, the receiver faults (each error code, retried per policy) and the stranded paths.
    include: ["tests/faults/**/*.test.ts", "tests/integration/delivery-faults.test.ts", "tests/integration/stranded-deliveries.test.ts"],
    globalSetup: ["tests/setup/global-db.ts"],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
