import { afterEach, describe, expect, it } from "vitest";
import { createPool, PROCESS_MARK, query } from "@/lib/db/pool";
import { createTestDatabase } from "@/tests/helpers/db";

// Operators tell Next's connections from a delivery worker's in pg_stat_activity.
describe("the hot path's pool names its connections", () => {
  const saved = process.env.HOOKLINE_WORKER_INDEX;
  afterEach(() => {
    if (saved === undefined) delete process.env.HOOKLINE_WORKER_INDEX;
    else process.env.HOOKLINE_WORKER_INDEX = saved;
  });

  it("hookline in the Next.js process, hookline-worker-<index> in a delivery worker, each with the process's mark", async () => {
    const { url } = await createTestDatabase();
    const names: string[] = [];
    for (const index of [undefined, "3"]) {
      if (index === undefined) delete process.env.HOOKLINE_WORKER_INDEX;
      else process.env.HOOKLINE_WORKER_INDEX = index;
      const pool = createPool(url);
      const { rows } = await pool.query<{ name: string }>("SELECT current_setting('application_name') AS name");
      names.push(rows[0]!.name);
      await pool.end();
    }
    expect(names).toEqual([`hookline#${PROCESS_MARK}`, `hookline-worker-3#${PROCESS_MARK}`]);
    // A URL that names the application (some hosts add one) does not take the mark away.
    delete process.env.HOOKLINE_WORKER_INDEX;
    const named = createPool(`${url}${url.includes("?") ? "&" : "?"}application_name=provider`);
    const { rows } = await named.query<{ name: string }>("SELECT current_setting('application_name') AS name");
    await named.end();
    expect(rows[0]!.name).toBe(`hookline#${PROCESS_MARK}`);
  });
});

// Sporadic traffic (a publish every few minutes) must not pay for a new connection each time:
// its authentication, a new server process and a fresh plan of every prepared statement.
describe("the hot path's pool through a quiet spell", () => {
  it("keeps two connections open, with their prepared statements, when the rest close", async () => {
    const { url } = await createTestDatabase();
    const pool = createPool(url, { idleTimeoutMillis: 100 });
    const WARM = "SELECT pg_backend_pid() AS pid, (SELECT count(*)::int FROM pg_prepared_statements WHERE name = 'test.warm') AS prepared, pg_sleep($1)";
    try {
      // A burst: six statements at once run on six connections, each preparing the statement.
      const burst = await Promise.all(Array.from({ length: 6 }, () => query<{ pid: number }>("test.warm", WARM, [0.05], pool)));
      const pids = new Set(burst.map(({ rows }) => rows[0]!.pid));
      expect(pids.size).toBe(6);

      await new Promise((resolve) => setTimeout(resolve, 600)); // the quiet spell
      expect(pool.totalCount).toBe(2);
      const { rows } = await query<{ pid: number; prepared: number }>("test.warm", WARM, [0], pool);
      expect(pids.has(rows[0]!.pid)).toBe(true); // no new connection
      expect(rows[0]!.prepared).toBe(1); // and no new plan: the statement is still prepared there
    } finally {
      await pool.end();
    }
  });
});
