import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    tsconfigPaths: true,
    alias: { "server-only": path.resolve("tests/setup/server-only.ts") },
  },
  test: {
    include: ["tests/**/*.test.ts"],
    // tests/load/ runs alone (npm run test:load): it saturates the machine on purpose.
    // The 30 s database outage runs in `npm run test:faults` only.
    exclude: ["tests/e2e/**", "tests/load/**", "tests/faults/database-outage.test.ts", "tests/faults/server-kill.test.ts", "node_modules/**"],
    globalSetup: ["tests/setup/global-db.ts", "tests/setup/test-tls.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
