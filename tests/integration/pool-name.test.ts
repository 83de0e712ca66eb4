import { afterEach, describe, expect, it } from "vitest";
import { createPool } from "@/lib/db/pool";
import { createTestDatabase } from "@/tests/helpers/db";

// Operators tell Next's connections from a delivery worker's in pg_stat_activity.
describe("the hot path's pool names its connections", () => {
  const saved = process.env.HOOKLINE_WORKER_INDEX;
  afterEach(() => {
    if (saved === undefined) delete process.env.HOOKLINE_WORKER_INDEX;
    else process.env.HOOKLINE_WORKER_INDEX = saved;
  });

  it("hookline in the Next.js process, hookline-worker-<index> in a delivery worker", async () => {
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
    expect(names).toEqual(["hookline", "hookline-worker-3"]);
  });
});
