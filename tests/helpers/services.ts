import { afterAll } from "vitest";
import { createPrismaClient, setDb, type Db } from "@/lib/db/client";
import { createTestDatabase } from "./db";

/** Points the service layer at a fresh throwaway database for this test file. */
export async function useTestDb(): Promise<{ url: string; db: Db }> {
  const { url } = await createTestDatabase();
  const client = createPrismaClient(url);
  setDb(client);
  afterAll(() => client.$disconnect());
  return { url, db: client };
}
