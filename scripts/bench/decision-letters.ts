import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { writeBenchmarkSection } from "../lib/benchmark-report";

/*
 * Decision letters: the time to render one letter (the three outcomes in turn, fonts loaded),
 * then the time the job takes to prepare a batch of 120 letters end to end (render, store,
 * outbox mails with the PDF, letter marked prepared) on a fresh embedded database.
 * Run: npx tsx scripts/bench/decision-letters.ts
 */
const WARM_UP = 15;
const RUNS = 90;
const BATCH = 120;
const TARGET_MEDIAN_MS = 100;
const TARGET_BATCH_SECONDS = 60;
const HEADING = "## Courriers de décision";

// A database of its own, before anything opens one: PGlite in a temporary folder.
const dataDir = mkdtempSync(path.join(tmpdir(), "bench-letters-"));
process.env.DATA_DIR = dataDir;
delete process.env.DATABASE_URL;

const { renderDecisionLetter } = await import("~templates/decision-letter");
const { sampleDecisionLetter } = await import("~templates/decision-letter.sample");
const outcomes = ["selected", "waitlisted", "rejected"] as const;
for (let i = 0; i < WARM_UP; i++) await renderDecisionLetter(sampleDecisionLetter(outcomes[i % 3]));

const [load] = loadavg();
const wall: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  await renderDecisionLetter(sampleDecisionLetter(outcomes[i % 3]));
  wall.push(performance.now() - start);
  const used = process.cpuUsage(cpuStart);
  cpu.push((used.user + used.system) / 1000);
}
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const median = percentile(wall, 50);
const p95 = percentile(wall, 95);
const cpuMedian = percentile(cpu, 50);

const { closeDatabase, db, migrateDatabase } = await import("~db/client.server");
const schema = await import("~db/schema");
const { CallRulesSchema } = await import("~/modules/calls/schema");
const { applyDecision } = await import("~/modules/budget/decisions.server");
const { DEFAULT_TEMPLATES } = await import("~/modules/letters/placeholders");
const { prepareLetterBatch, sendDecisionLetters } = await import("~/modules/letters/service.server");
const { stopJobQueue } = await import("~/jobs/queue.server");

await migrateDatabase();
await db.insert(schema.users).values([
  { id: "bench-manager", email: "programme@bench.test", name: "Équipe programme" },
  { id: "bench-applicant", email: "porteur@bench.test", name: "Porteur" },
]);
const manager = { id: "bench-manager", email: "programme@bench.test", name: "Équipe programme", roles: [{ role: "program_manager" as const, regionCode: null }] };
const [call] = await db.insert(schema.calls).values({ slug: "bench", title: "Appel à projets « 100 médicobus »", summary: "Mesure", envelopeCents: 100_000_000_00, busTarget: 200, rules: CallRulesSchema.parse({}) }).returning();
const [wave] = await db
  .insert(schema.waves)
  .values([
    { callId: call.id, number: 1, title: "Vague 1", opensOn: "2026-01-01", closesOn: "2026-03-31", budgetCents: 100_000_000_00, busTarget: 200 },
    { callId: call.id, number: 2, title: "Vague 2", opensOn: "2026-06-01", closesOn: "2026-09-30", budgetCents: 0, busTarget: 0 },
  ])
  .returning();
const [organisation] = await db.insert(schema.organisations).values({ kind: "cpts", name: "CPTS du Perche ornais", siret: "73282932000074", seatCommuneCode: "61001" }).returning();
await db.insert(schema.memberships).values({ organisationId: organisation.id, userId: "bench-applicant" });
const dossiers = await db
  .insert(schema.applications)
  .values(
    Array.from({ length: BATCH }, (_, index) => ({
      reference: `MB-BENCH-${String(index + 1).padStart(4, "0")}`,
      callId: call.id,
      waveId: wave.id,
      organisationId: organisation.id,
      status: "reviewed" as const,
      title: "Médicobus du Perche",
      regionCode: "28",
      requestedCents: 80_000_00,
      totalCostCents: 200_000_00,
    })),
  )
  .returning();
await applyDecision(manager, wave.id, {
  decisions: dossiers.map((dossier, index) =>
    index % 3 === 0
      ? { reference: dossier.reference, outcome: "selected" as const, awardedCents: 80_000_00 }
      : index % 3 === 1
        ? { reference: dossier.reference, outcome: "waitlisted" as const, waitlistRank: index }
        : { reference: dossier.reference, outcome: "rejected" as const, motivation: "Le besoin territorial n'est pas démontré." },
  ),
});
const { batchId } = await sendDecisionLetters(manager, wave.id, { ...DEFAULT_TEMPLATES, expected: BATCH }, "http://portail.test");
const batchStart = performance.now();
const prepared = await prepareLetterBatch(batchId);
const batchSeconds = (performance.now() - batchStart) / 1000;
await stopJobQueue();
await closeDatabase();
rmSync(dataDir, { recursive: true, force: true });
if (prepared.prepared !== BATCH) throw new Error(`expected ${BATCH} letters prepared, got ${JSON.stringify(prepared)}`);

console.log(`Courriers : rendu médian ${median.toFixed(1)} ms (p95 ${p95.toFixed(1)} ms, CPU ${cpuMedian.toFixed(1)} ms) ; lot de ${BATCH} courriers préparé en ${batchSeconds.toFixed(1)} s`);

const section = `${HEADING}

Commande : \`npx tsx scripts/bench/decision-letters.ts\` — mesuré le ${new Date().toISOString().slice(0, 10)} (Node ${process.version}, ${availableParallelism()} cœurs, charge moyenne ${load.toFixed(1)} au départ).

Rendu d'un courrier de décision (retenu, liste complémentaire, non retenu tour à tour, 1 ou 2 pages) avec \`renderDecisionLetter\`, ${RUNS} fois après ${WARM_UP} rendus de chauffe ; puis la tâche d'envoi (\`prepareLetterBatch\`) sur un lot de ${BATCH} décisions dans une base PGlite neuve : rendu, stockage du PDF, courriel mis en file avec sa pièce jointe, courrier marqué préparé, un courrier après l'autre.

| mesure | valeur |
|---|---|
| rendu : médiane | ${median.toFixed(1)} ms |
| rendu : 95e centile | ${p95.toFixed(1)} ms |
| rendu : médiane du temps CPU | ${cpuMedian.toFixed(1)} ms |
| lot de ${BATCH} courriers préparés | ${batchSeconds.toFixed(1)} s (${((batchSeconds * 1000) / BATCH).toFixed(0)} ms par courrier) |
| objectifs | rendu médian ≤ ${TARGET_MEDIAN_MS} ms : ${median <= TARGET_MEDIAN_MS ? "atteint" : "**non atteint**"} ; lot ≤ ${TARGET_BATCH_SECONDS} s : ${batchSeconds <= TARGET_BATCH_SECONDS ? "atteint" : "**non atteint**"} |
`;

writeBenchmarkSection(HEADING, section);
process.exit(0);
