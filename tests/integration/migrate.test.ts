import pg from "pg";
import { describe, expect, it } from "vitest";
import { migrate } from "@/lib/db/migrate";
import { createTestDatabase } from "@/tests/helpers/db";

describe("migrations", () => {
  it("are recorded like prisma migrate deploy and re-running applies nothing", async () => {
    const { url } = await createTestDatabase();
    expect(await migrate(url)).toEqual([]);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query(`SELECT migration_name, finished_at FROM "_prisma_migrations" ORDER BY migration_name`);
    await client.end();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.finished_at !== null)).toBe(true);
    expect(rows[0].migration_name).toMatch(/^\d{14}_init$/);
  });
});
