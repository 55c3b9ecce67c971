import { execFile } from "node:child_process";
import { createReadStream, createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { promisify } from "node:util";
import type { Row } from "exceljs";
import postgres from "postgres";
import { writeBenchmarkSection } from "../lib/benchmark-report";

/*
 * Exports of 100,000 dossiers on PostgreSQL, through the module the routes use (dossierExport +
 * exportResponse): the CSV (Excel FR) and the XLSX, each written by a child process of its own so
 * that its peak memory is the export's alone — sampled in the process (rss every 20 ms) and, when
 * /usr/bin/time is there, its maximum resident set size. The CSV is then read back record by
 * record and compared with the database, row by row; the XLSX is read back by exceljs's streaming
 * reader. The database is created for the run and dropped after it.
 *
 * Run: npx tsx scripts/bench/export.ts (server: BENCH_ADMIN_URL, else TEST_DATABASE_URL, else
 * postgres://postgres@127.0.0.1:5432/test — a role allowed to create databases). BENCH_REPORT=0
 * prints the section instead of writing it into docs/benchmarks.md.
 */

const DOSSIERS = 100_000;
const TARGET_MB = 150;
/** The old generation's cap of the third run of each format (see below). */
const HEAP_LIMIT_MB = 96;
const HEADING = "## Exports";
const TSX = path.join(process.cwd(), "node_modules", ".bin", "tsx");
const SCRIPT = path.join("scripts", "bench", "export.ts");
const run = promisify(execFile);
const megabytes = (bytes: number) => bytes / 1024 / 1024;

interface ChildReport {
  format: "csv" | "xlsx";
  /** The V8 option the child ran with, if any (a capped old generation). */
  heapLimit?: string;
  totalRows: number;
  bytes: number;
  ms: number;
  baselineRssMb: number;
  peakRssMb: number;
  peakHeapMb: number;
}

// ——— Child: one export to a file, its memory sampled ———

if (process.argv[2] === "--export") {
  const format = process.argv[3] as "csv" | "xlsx";
  const file = process.argv[4];
  const regionCode = process.argv[5];
  const { closeDatabase, db } = await import("~db/client.server");
  const { sql } = await import("drizzle-orm");
  const { dossierExport } = await import("~/modules/exports/lists.server");
  const { exportResponse } = await import("~/modules/exports/stream.server");
  await db.execute(sql`select 1`);
  const manager = { id: process.env.BENCH_MANAGER_ID!, email: "programme@banc.test", name: "Programme", roles: [{ role: "program_manager" as const, regionCode: null }] };
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  let peakHeap = process.memoryUsage().heapUsed;
  const sample = () => {
    const usage = process.memoryUsage();
    peak = Math.max(peak, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  };
  const sampler = setInterval(sample, 20);
  const started = performance.now();
  const response = await exportResponse(dossierExport(manager, regionCode ? { regionCode } : {}), format);
  await pipeline(Readable.fromWeb(response.body as WebReadableStream), createWriteStream(file));
  const ms = performance.now() - started;
  clearInterval(sampler);
  sample();
  await closeDatabase();
  const report: ChildReport = { format, totalRows: Number(response.headers.get("X-Total-Rows")), bytes: statSync(file).size, ms, baselineRssMb: megabytes(baseline), peakRssMb: megabytes(peak), peakHeapMb: megabytes(peakHeap) };
  console.log(JSON.stringify(report));
  process.exit(0);
}

// ——— Parent: database, data, children, checks, report ———

const adminUrl = process.env.BENCH_ADMIN_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const databaseName = `mb_bench_export_${process.pid}`;
const url = new URL(adminUrl);
url.pathname = `/${databaseName}`;
const databaseUrl = url.toString();
const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database "${databaseName}"`);
process.env.DATABASE_URL = databaseUrl;
const folder = mkdtempSync(path.join(tmpdir(), "bench-export-"));
const loadAtStart = loadavg()[0];

try {
  const { closeDatabase, db, migrateDatabase } = await import("~db/client.server");
  const { asc, gt, sql } = await import("drizzle-orm");
  const schema = await import("~db/schema");
  const { CallRulesSchema } = await import("~/modules/calls/schema");
  const { STATUS_LABELS } = await import("~/modules/applications/lifecycle");
  const { CsvReader } = await import("../../tests/fixtures/csv");
  const ExcelJS = (await import("exceljs")).default;
  await migrateDatabase();

  const [call] = await db.insert(schema.calls).values({ slug: "banc-export", title: "Banc d'essai", summary: "Banc d'essai", envelopeCents: 10_000_000_00, busTarget: 100, rules: CallRulesSchema.parse({}) }).returning();
  const [wave1, wave2] = await db
    .insert(schema.waves)
    .values([
      { callId: call.id, number: 1, title: "Vague 1", opensOn: "2026-01-01", closesOn: "2026-03-01", budgetCents: 5_000_000_00, busTarget: 50 },
      { callId: call.id, number: 2, title: "Vague 2", opensOn: "2026-04-01", closesOn: "2026-06-01", budgetCents: 5_000_000_00, busTarget: 50 },
    ])
    .returning();
  const [manager] = await db.insert(schema.users).values({ id: "bench-programme", email: "programme@banc.test", name: "Programme" }).returning();
  const organisations = await db
    .insert(schema.organisations)
    .values(Array.from({ length: 200 }, (_, index) => ({ kind: "cpts" as const, name: `CPTS banc n° ${index}${index % 10 === 0 ? ' ; « la "grande" »' : ""}`, siret: "73282932000074", seatCommuneCode: "61001" })))
    .returning({ id: schema.organisations.id });

  // One statement: 100,000 rows generated by the server, with titles that need quoting or neutralising.
  const insertStarted = performance.now();
  const organisationIds = `{${organisations.map((organisation) => organisation.id).join(",")}}`;
  await db.execute(sql`
    insert into applications (reference, call_id, wave_id, organisation_id, status, title, region_code, departement_codes, population_covered, total_cost_cents, requested_cents, submitted_at, ars_score, anct_score, consolidated_score, score_gap_flag)
    select
      'MB-B-' || lpad(i::text, 6, '0'),
      ${call.id}::uuid,
      case when i % 2 = 0 then ${wave1.id}::uuid else ${wave2.id}::uuid end,
      (${organisationIds}::uuid[])[1 + i % 200],
      (array['submitted','under_review','reviewed','selected','waitlisted','rejected','withdrawn'])[1 + i % 7]::application_status,
      'Médicobus n° ' || i || case when i % 97 = 0 then ' ; « tournée "est" »' when i % 101 = 0 then '' || chr(10) || 'deuxième ligne' when i % 103 = 0 then '=1+1' else '' end,
      (array['11','24','27','28','32','44','52','53','75','76','84','93','94'])[1 + i % 13],
      array[(array['14','22','29','35','50','61','72','13','33','59','69','75'])[1 + i % 12]],
      (i * 7919) % 50000,
      (100000 + (i * 37) % 300000) * 100,
      (40000 + (i * 13) % 100000) * 100 + i % 100,
      timestamptz '2026-01-01 08:00:00+01' + (i % 90) * interval '1 day' + i * interval '1 second',
      case when i % 7 between 2 and 5 then (i * 31) % 10001 end,
      case when i % 7 between 2 and 5 then (i * 17) % 10001 end,
      case when i % 7 between 2 and 5 then (i * 23) % 10001 end,
      i % 7 between 2 and 5 and i % 10 = 0
    from generate_series(1, ${DOSSIERS}) as i`);
  await db.execute(sql`analyze applications`);
  const insertMs = performance.now() - insertStarted;

  const timed = existsSync("/usr/bin/time");
  type Measured = ChildReport & { maxRssMb: number | null };
  const exportOnce = async (format: "csv" | "xlsx", options: { regionCode?: string; heapLimitMb?: number } = {}): Promise<Measured> => {
    const file = path.join(folder, `dossiers${options.regionCode ? `-${options.regionCode}` : ""}.${format}`);
    const exportArgs = [SCRIPT, "--export", format, file, ...(options.regionCode ? [options.regionCode] : [])];
    const nodeOptions = options.heapLimitMb ? `--max-old-space-size=${options.heapLimitMb}` : process.env.NODE_OPTIONS;
    const { stdout, stderr } = await run(timed ? "/usr/bin/time" : TSX, timed ? ["-v", TSX, ...exportArgs] : exportArgs, { env: { ...process.env, DATABASE_URL: databaseUrl, BENCH_MANAGER_ID: manager.id, NODE_OPTIONS: nodeOptions }, maxBuffer: 16 * 1024 * 1024 });
    const report = JSON.parse(stdout.trim().split("\n").at(-1)!) as ChildReport;
    const maxRss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1];
    const measured = { ...report, heapLimit: options.heapLimitMb ? `tas limité à ${options.heapLimitMb} Mio` : undefined, maxRssMb: maxRss ? Number(maxRss) / 1024 : null };
    console.log(`${format}${options.regionCode ? ` (région ${options.regionCode})` : ""}${options.heapLimitMb ? ` (--max-old-space-size=${options.heapLimitMb})` : ""}: ${report.totalRows} lignes, ${megabytes(report.bytes).toFixed(1)} Mio en ${(report.ms / 1000).toFixed(1)} s, au repos ${report.baselineRssMb.toFixed(0)} Mio, pic ${report.peakRssMb.toFixed(0)} Mio (tas ${report.peakHeapMb.toFixed(0)} Mio)${maxRss ? `, maxrss ${(Number(maxRss) / 1024).toFixed(0)} Mio` : ""}`);
    return measured;
  };
  // The same export on a thirteenth of the rows (one région), on all of them, and on all of them
  // with V8's old generation capped: if the rows were kept, the capped run would die of it; that
  // it ends with the same peak shows the default run's extra memory is garbage V8 had not collected yet.
  const reports: Measured[] = [];
  for (const format of ["csv", "xlsx"] as const) reports.push(await exportOnce(format, { regionCode: "28" }), await exportOnce(format), await exportOnce(format, { heapLimitMb: HEAP_LIMIT_MB }));

  // The CSV read back record by record, against the database read by the same key in batches.
  const euros = (cents: number) => `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, "0")}`;
  const reader = new CsvReader();
  const stream = createReadStream(path.join(folder, "dossiers.csv"), { encoding: "utf8" });
  let header: string[] | null = null;
  let checked = 0;
  let expectedBatch: Array<{ reference: string; title: string; status: keyof typeof STATUS_LABELS; populationCovered: number; requestedCents: number; consolidatedScore: number | null }> = [];
  let lastReference = "";
  let first = true;
  const nextExpected = async () => {
    if (expectedBatch.length === 0) {
      expectedBatch = await db
        .select({ reference: schema.applications.reference, title: schema.applications.title, status: schema.applications.status, populationCovered: schema.applications.populationCovered, requestedCents: schema.applications.requestedCents, consolidatedScore: schema.applications.consolidatedScore })
        .from(schema.applications)
        .where(gt(schema.applications.reference, lastReference))
        .orderBy(asc(schema.applications.reference))
        .limit(1000);
      if (expectedBatch.length > 0) lastReference = expectedBatch[expectedBatch.length - 1].reference;
    }
    return expectedBatch.shift();
  };
  for await (const chunk of stream) {
    let text = chunk as string;
    if (first) {
      if (!text.startsWith("\uFEFF")) throw new Error("Le CSV ne commence pas par l'indicateur d'ordre des octets.");
      text = text.slice(1);
      first = false;
    }
    for (const record of reader.push(text)) {
      if (!header) {
        header = record;
        continue;
      }
      const row = Object.fromEntries(header.map((name, index) => [name, record[index]]));
      const expected = await nextExpected();
      if (!expected) throw new Error(`Ligne en trop dans le CSV : ${record[0]}`);
      const wanted = {
        "Référence": expected.reference,
        "Intitulé du projet": /^[=+\-@\t\r]/.test(expected.title) ? `'${expected.title}` : expected.title,
        "Statut": STATUS_LABELS[expected.status],
        "Population couverte": String(expected.populationCovered),
        "Montant demandé (€)": euros(expected.requestedCents),
        "Note consolidée (/100)": expected.consolidatedScore === null ? "" : euros(expected.consolidatedScore),
      };
      for (const [name, value] of Object.entries(wanted)) if (row[name] !== value) throw new Error(`Ligne ${expected.reference}, colonne « ${name} » : « ${row[name]} » lu, « ${value} » attendu.`);
      if (record.length !== header.length) throw new Error(`Ligne ${expected.reference} : ${record.length} valeurs pour ${header.length} colonnes.`);
      checked += 1;
    }
  }
  reader.end();
  if (checked !== DOSSIERS || (await nextExpected())) throw new Error(`${checked} lignes relues pour ${DOSSIERS} dossiers.`);
  console.log(`CSV relu : ${checked} lignes identiques à la base.`);

  // The XLSX read back as a stream: every row there, numbers as numbers.
  let xlsxRows = 0;
  let firstAmount: unknown = null;
  const workbookReader = new ExcelJS.stream.xlsx.WorkbookReader(path.join(folder, "dossiers.xlsx"), { sharedStrings: "cache", styles: "ignore", worksheets: "emit", hyperlinks: "ignore", entries: "ignore" });
  for await (const worksheet of workbookReader) {
    for await (const row of worksheet as AsyncIterable<Row>) {
      xlsxRows += 1;
      if (xlsxRows === 2) firstAmount = row.getCell(12).value;
    }
  }
  if (xlsxRows !== DOSSIERS + 1 || typeof firstAmount !== "number") throw new Error(`XLSX relu : ${xlsxRows} lignes, montant ${String(firstAmount)}.`);
  console.log(`XLSX relu : ${xlsxRows - 1} lignes, montants numériques.`);
  await closeDatabase();

  const growth = (report: Measured) => report.peakRssMb - report.baselineRssMb;
  const total = (report: Measured) => Math.max(report.peakRssMb, report.maxRssMb ?? 0);
  const full = reports.filter((report) => report.totalRows === DOSSIERS);
  const capped = full.filter((report) => report.heapLimit);
  const verdict = (ok: boolean) => (ok ? "atteint" : "**non atteint**");
  const line = (report: Measured) =>
    `| ${report.format.toUpperCase()}${report.heapLimit ? ` (${report.heapLimit})` : ""} | ${report.totalRows} | ${megabytes(report.bytes).toFixed(1)} Mio | ${(report.ms / 1000).toFixed(1)} s | ${Math.round(report.totalRows / (report.ms / 1000))} lignes/s | ${report.baselineRssMb.toFixed(0)} Mio | ${report.peakRssMb.toFixed(0)} Mio | +${growth(report).toFixed(0)} Mio | ${report.peakHeapMb.toFixed(0)} Mio | ${report.maxRssMb === null ? "—" : `${report.maxRssMb.toFixed(0)} Mio`} |`;
  const section = `${HEADING}

Commande : \`npx tsx scripts/bench/export.ts\` (PostgreSQL, base créée puis supprimée par le script) — mesuré le ${new Date().toISOString().slice(0, 10)} (Node ${process.version}, ${availableParallelism()} cœurs, charge moyenne ${loadAtStart.toFixed(1)} au départ).

${DOSSIERS} dossiers déposés insérés en une requête \`generate_series\` (${(insertMs / 1000).toFixed(1)} s), puis exportés par le module des routes (\`dossierExport\` + \`exportResponse\`, lots de 1 000 par clé, sans OFFSET) vers un fichier, chaque export dans un processus à part : une fois sur les dossiers d'une région (un treizième), une fois sur tous, une fois sur tous avec l'ancienne génération du tas de V8 limitée à ${HEAP_LIMIT_MB} Mio (\`--max-old-space-size\`) — si l'export gardait ses lignes, ce dernier passage échouerait faute de mémoire. « Au repos » : la mémoire du processus une fois l'application chargée, avant l'export ; « pic » : le maximum de \`process.memoryUsage().rss\` échantillonné toutes les 20 ms pendant l'export ; « hausse » : pic − repos, la mémoire que l'export lui-même occupe ; « tas » : le maximum de \`heapUsed\` ; « maxrss » : le maximum que mesure \`/usr/bin/time -v\` sur tout le processus.

| format | lignes | taille | durée | débit | au repos | pic (rss) | hausse | tas | maxrss |
|---|---|---|---|---|---|---|---|---|---|
${reports.map(line).join("\n")}

Vérification : le CSV relu enregistrement par enregistrement (lecteur RFC 4180 de \`tests/fixtures/csv.ts\`) donne les ${DOSSIERS} lignes de la base, dans l'ordre, valeur par valeur (référence, intitulé — guillemets, point-virgule, retour à la ligne et formule neutralisée compris —, statut, population, montant, note) ; le XLSX relu par le lecteur en flux d'exceljs a ${DOSSIERS} lignes et des montants numériques.

Objectif « pic de mémoire sous ${TARGET_MB} Mio » : pour la mémoire de l'export (hausse), ${verdict(full.every((report) => growth(report) < TARGET_MB))} (au plus +${Math.round(Math.max(...full.map(growth)))} Mio ; +${Math.round(Math.max(...capped.map(growth)))} Mio au plus avec le tas limité à ${HEAP_LIMIT_MB} Mio, le même export de 100 000 lignes allant à son terme) ; pour le processus entier (pic ou maxrss), ${verdict(full.every((report) => total(report) < TARGET_MB))} (au plus ${Math.round(Math.max(...full.map(total)))} Mio ; ${Math.round(Math.max(...capped.map(total)))} Mio au plus avec le tas limité).

Au repos, le processus occupe ${Math.round(Math.min(...reports.map((report) => report.baselineRssMb)))} à ${Math.round(Math.max(...reports.map((report) => report.baselineRssMb)))} Mio avant la première ligne exportée, contre 210 à 231 Mio avant ce travail : le client de base de données chargeait PGlite (PostgreSQL en WASM, environ 45 Mio) même sur PostgreSQL, et la soumission d'un dossier, importée par les requêtes de la liste d'instruction, chargeait le moteur PDF (react-pdf, ses polices, son moteur de mise en page en WASM, environ 45 Mio) ; PGlite n'est plus chargé que par le moteur embarqué, le moteur PDF qu'au premier document et exceljs qu'au premier export XLSX. Ce qui reste : tsx (environ 70 Mio pour le chargeur TypeScript, que \`npm start\` utilise aussi), drizzle, postgres.js et les modules de l'application. La hausse pendant l'export est surtout du tas que V8 n'a pas encore ramassé : limité à ${HEAP_LIMIT_MB} Mio, le même export va à son terme avec une hausse bien moindre.
`;
  writeBenchmarkSection(HEADING, section);
} finally {
  rmSync(folder, { recursive: true, force: true });
  await admin.unsafe(`drop database if exists "${databaseName}" with (force)`);
  await admin.end();
}
