/**
 * The embedded PostgreSQL killed under the app (kill -9 of its postmaster, as the OOM killer does)
 * is started again by whoever started it (lib/db/embedded.ts), on the same port with the same data:
 * nothing had to be restarted by hand.
 */
import { chmodSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { waitFor } from "@/tests/fixtures/engine/helpers";

const dataDir = mkdtempSync(path.join(tmpdir(), "hookline-pg-restart-"));
chmodSync(dataDir, 0o755); // postgres runs as its own OS user when we are root
const lines: string[] = [];
const postgres = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), password: "restart-test", settings: { fsync: "off" }, log: (line) => lines.push(line) });
afterAll(() => postgres.stop());

const postmasterPid = () => Number(readFileSync(path.join(dataDir, "pg", "postmaster.pid"), "utf8").split("\n")[0]);

async function query<T extends pg.QueryResultRow>(text: string) {
  const client = new pg.Client({ connectionString: postgres.url, connectionTimeoutMillis: 2_000 });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

describe("embedded PostgreSQL", () => {
  it("is started again after it was killed, with its data", async () => {
    await query("CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)");
    const before = postmasterPid();
    process.kill(before, "SIGKILL");
    await waitFor(
      async () => {
        try {
          return (await query<{ n: number }>("SELECT n FROM kept"))[0]?.n === 42;
        } catch {
          return false;
        }
      },
      60_000,
      "PostgreSQL to accept connections again",
    );
    expect(postmasterPid()).not.toBe(before);
    expect(lines.some((line) => /embedded PostgreSQL exited \(SIGKILL\); starting it again/.test(line))).toBe(true);
    expect(lines.some((line) => /embedded PostgreSQL is back on 127\.0\.0\.1:/.test(line))).toBe(true);
  }, 90_000);

  it("is not started again after a shutdown it was asked for (a terminal's Ctrl-C reaches it too), and stop() then returns", async () => {
    const restarts = () => lines.filter((line) => /starting it again/.test(line)).length;
    const before = restarts();
    process.kill(postmasterPid(), "SIGINT");
    await waitFor(async () => query("SELECT 1").then(() => false, () => true), 15_000, "PostgreSQL to shut down");
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(restarts()).toBe(before);
    const stopped = await Promise.race([postgres.stop().then(() => "stopped"), new Promise((resolve) => setTimeout(() => resolve("still waiting"), 5_000))]);
    expect(stopped).toBe("stopped");
  }, 60_000);
});
