import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

// generate reads the datasource url; it is never connected to here.
process.env.DATABASE_URL ??= "postgresql://127.0.0.1:5432/hookline";

// Prisma 6.19 with the JS/WASM engines works offline; Prisma 7's CLI downloads a native engine.
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  adapter: async () =>
    new PrismaPg({ connectionString: process.env.DATABASE_URL, idleTimeoutMillis: 100 }),
});
