/**
 * `npx tsx scripts/seed-volume.ts [--count 10000] [--seed 1] [--call medicobus-volume]`: a call
 * of its own with N generated dossiers (every région, both waves, every status, evaluations,
 * wave 1 decided with its ledger), to measure the portal on a realistic volume
 * (db/seed/volume.ts). Meant for PostgreSQL (DATABASE_URL); works on the embedded database too.
 */
import { parseArgs } from "node:util";
import { closeDatabase, databaseEngine, migrateDatabase } from "~db/client.server";
import { seedVolume } from "~db/seed/volume";

const { values } = parseArgs({
  options: {
    count: { type: "string", default: "10000" },
    seed: { type: "string", default: "1" },
    call: { type: "string", default: "medicobus-volume" },
  },
});
const count = Number(values.count);
const seed = Number(values.seed);
if (!Number.isInteger(count) || count < 1 || !Number.isInteger(seed)) {
  console.error("Usage : npx tsx scripts/seed-volume.ts [--count 10000] [--seed 1] [--call medicobus-volume] (nombres entiers, --count ≥ 1)");
  process.exit(2);
}

try {
  await migrateDatabase();
  const started = performance.now();
  const result = await seedVolume({
    count,
    seed,
    callSlug: values.call,
    onProgress: (done, total) => process.stdout.write(`\r${done.toLocaleString("fr-FR")} / ${total.toLocaleString("fr-FR")} dossiers`),
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(`\n${count.toLocaleString("fr-FR")} dossiers créés en ${seconds.toFixed(1)} s (${databaseEngine}), appel « ${values.call} », graine ${seed}.`);
  console.log(`Vague 1 : ${result.selected} retenus, ${result.waitlisted} en liste complémentaire, ${result.rejected} non retenus, ${result.withdrawnAfterSelection} retirés après sélection ; ${(result.committedCents / 100).toLocaleString("fr-FR")} € engagés, ${(result.paidCents / 100).toLocaleString("fr-FR")} € versés, ${result.busesCommitted} médicobus.`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await closeDatabase();
}
