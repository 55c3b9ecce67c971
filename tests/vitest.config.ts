import path from "node:path";
import { fileURLToPath } from "node:url";
import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const serverTests = ["app/**/*.server.test.{ts,tsx}", "db/**/*.test.ts", "emails/**/*.server.test.{ts,tsx}", "templates/**/*.server.test.{ts,tsx}", "scripts/**/*.test.ts", "tests/integration/**/*.test.{ts,tsx}"];

/**
 * Two projects. « rules »: pure functions, no database. « server »: anything named
 * *.server.test.ts — each such file gets its own fresh database: an in-memory PGlite, or, with
 * TEST_DATABASE_URL, a PostgreSQL database copied from a migrated template.
 */
export default defineConfig({
  root,
  plugins: [tsconfigPaths({ root })],
  test: {
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ["tests/setup/global-database.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "rules",
          include: ["app/**/*.test.{ts,tsx}", "emails/**/*.test.{ts,tsx}", "templates/**/*.test.{ts,tsx}"],
          exclude: serverTests,
        },
      },
      {
        extends: true,
        test: { name: "server", include: serverTests, setupFiles: ["tests/setup/file-database.ts"] },
      },
    ],
  },
});
