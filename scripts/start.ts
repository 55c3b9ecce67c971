/**
 * `npm start`: the one command of the quick start. Builds the portal if the sources changed,
 * migrates the database (PGlite in DATA_DIR, or PostgreSQL with DATABASE_URL), seeds the demo
 * call and accounts, starts the background jobs and serves.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const SOURCE_DIRS = ["app", "db/schema", "emails", "templates"];
const BUILD_MARKER = "build/server/index.js";

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

/** Whether the build is older than the sources; a current build is reused as is. */
function buildIfNeeded() {
  const builtAt = existsSync(BUILD_MARKER) ? statSync(BUILD_MARKER).mtimeMs : 0;
  const changedAt = Math.max(...SOURCE_DIRS.filter((dir) => existsSync(dir)).map(newestMtime), statSync("package.json").mtimeMs);
  if (builtAt > changedAt) return false;
  console.log("Construction du portail (npm run build)…");
  execFileSync("npm", ["run", "build", "--silent"], { stdio: "inherit" });
  return true;
}

/** How long each step of the start took, printed with the welcome (and read by scripts/bench/startup.ts). */
const phases: Array<[label: string, ms: number]> = [];
async function phase<T>(label: string, work: () => T | Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  phases.push([label, performance.now() - started]);
  return result;
}

async function main() {
  process.env.NODE_ENV ??= "production";
  const buildStarted = performance.now();
  if (buildIfNeeded()) phases.push(["construction", performance.now() - buildStarted]);
  const { env } = await import("~/env.server");
  const { migrateDatabase, databaseEngine } = await phase("ouverture de la base", () => import("~db/client.server"));
  await phase("migrations", migrateDatabase);
  const demo = env.PORTAL_MODE === "demo" ? await import("~db/seed/demo") : null;
  if (demo) await phase("données de démonstration", demo.seedDemo);
  const { startJobs, stopJobs } = await import("~/jobs/runner.server");
  if (env.JOBS === "on") await phase("tâches de fond", startJobs);
  const { startHttpServer } = await import("~/http/server");
  const started = await phase("serveur HTTP", () => startHttpServer({ mode: "production" }));
  printWelcome(started.url, databaseEngine, env, demo);

  const { closeDatabase } = await import("~db/client.server");
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await started.close().catch(() => {});
    await stopJobs().catch(() => {});
    await closeDatabase().catch(() => {});
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

function printWelcome(
  url: string,
  engine: string,
  env: { DATA_DIR: string; SMTP_URL?: string },
  demo: { DEMO_ACCOUNTS: ReadonlyArray<{ email: string; role: string }>; DEMO_PASSWORD: string } | null,
) {
  const lines = [
    "",
    `Portail Médicobus prêt : ${url}`,
    engine === "pglite" ? `Base de données : PGlite embarquée (${path.resolve(env.DATA_DIR)})` : "Base de données : PostgreSQL (DATABASE_URL)",
    env.SMTP_URL ? "Courriels : envoyés par SMTP_URL" : `Courriels : boîte de développement ${url}/dev/courriels`,
    `Démarrage : ${phases.map(([label, ms]) => `${label} ${(ms / 1000).toFixed(1)} s`).join(", ")}`,
  ];
  if (demo) {
    lines.push("", `Comptes de démonstration (mot de passe : ${demo.DEMO_PASSWORD}) :`);
    for (const account of demo.DEMO_ACCOUNTS) lines.push(`  ${account.role.padEnd(16)} ${account.email}`);
  }
  console.log(`${lines.join("\n")}\n`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
