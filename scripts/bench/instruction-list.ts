import { availableParallelism, loadavg } from "node:os";
import { writeBenchmarkSection } from "../lib/benchmark-report";

/*
 * The instruction list (listDossiersForAgent) over 10,000 submitted dossiers: a page of 50 and
 * the counts per status, for the query shapes the agents use most. Runs on an in-memory PGlite,
 * or on PostgreSQL with BENCH_DATABASE_URL (a scratch database: the script migrates it and
 * leaves its rows there). Run: npx tsx scripts/bench/instruction-list.ts
 */
const DOSSIERS = 10_000;
const RUNS = 30;
const TARGET_MEDIAN_MS = 100;
const HEADING = "## Liste d'instruction";

if (process.env.BENCH_DATABASE_URL) process.env.DATABASE_URL = process.env.BENCH_DATABASE_URL;
else {
  delete process.env.DATABASE_URL;
  process.env.DATA_DIR = "memory://";
}
const { closeDatabase, databaseEngine, db, migrateDatabase } = await import("~db/client.server");
const schema = await import("~db/schema");
const { CallRulesSchema } = await import("~/modules/calls/schema");
const { listDossiersForAgent } = await import("~/modules/instruction/queries.server");
await migrateDatabase();

const suffix = Math.random().toString(36).slice(2, 8);
const [call] = await db.insert(schema.calls).values({ slug: `bench-${suffix}`, title: "Banc d'essai", summary: "Banc d'essai", envelopeCents: 10_000_000_00, busTarget: 100, rules: CallRulesSchema.parse({}) }).returning();
const [wave1, wave2] = await db
  .insert(schema.waves)
  .values([
    { callId: call.id, number: 1, title: "Vague 1", opensOn: "2026-01-01", closesOn: "2026-03-01", budgetCents: 5_000_000_00, busTarget: 50 },
    { callId: call.id, number: 2, title: "Vague 2", opensOn: "2026-04-01", closesOn: "2026-06-01", budgetCents: 5_000_000_00, busTarget: 50 },
  ])
  .returning();
const agents = await db
  .insert(schema.users)
  .values(["ars", "manager"].map((name) => ({ id: `bench-${name}-${suffix}`, email: `bench-${name}-${suffix}@exemple.fr`, name })))
  .returning();
const ars = { id: agents[0].id, email: agents[0].email, name: "ARS", roles: [{ role: "ars_agent" as const, regionCode: "28" }] };
const manager = { id: agents[1].id, email: agents[1].email, name: "Programme", roles: [{ role: "program_manager" as const, regionCode: null }] };
const orgs = await db
  .insert(schema.organisations)
  .values(Array.from({ length: 200 }, (_, index) => ({ kind: "cpts" as const, name: `CPTS banc ${index}`, siret: "73282932000074", seatCommuneCode: "61001" })))
  .returning();

const regions = ["11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94"];
const departements = ["14", "22", "29", "35", "50", "61", "72", "13", "33", "59", "69", "75"];
const statuses = ["submitted", "changes_requested", "under_review", "reviewed", "ineligible", "selected", "waitlisted", "rejected", "withdrawn"] as const;
let seed = 7;
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const rows = Array.from({ length: DOSSIERS }, (_, index) => {
  const status = statuses[Math.floor(random() * statuses.length)];
  const scored = ["reviewed", "selected", "waitlisted", "rejected"].includes(status);
  const regionCode = regions[Math.floor(random() * regions.length)];
  return {
    reference: `MB-2026-B${suffix}${index}`,
    callId: call.id,
    waveId: random() < 0.5 ? wave1.id : wave2.id,
    organisationId: orgs[Math.floor(random() * orgs.length)].id,
    status,
    title: `Médicobus ${index}`,
    regionCode,
    departementCodes: [departements[Math.floor(random() * departements.length)]],
    populationCovered: Math.floor(random() * 50_000),
    submittedAt: new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 90 * 86_400_000)),
    arsScore: scored ? Math.floor(random() * 10_001) : null,
    anctScore: scored ? Math.floor(random() * 10_001) : null,
    consolidatedScore: scored ? Math.floor(random() * 10_001) : null,
    scoreGapFlag: scored && random() < 0.1,
  };
});
for (let offset = 0; offset < rows.length; offset += 500) await db.insert(schema.applications).values(rows.slice(offset, offset + 500));
if (databaseEngine === "postgres") await db.execute((await import("drizzle-orm")).sql`analyze applications`);

const shapes = [
  { label: "ARS d'une région, plus récents d'abord", run: () => listDossiersForAgent(ars, {}) },
  { label: "national, classement par note, page 3", run: () => listDossiersForAgent(manager, { sort: "score", page: 3 }) },
  { label: "national, vague + département + statut + plage de notes", run: () => listDossiersForAgent(manager, { waveId: wave2.id, departementCode: "61", status: "reviewed", scoreMin: "40", scoreMax: "90", sort: "score" }) },
  { label: "national, recherche par nom d'organisation", run: () => listDossiersForAgent(manager, { q: "banc 17" }) },
];
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const [load] = loadavg();
const results: Array<{ label: string; median: number; total: number }> = [];
for (const shape of shapes) {
  await shape.run();
  const times: number[] = [];
  let total = 0;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    total = (await shape.run()).total;
    times.push(performance.now() - start);
  }
  results.push({ label: shape.label, median: median(times), total });
  console.log(`${shape.label}: médiane ${median(times).toFixed(1)} ms (${total} dossiers)`);
}
await closeDatabase();

const worst = Math.max(...results.map((result) => result.median));
const section = `${HEADING}

Commande : \`npx tsx scripts/bench/instruction-list.ts\` (PGlite en mémoire ; \`BENCH_DATABASE_URL=postgres://…\` pour PostgreSQL) — mesuré le ${new Date().toISOString().slice(0, 10)} sur ${databaseEngine === "postgres" ? "PostgreSQL" : "PGlite"} (Node ${process.version}, ${availableParallelism()} cœurs, charge moyenne ${load.toFixed(1)} au départ).

\`listDossiersForAgent\` sur ${DOSSIERS.toLocaleString("fr-FR")} dossiers déposés (page de 50 et comptes par statut, deux requêtes), ${RUNS} fois par forme de requête après une exécution de chauffe.

| requête | dossiers trouvés | médiane |
|---|---|---|
${results.map((result) => `| ${result.label} | ${result.total} | ${result.median.toFixed(1)} ms |`).join("\n")}
| objectif | | médiane ≤ ${TARGET_MEDIAN_MS} ms pour chaque forme : ${worst <= TARGET_MEDIAN_MS ? "atteint" : "**non atteint**"} |
`;

writeBenchmarkSection(HEADING, section);
