/**
 * `npx tsx scripts/restore.ts <sauvegarde.dump> <postgres://…/nouvelle_base>`: restores a backup
 * made by scripts/backup.ts into a NEW database. The target is created when it does not exist;
 * a target that already holds tables is refused, so a restore can never overwrite the live
 * portal. pg_restore runs in one transaction: it restores everything or nothing. Then point
 * DATABASE_URL at the new database and check the audit log with scripts/verify-audit.ts.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import postgres from "postgres";
import { postgresBinary } from "./lib/postgres-binaries";

const USAGE = "Usage : npx tsx scripts/restore.ts <sauvegarde.dump> <postgres://…/nouvelle_base>";

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function parseArguments() {
  const [file, target] = process.argv.slice(2);
  if (!file || !target) fail(USAGE);
  if (!existsSync(file)) fail(`Sauvegarde introuvable : ${file}`);
  if (!/^postgres(ql)?:\/\//.test(target)) fail(`La base cible doit être une URL postgres://… (reçu : ${target}).\n${USAGE}`);
  const database = decodeURIComponent(new URL(target).pathname.slice(1));
  if (!database) fail(`L'URL cible ne nomme pas de base de données.\n${USAGE}`);
  return { file, target, database };
}

/** Creates the target database when it does not exist yet (from the server's maintenance database). */
async function ensureDatabase(target: string, database: string) {
  const probe = postgres(target, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await probe`select 1`;
    return "existing";
  } catch (error) {
    if ((error as { code?: string }).code !== "3D000") throw error;
  } finally {
    await probe.end();
  }
  const maintenanceUrl = new URL(target);
  maintenanceUrl.pathname = "/postgres";
  const admin = postgres(maintenanceUrl.toString(), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${database.replaceAll('"', '""')}"`);
  } finally {
    await admin.end();
  }
  return "created";
}

/** Tables, views and sequences outside PostgreSQL's own schemas: an empty database has none. */
async function userRelationCount(target: string) {
  const sql = postgres(target, { max: 1, onnotice: () => {} });
  try {
    const [{ count }] = await sql<{ count: number }[]>`
      select count(*)::int as count
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p', 'v', 'm', 'S')
        and n.nspname not in ('pg_catalog', 'information_schema')
        and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'`;
    return count;
  } finally {
    await sql.end();
  }
}

async function main() {
  const { file, target, database } = parseArguments();
  const state = await ensureDatabase(target, database);
  const relations = await userRelationCount(target);
  if (relations > 0) {
    fail(`Restauration refusée : la base « ${database} » n'est pas vide (${relations} tables, vues ou séquences). Donnez une base nouvelle ou vide.`);
  }
  const started = performance.now();
  try {
    execFileSync(postgresBinary("pg_restore"), ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", `--dbname=${target}`, file], {
      stdio: ["ignore", "inherit", "inherit"],
    });
  } catch {
    fail("La restauration a échoué (voir le message de pg_restore ci-dessus) ; rien n'a été écrit dans la base cible.");
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`Sauvegarde restaurée dans la base « ${database} » (${state === "created" ? "créée" : "vide"}) en ${seconds} s.`);
  console.log(`Vérifiez le journal d'audit : DATABASE_URL='${target}' npx tsx scripts/verify-audit.ts`);
}

main().catch((error) => fail(`La restauration n'a pas pu s'exécuter : ${error instanceof Error ? error.message : String(error)}`));
