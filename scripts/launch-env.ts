import { existsSync } from "node:fs";

/** `npm run dev/start` and the scripts read `.env` if there is one; real env wins. */
export function loadDotEnv() {
  for (const file of [".env.local", ".env"]) {
    if (existsSync(file)) process.loadEnvFile(file);
  }
}
