import { defineConfig } from "vitest/config";
import base from "./vitest.config.mts";

/** npm run test:load: the load tests of tests/load/, one file at a time, nothing else beside them. */
export default defineConfig({
  ...base,
  test: { ...base.test, include: ["tests/load/**/*.test.ts"], exclude: ["node_modules/**"], fileParallelism: false },
});
