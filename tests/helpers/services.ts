import { afterAll } from "vitest";
import { createPrismaClient, setDb, type Db } from "@/lib/db/client";
import { createPool, setPool } from "@/lib/db/pool";
import { createTestDatabase } from "./db";

/** Points the service layer (Prisma and the hot path's pool) at a fresh throwaway database for this test file. */
export async function useTestDb(): Promise<{ url: string; db: Db }> {
  const { url } = await createTestDatabase();
  const client = createPrismaClient(url);
  setDb(client);
  const pool = createPool(url);
  setPool(pool);
  afterAll(async () => {
    await client.$disconnect();
    await pool.end();
  });
  return { url, db: client };
}
