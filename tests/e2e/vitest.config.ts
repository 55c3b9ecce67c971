import path from "node:path";
import { fileURLToPath } from "node:url";
import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Browser journeys: one production build and one portal process per run (global setup), driven
 * by Debian's Chromium through playwright-core. Files run one after the other because they share
 * that server (and PGlite serves one process at a time anyway).
 */
export default defineConfig({
  root,
  plugins: [tsconfigPaths({ root })],
  test: {
    name: "e2e",
    include: ["tests/e2e/**/*.test.ts"],
    globalSetup: ["tests/e2e/global-setup.ts"],
    pool: "forks",
    fileParallelism: false,
    // Generous: a page may wait on argon2 hashes and, on PGlite, on the single database
    // connection; the tests wait for things to appear rather than measure how fast they do.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // expect.poll waits for the page to reach a state; vitest's default (1 s) is a timing bet.
    expect: { poll: { timeout: 20_000, interval: 100 } },
  },
});
