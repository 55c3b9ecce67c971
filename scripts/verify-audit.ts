/**
 * `npx tsx scripts/verify-audit.ts`: checks the audit log's hash chain on DATABASE_URL (or PGlite
 * in DATA_DIR). Reads the rows in id order a batch at a time (memory stays flat), recomputes each
 * hash with the rules of app/modules/audit/chain.ts — the same function as the journal's
 * « Vérifier la chaîne » button — and exits 0 when every row is intact, 1 naming the first
 * broken row (id, time, action, expected and stored hash), 2 when the check could not run.
 */
import { closeDatabase } from "~db/client.server";
import { verifyAuditChain } from "~/modules/audit/queries.server";
import { formatInteger } from "~/utils/format";

const time = (instant: Date) => `${new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", dateStyle: "short", timeStyle: "medium" }).format(instant)} (heure de Paris), ${instant.toISOString()}`;

let exitCode = 0;
try {
  const result = await verifyAuditChain();
  if (result.ok) {
    console.log(`Journal d'audit intègre : ${formatInteger(result.rows)} ligne${result.rows > 1 ? "s" : ""}`);
  } else {
    const { broken } = result;
    const what = broken.field === "hash" ? "empreinte de la ligne" : "empreinte de la ligne précédente";
    console.error(
      [
        `Journal d'audit rompu à la ligne ${broken.id} : ${broken.reason}.`,
        `  date     : ${time(broken.at)}`,
        `  action   : ${broken.action}`,
        `  attendu  : ${broken.expected} (${what})`,
        `  enregistré : ${broken.stored}`,
        `  ${formatInteger(result.rows)} ligne${result.rows > 1 ? "s" : ""} intègre${result.rows > 1 ? "s" : ""} avant elle.`,
      ].join("\n"),
    );
    exitCode = 1;
  }
} catch (error) {
  console.error("La vérification du journal d'audit n'a pas pu s'exécuter :", error instanceof Error ? error.message : error);
  exitCode = 2;
} finally {
  await closeDatabase();
}
process.exit(exitCode);
