import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/reliability/**", "node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // One real IMAP server (Dovecot) for the whole run, for the mail intake tests.
    globalSetup: ["test/support/dovecot-setup.ts"],
  },
});
