// Starts `npm start` (the launcher compiled by `npm run build`, scripts/start.mjs) on a fresh data
// dir for the console tests.
// Usage: node tests/e2e/start-server.mjs <first-run|console> <port>
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { E2E } from "./constants.mjs";

const [kind, port] = process.argv.slice(2);
const dataDir = path.resolve(`data/e2e-${kind}-${port}`);
rmSync(dataDir, { recursive: true, force: true });
const bootstrap =
  kind === "console"
    ? { HOOKLINE_ADMIN_EMAIL: E2E.admin.email, HOOKLINE_ADMIN_PASSWORD: E2E.admin.password, HOOKLINE_API_KEY: E2E.apiKey, HOOKLINE_WORKSPACE_NAME: "Acme Calls" }
    : { HOOKLINE_API_KEY: E2E.apiKey };
const child = spawn(process.execPath, ["--conditions=react-server", "scripts/start.mjs", "start"], {
  stdio: "inherit",
  env: {
    ...process.env,
    ...bootstrap,
    PORT: port,
    HOOKLINE_DATA_DIR: dataDir,
    // Receivers in these tests listen on loopback.
    HOOKLINE_ALLOW_PRIVATE_NETWORKS: "true",
    DATABASE_URL: "",
    INNGEST_BASE_URL: "",
    INNGEST_EVENT_KEY: "",
    INNGEST_SIGNING_KEY: "",
  },
});
const stop = () => child.kill("SIGTERM");
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
child.on("exit", (code) => process.exit(code ?? 0));
