import { defineConfig } from "vitest/config";

// The reliability suite: real Postbag processes under load, crashes and outages. Slow by nature,
// so it runs on its own (`npm run test:reliability`), one file at a time.
export default defineConfig({
  test: {
    include: ["test/reliability/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    pool: "forks",
    fileParallelism: false,
  },
});
