import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: fileURLToPath(new URL("..", import.meta.url)),
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    pool: "threads",
    // A temporary folder of the run's own, which must be empty at the end (the suite leaves nothing behind).
    globalSetup: ["test/globalSetup.ts"],
  },
});
