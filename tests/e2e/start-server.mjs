// Starts `npm start` on a fresh data dir for the console tests.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";

const dataDir = path.resolve("data/e2e");
rmSync(dataDir, { recursive: true, force: true });
const child = spawn("node_modules/.bin/tsx", ["--conditions=react-server", "scripts/serve.ts", "start"], {
  stdio: "inherit",
  env: {
    ...process.env,
    HOOKLINE_DATA_DIR: dataDir,
    HOOKLINE_ALLOW_PRIVATE_NETWORKS: "true",
    HOOKLINE_API_KEY: "hk_e2e_0123456789abcdefghij",
    DATABASE_URL: "",
  },
});
const stop = () => child.kill("SIGTERM");
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
child.on("exit", (code) => process.exit(code ?? 0));
