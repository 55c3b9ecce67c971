/**
 * The production process (`npm start`, after `scripts/build-if-stale.ts`): migrates the database
 * (PGlite in DATA_DIR, or PostgreSQL with DATABASE_URL), seeds the demo call and accounts, starts
 * the background jobs and serves. Built into the server bundle, next to Remix's entry, as
 * `build/server/start.js` (vite.config.ts): the process is plain `node`, without tsx's loader,
 * and it shares one copy of the app's modules with the routes (ADR 012).
 */
import path from "node:path";

/** How long each step of the start took, printed with the welcome (and read by scripts/bench/startup.ts). */
const phases: Array<[label: string, ms: number]> = [];
async function phase<T>(label: string, work: () => T | Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  phases.push([label, performance.now() - started]);
  return result;
}

async function main() {
  // Before the environment module reads it: dynamic imports below, so that this runs first.
  process.env.NODE_ENV ??= "production";
  const { env } = await import("~/env.server");
  const { migrateDatabase, databaseEngine, closeDatabase } = await phase("ouverture de la base", () => import("~db/client.server"));
  await phase("migrations", migrateDatabase);
  const demo = env.PORTAL_MODE === "demo" ? await import("~db/seed/demo") : null;
  if (demo) await phase("données de démonstration", demo.seedDemo);
  const { startJobs, stopJobs } = await import("~/jobs/runner.server");
  if (env.JOBS === "on") await phase("tâches de fond", startJobs);
  const { startHttpServer } = await import("~/http/server");
  const started = await phase("serveur HTTP", () => startHttpServer({ mode: "production" }));
  printWelcome(started.url, databaseEngine, env, demo);

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
