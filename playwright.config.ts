import { defineConfig, devices } from "@playwright/test";

// Two servers, both started the way users start Hookline (`npm start` → scripts/start.mjs →
// scripts/serve.ts compiled by `npm run build`)
// on fresh data dirs: one untouched, for first-run setup; one bootstrapped from env
// (admin + API key), for everything a signed-in person does.
const FIRST_RUN_PORT = Number(process.env.E2E_FIRST_RUN_PORT ?? 3100);
const CONSOLE_PORT = Number(process.env.E2E_CONSOLE_PORT ?? 3101);
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results/artifacts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]] : "list",
  use: {
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: { executablePath },
  },
  projects: [
    {
      name: "first-run",
      testMatch: /first-run\.spec\.ts/,
      use: { ...devices["Desktop Chrome"], baseURL: `http://127.0.0.1:${FIRST_RUN_PORT}` },
    },
    {
      name: "console",
      testIgnore: /first-run\.spec\.ts/,
      use: { ...devices["Desktop Chrome"], baseURL: `http://127.0.0.1:${CONSOLE_PORT}`, viewport: { width: 1366, height: 900 } },
    },
  ],
  webServer: [
    {
      command: `node tests/e2e/start-server.mjs first-run ${FIRST_RUN_PORT}`,
      url: `http://127.0.0.1:${FIRST_RUN_PORT}/api/health`,
      timeout: 120_000,
      reuseExistingServer: false,
      // SIGTERM to the server's process group: the launcher stops Next.js, the engine and postgres.
      gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      command: `node tests/e2e/start-server.mjs console ${CONSOLE_PORT}`,
      url: `http://127.0.0.1:${CONSOLE_PORT}/api/health`,
      timeout: 120_000,
      reuseExistingServer: false,
      // SIGTERM to the server's process group: the launcher stops Next.js, the engine and postgres.
      gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
      stdout: "pipe",
      stderr: "pipe",
    },
  ],
});
