/**
 * `npm test`: the whole suite — rules and services (vitest), then the browser journeys.
 * On PGlite by default; with TEST_DATABASE_URL (a PostgreSQL server URL) every part runs on
 * fresh databases created on that server.
 */
import { spawnSync } from "node:child_process";

const engine = process.env.TEST_DATABASE_URL ? `PostgreSQL (${new URL(process.env.TEST_DATABASE_URL).host})` : "PGlite";
const steps: Array<[label: string, args: string[]]> = [
  ["règles et services", ["vitest", "run", "--config", "tests/vitest.config.ts"]],
  ["parcours dans Chromium", ["vitest", "run", "--config", "tests/e2e/vitest.config.ts"]],
];

const minutes = (since: number) => `${((Date.now() - since) / 60_000).toFixed(1)} min`;
const started = Date.now();
for (const [label, args] of steps) {
  console.log(`\n▶ Tests : ${label} — base ${engine}`);
  const stepStarted = Date.now();
  const result = spawnSync("npx", args, { stdio: "inherit", env: process.env });
  if (result.status !== 0) {
    console.error(`\n✖ Échec : ${label} (${engine}, après ${minutes(stepStarted)})`);
    process.exit(result.status ?? 1);
  }
  console.log(`✔ ${label} : ${minutes(stepStarted)}`);
}
console.log(`\n✔ Toute la suite est passée (${engine}) en ${minutes(started)}.`);
