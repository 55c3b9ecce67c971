import { spawn } from "node:child_process";
import { createReadStream, createWriteStream, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { Row } from "exceljs";
import postgres from "postgres";
import { writeBenchmarkSection } from "../lib/benchmark-report";
import { portalCommand } from "../lib/portal-build";

/*
 * Exports of 100,000 dossiers on PostgreSQL, measured on the portal as production runs it: the
 * built server started as `npm start` starts it (`node build/server/start.js`, no tsx), with
 * PORTAL_MODE=production and its background jobs on, asked for /instruction/export by a signed-in
 * programme manager over HTTP (the route, its session check and the HTTP shell with compression
 * included). Each export gets a portal process of its own, so that its peak memory is that
 * export's alone: the portal's resident memory is read from /proc every 20 ms, and its peak as
 * the kernel keeps it (VmHWM, reset once the portal is warm, so that it covers the export). The
 * CSV is then read back record by record and compared with the database, row by row; the XLSX is
 * read back by exceljs's streaming reader. The database is created for the run and dropped after it.
 *
 * Run from a checkout whose build is current (it is built first otherwise):
 * npx tsx scripts/bench/export.ts (server: BENCH_ADMIN_URL, else TEST_DATABASE_URL, else
 * postgres://postgres@127.0.0.1:5432/test — a role allowed to create databases). BENCH_REPORT=0
 * prints the section instead of writing it into docs/benchmarks.md.
 */

const DOSSIERS = 100_000;
const TARGET_MB = 150;
/** The old generation's cap of the third run of each format (see below). */
const HEAP_LIMIT_MB = 96;
const HEADING = "## Exports";
const PORT = Number(process.env.BENCH_PORT ?? 3611);
const megabytes = (bytes: number) => bytes / 1024 / 1024;

interface Measured {
  format: "csv" | "xlsx";
  /** The V8 option the portal ran with, if any (a capped old generation). */
  heapLimit?: string;
  totalRows: number;
  bytes: number;
  ms: number;
  /** The portal's resident memory once warm, before the export. */
  baselineRssMb: number;
  /** The highest resident memory sampled during the export. */
  peakRssMb: number;
  /** The kernel's peak (VmHWM) over the export, when it could be reset before it; else over the process's life. */
  kernelPeakMb: number | null;
  /** The kernel's peak over the start and the warm-up page, before the export. */
  startPeakMb: number | null;
}

/** A field of /proc/<pid>/status in MiB (VmRSS, VmHWM), or null once the process is gone. */
function procStatusMb(pid: number, field: "VmRSS" | "VmHWM"): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Resets the kernel's peak resident memory of a process (Linux ≥ 4.0); false when not allowed. */
function resetPeak(pid: number) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
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

  // The programme manager who asks for the files, signed in as sign-in would (a session row and its cookie).
  await db.insert(schema.roleAssignments).values({ userId: manager.id, role: "program_manager", regionCode: null });
  const { startSession } = await import("~/modules/auth/session.server");
  const cookie = (await startSession(manager.id)).split(";")[0];

  const [command, commandArgs] = portalCommand();
  const baseUrl = `http://127.0.0.1:${PORT}`;
  const get = (pathname: string) => fetch(`${baseUrl}${pathname}`, { headers: { Cookie: cookie } });
  const exportOnce = async (format: "csv" | "xlsx", options: { regionCode?: string; heapLimitMb?: number } = {}): Promise<Measured> => {
    const file = path.join(folder, `dossiers${options.regionCode ? `-${options.regionCode}` : ""}.${format}`);
    const log = openSync(path.join(folder, "portail.log"), "a");
    // A real deployment's settings: production mode (no demo data, which would add dossiers to the file), jobs on.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      PORTAL_MODE: "production",
      JOBS: "on",
      DATABASE_URL: databaseUrl,
      DATA_DIR: path.join(folder, "donnees"),
      HOST: "127.0.0.1",
      PORT: String(PORT),
      PUBLIC_URL: baseUrl,
      SESSION_SECRET: "banc-export-secret-de-session",
      // No mail is sent during the run: an address nothing listens on.
      SMTP_URL: "smtp://127.0.0.1:9",
      NODE_OPTIONS: options.heapLimitMb ? `--max-old-space-size=${options.heapLimitMb}` : process.env.NODE_OPTIONS,
    };
    const portal = spawn(command, commandArgs, { env, stdio: ["ignore", log, log] });
    const exited = new Promise((resolve) => portal.once("exit", resolve));
    try {
      for (let waited = 0; ; waited += 100) {
        if (portal.exitCode !== null) throw new Error(`Le portail s'est arrêté au démarrage : voir ${path.join(folder, "portail.log")}`);
        if ((await fetch(`${baseUrl}/healthz`).then((response) => response.status, () => 0)) === 200) break;
        if (waited > 120_000) throw new Error("Le portail ne répond pas sur /healthz.");
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // Warm, as a portal that has served the list before its export: the list page once.
      const warm = await get(`/instruction${options.regionCode ? `?regionCode=${options.regionCode}` : ""}`);
      if (warm.status !== 200) throw new Error(`/instruction : statut ${warm.status}`);
      await warm.arrayBuffer();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const pid = portal.pid!;
      const startPeakMb = procStatusMb(pid, "VmHWM");
      const peakReset = resetPeak(pid);
      const baseline = procStatusMb(pid, "VmRSS")!;
      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, procStatusMb(pid, "VmRSS") ?? 0)), 20);
      const started = performance.now();
      const response = await get(`/instruction/export?format=${format}${options.regionCode ? `&regionCode=${options.regionCode}` : ""}`);
      if (response.status !== 200 || !response.body) throw new Error(`/instruction/export : statut ${response.status}`);
      await pipeline(Readable.fromWeb(response.body as WebReadableStream), createWriteStream(file));
      const ms = performance.now() - started;
      clearInterval(sampler);
      peak = Math.max(peak, procStatusMb(pid, "VmRSS") ?? 0);
      const hwm = procStatusMb(pid, "VmHWM");
      const measured: Measured = {
        format,
        heapLimit: options.heapLimitMb ? `tas limité à ${options.heapLimitMb} Mio` : undefined,
        totalRows: Number(response.headers.get("X-Total-Rows")),
        bytes: statSync(file).size,
        ms,
        baselineRssMb: baseline,
        peakRssMb: peak,
        kernelPeakMb: hwm === null ? null : peakReset ? hwm : Math.max(hwm, peak),
        startPeakMb,
      };
      console.log(
        `${format}${options.regionCode ? ` (région ${options.regionCode})` : ""}${options.heapLimitMb ? ` (--max-old-space-size=${options.heapLimitMb})` : ""}: ${measured.totalRows} lignes, ${megabytes(measured.bytes).toFixed(1)} Mio en ${(ms / 1000).toFixed(1)} s, au repos ${baseline.toFixed(0)} Mio, pic ${peak.toFixed(0)} Mio, VmHWM ${hwm?.toFixed(0) ?? "—"} Mio (démarrage ${startPeakMb?.toFixed(0) ?? "—"} Mio)`,
      );
      return measured;
    } finally {
      portal.kill("SIGTERM");
      await exited;
    }
  };
  // The same export on a thirteenth of the rows (one région), on all of them, and on all of them
  // with V8's old generation capped: if the export kept its rows, the capped run would die of it;
  // that it ends with the same output shows the default run's extra memory is garbage V8 had not
  // collected yet.
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
  /** The process's peak over its whole life: the start, the warm-up page and the export. */
  const total = (report: Measured) => Math.max(report.peakRssMb, report.kernelPeakMb ?? 0, report.startPeakMb ?? 0);
  const full = reports.filter((report) => report.totalRows === DOSSIERS);
  const byDefault = full.filter((report) => !report.heapLimit);
  const verdict = (ok: boolean) => (ok ? "atteint" : "**non atteint**");
  const mb = (value: number | null) => (value === null ? "—" : `${value.toFixed(0)} Mio`);
  const line = (report: Measured) =>
    `| ${report.format.toUpperCase()}${report.heapLimit ? ` (${report.heapLimit})` : ""} | ${report.totalRows} | ${megabytes(report.bytes).toFixed(1)} Mio | ${(report.ms / 1000).toFixed(1)} s | ${Math.round(report.totalRows / (report.ms / 1000))} lignes/s | ${mb(report.baselineRssMb)} | ${mb(report.peakRssMb)} | +${growth(report).toFixed(0)} Mio | ${mb(report.kernelPeakMb)} | ${mb(total(report))} |`;
  const section = `${HEADING}

Commande : \`npx tsx scripts/bench/export.ts\` (PostgreSQL, base créée puis supprimée par le script ; le portail est construit d'abord si son build est plus ancien que les sources) — mesuré le ${new Date().toISOString().slice(0, 10)} (Node ${process.version}, ${availableParallelism()} cœurs, charge moyenne ${loadAtStart.toFixed(1)} au départ).

${DOSSIERS} dossiers déposés insérés en une requête \`generate_series\` (${(insertMs / 1000).toFixed(1)} s), puis demandés à \`/instruction/export\` par un membre de l'équipe programme connecté, au **portail tel que la production le lance** : \`node ${commandArgs.join(" ")}\` (ce que lance \`npm start\` une fois le build à jour, sans tsx), \`PORTAL_MODE=production\`, tâches de fond actives, par HTTP (session, route, compression et écriture de la réponse compris). Chaque export a son propre processus de portail : une fois sur les dossiers d'une région (un treizième), une fois sur tous, une fois sur tous avec l'ancienne génération du tas de V8 limitée à ${HEAP_LIMIT_MB} Mio (\`--max-old-space-size\`) — si l'export gardait ses lignes, ce dernier passage échouerait faute de mémoire. Le portail a servi la liste d'instruction une fois avant l'export. « Au repos » : la mémoire résidente du processus juste avant l'export ; « pic » : le maximum de VmRSS (\`/proc/<pid>/status\`) lu toutes les 20 ms pendant l'export ; « hausse » : pic − repos ; « pic noyau » : VmHWM, le maximum que tient le noyau, remis à zéro juste avant l'export (\`clear_refs\`) ; « processus entier » : le plus haut de ces pics et de celui du démarrage (VmHWM avant la remise à zéro).

| format | lignes | taille | durée | débit | au repos | pic (rss) | hausse | pic noyau | processus entier |
|---|---|---|---|---|---|---|---|---|---|
${reports.map(line).join("\n")}

Vérification : le CSV relu enregistrement par enregistrement (lecteur RFC 4180 de \`tests/fixtures/csv.ts\`) donne les ${DOSSIERS} lignes de la base, dans l'ordre, valeur par valeur (référence, intitulé — guillemets, point-virgule, retour à la ligne et formule neutralisée compris —, statut, population, montant, note) ; le XLSX relu par le lecteur en flux d'exceljs a ${DOSSIERS} lignes et des montants numériques.

Objectif « export de ${DOSSIERS} dossiers en CSV et en XLSX, pic de mémoire sous ${TARGET_MB} Mio », mesuré sur le processus entier du portail : ${verdict(byDefault.every((report) => total(report) < TARGET_MB))} (au plus ${Math.round(Math.max(...byDefault.map(total)))} Mio ; hausse pendant l'export au plus +${Math.round(Math.max(...byDefault.map(growth)))} Mio).

Ce qui a changé depuis la mesure précédente (même jeu de données : CSV 171 Mio de pic, XLSX 241 Mio, mesurés alors dans un processus \`tsx\` qui n'avait chargé que les modules de l'export) :

- **Le portail de production tourne sous \`node\`, plus sous tsx** (ADR 012). Le chargeur de tsx (un second isolat V8 pour ses crochets ESM) coûtait environ 40 Mio à chaque processus, et \`scripts/start.ts\`, chargé depuis les sources, portait une seconde copie des modules de l'application à côté de celle du build Remix. Le démarrage (\`app/http/start.server.ts\` : migrations, démonstration, tâches, serveur HTTP) est maintenant une seconde entrée du build serveur, \`build/server/start.js\` : une seule copie des modules, partagée avec les routes. \`npm start\` vérifie le build sous tsx, puis lance \`node\`.
- **Le XLSX attend vraiment le compresseur.** L'attente de vidage de l'entrée du zip lisait \`writableNeedDrain\`, que le PassThrough d'archiver (paquet \`readable-stream\` 3) n'a pas : l'export n'attendait jamais et la feuille non compressée s'empilait en mémoire (+130 Mio pour 100 000 lignes, mesuré hors portail). L'état de vidage est maintenant lu aussi dans \`_writableState\`, ligne par ligne.
- **Le XLSX ne recalcule plus le style de chaque cellule** : exceljs reconnaît un style par identité d'objet et donnait à chaque cellule un objet neuf, qu'il sérialisait en XML pour lui trouver un numéro (1,7 million de fois) ; chaque colonne a maintenant un objet de style partagé par ses cellules. Sur le portail, l'export XLSX de 100 000 lignes a pris 4,9 s au lieu de 8,8 s. Et le premier export XLSX ne charge plus que l'écrivain en flux d'exceljs (16 Mio une fois chargé) au lieu du paquet entier (27 Mio : lecteurs, unzipper, jszip, module CSV).
- **La réponse attend le client.** Le gestionnaire Express de Remix (\`@remix-run/express\` 2.17) écrivait le corps d'une réponse aussi vite qu'il était produit, sans tenir compte de \`write()\` qui dit « plein » : un export vers un client plus lent que la base s'empilait dans le processus (64 Mio lus d'avance sur 64 Mio dans le test), et un client parti ne l'arrêtait pas. \`app/http/remix-handler.ts\` lit un morceau seulement quand le précédent est parti (à travers la compression) et annule le corps quand la connexion se ferme (test : \`app/http/remix-handler.test.ts\`).
- **Le tas de V8 grandit moins entre deux collectes** : \`--max-semi-space-size=8 --heap-growing-percent=25\` sur la ligne de commande du portail (\`npm start\`). Un export produit des dizaines de Mio de déchets par seconde (lignes de la base, XML, CSV) ; par défaut, V8 laisse l'ancienne génération atteindre jusqu'à 4 fois la mémoire vivante avant une collecte complète, et le pic d'un export CSV rapide atteignait 190 à 210 Mio, celui d'un XLSX 250 à 270 Mio, avec toutes les autres corrections. Ces options ont un prix : sur 300 pages (liste d'instruction, tableau de bord du programme) servies par un même portail, trois passages alternés, le temps processeur du portail passe de 8,0–8,5 s à 9,6–10,1 s (+12 à +19 %) ; en échange, le pic de ce portail qui ne fait que servir des pages tombe de 208–213 Mio à 138–141 Mio. Le même portail, après ses 300 pages, a exporté les 100 000 dossiers avec un pic de 145 Mio en CSV et 146 Mio en XLSX (une mesure, hors de ce script) : sous l'objectif, avec peu de marge pour un portail très sollicité. \`--optimize-for-size\` donnait des pics d'export plus bas (115 et 122 Mio) mais coûtait 60 % de temps processeur sur les pages ; \`--heap-growing-percent=25\` seul ou \`--max-semi-space-size=8\` seul coûtaient autant que les deux ensemble sans tenir les 150 Mio.
- La requête des lots (clé \`reference\`, \`limit 1000\`) suit l'index unique de la référence, sans tri : \`EXPLAIN ANALYZE\` sur 100 000 dossiers, 1,9 ms par lot (balayage d'index et jointures mémorisées sur les porteurs et les vagues). Le débit bas de la mesure précédente (1 462 lignes/s en CSV) ne venait pas de la base : la machine était alors très chargée (charge moyenne 18,7).

Le portail au repos occupe ${Math.round(Math.min(...reports.map((report) => report.baselineRssMb)))} à ${Math.round(Math.max(...reports.map((report) => report.baselineRssMb)))} Mio : le build Remix (React, toutes les routes), Express, drizzle, postgres.js, pg-boss et le tas de V8. Limité à ${HEAP_LIMIT_MB} Mio de tas, chaque export va à son terme : l'export ne garde pas ses lignes, sa hausse est du tas que V8 n'a pas encore ramassé et les tampons du zip et de la compression.
`;
  writeBenchmarkSection(HEADING, section);
} finally {
  rmSync(folder, { recursive: true, force: true });
  await admin.unsafe(`drop database if exists "${databaseName}" with (force)`);
  await admin.end();
}
