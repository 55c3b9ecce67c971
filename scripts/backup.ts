/**
 * `npx tsx scripts/backup.ts [dossier]`: saves the PostgreSQL database of DATABASE_URL (the
 * portal's tables, the audit log, the job queue) into `dossier` (default `backups/`) as a
 * pg_dump custom-format archive named after the database and the UTC time, e.g.
 * `medicobus-2026-11-22T12-55-03Z.dump`. The portal keeps running: pg_dump reads one consistent
 * snapshot. Prints the file's path; `scripts/restore.ts` puts it back into a new database.
 *
 * The uploaded pieces are files, not rows: back up `${DATA_DIR}/files` alongside (see README).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, statSync } from "node:fs";
import path from "node:path";
import { postgresBinary } from "./lib/postgres-binaries";

function backupFileName(databaseUrl: string, at = new Date()) {
  const database = decodeURIComponent(new URL(databaseUrl).pathname.slice(1)) || "postgres";
  const stamp = at.toISOString().replace(/\.\d{3}Z$/, "Z").replaceAll(":", "-");
  return `${database.replace(/[^\w.-]/g, "_")}-${stamp}.dump`;
}

function main() {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.error(
      [
        "DATABASE_URL n'est pas défini : le portail tourne sur PGlite (base embarquée).",
        "Pour la sauvegarder, arrêtez le portail puis copiez tout le dossier DATA_DIR (base et pièces),",
        "par exemple : tar czf medicobus-$(date -u +%Y-%m-%dT%H-%M-%SZ).tar.gz -C .data .",
      ].join("\n"),
    );
    process.exit(2);
  }
  const folder = path.resolve(process.argv[2] ?? "backups");
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, backupFileName(databaseUrl));
  const started = performance.now();
  try {
    // --format=custom: compressed, and pg_restore can restore it selectively or in parallel.
    execFileSync(postgresBinary("pg_dump"), ["--format=custom", "--no-owner", "--no-privileges", `--file=${file}`, `--dbname=${databaseUrl}`], {
      stdio: ["ignore", "inherit", "inherit"],
    });
  } catch {
    console.error("La sauvegarde a échoué (voir le message de pg_dump ci-dessus).");
    process.exit(1);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`Sauvegarde écrite : ${file} (${Math.ceil(statSync(file).size / 1024)} Kio, ${seconds} s)`);
}

main();
