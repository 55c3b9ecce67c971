import { isDeepStrictEqual, parseArgs } from "node:util";
import { eq, inArray, sql } from "drizzle-orm";
import { applicationEvents, applicationPieces, applications } from "~db/schema";
import { sectionSchemas, type FormData } from "~/modules/applications/form";
import { applicantClient, editedSection, EDITED_SECTIONS } from "../lib/applicant-client";
import { createScratchDatabase, engineOfThisRun, loadAverage, openDirect, pointAppAt, startPortal } from "../lib/portal-process";

/*
 * `kill -9` of the portal during an autosave burst (issue 6, « Faults »). The production portal
 * runs on a scratch database; D applicants (40 by default) autosave their dossier as fast as the
 * portal answers, each save with a value never sent before, and every acknowledged save (200 and
 * its new version) is written down. Once K saves (150 by default) are acknowledged, the portal's
 * whole process group gets SIGKILL — no handler runs, nothing is flushed — in the middle of
 * requests. The portal is started again on the same data; then:
 *   - every acknowledged save is there: the dossier's version is the last acknowledged one, or
 *     one more when the save in flight at the kill was committed before its answer could leave
 *     (then its content is the one sent); each edited section holds what that version was given;
 *   - no dossier is half written: every stored section parses with the form's schema, the
 *     columns derived at each save (title, région, amounts…) match the stored form, the dossier
 *     count, history and pieces are those seeded (no orphan rows);
 *   - the restarted portal works: one more save per dossier is acknowledged and stored.
 *
 * Run (after `npm run build`): npx tsx scripts/faults/kill-during-autosave.ts [--engine postgres|pglite]
 *   [--dossiers 40] [--kill-after 150]
 * Without --engine, PostgreSQL then PGlite (DATA_DIR, the embedded default). Exit code 1 when a
 * property fails; the scratch database or folder is removed at the end.
 */

const { values: options } = parseArgs({
  options: {
    engine: { type: "string" },
    dossiers: { type: "string", default: "40" },
    "kill-after": { type: "string", default: "150" },
    port: { type: "string", default: "3472" },
  },
});
const engine = engineOfThisRun(options.engine);
const DOSSIERS = Number(options.dossiers);
const KILL_AFTER = Number(options["kill-after"]);

const problems: string[] = [];
const fail = (message: string) => problems.push(message);
const startedAt = new Date();
const load = loadAverage();
const database = await createScratchDatabase(engine, "kill_autosave");
const logFile = `/tmp/kill-autosave-${engine}.log`;
let portal: Awaited<ReturnType<typeof startPortal>> | null = null;

interface Ledger {
  /** The version of the last acknowledged save (the draft's own before any). */
  version: number;
  /** Each section as its last acknowledged save sent it. */
  sections: Partial<Record<string, unknown>>;
  acknowledged: number;
  /** The save sent and not answered when the portal died: committed or not, both are allowed. */
  inFlight: { section: string; data: unknown; fromVersion: number } | null;
}

try {
  pointAppAt(database);
  const { migrateDatabase, closeDatabase } = await import("~db/client.server");
  const { seedReadyDrafts } = await import("~db/seed/ready-drafts");
  const { startSession } = await import("~/modules/auth/session.server");
  const { derivedColumns } = await import("~/modules/applications/service.server");
  await migrateDatabase();
  // The wave closes in a month: the burst is about durability, not the deadline.
  const closesAt = new Date(Math.ceil((Date.now() + 30 * 86_400_000) / 60_000) * 60_000);
  const seeded = await seedReadyDrafts({ count: DOSSIERS, closesAt, seed: 9 });
  // Sessions from the auth module: signing in is not what this fault is about.
  const cookies = new Map<string, string>();
  for (const draft of seeded.drafts) cookies.set(draft.reference, (await startSession(draft.userId)).split(";")[0]);
  await closeDatabase();

  portal = await startPortal({ database, port: Number(options.port), logFile });
  const running = portal;
  console.log(`[${engine}] portail prêt sur ${portal.url}`);

  // --- The burst, until the kill.
  const ledgers = new Map<string, Ledger>(seeded.drafts.map((draft) => [draft.reference, { version: draft.version, sections: {}, acknowledged: 0, inFlight: null }]));
  let acknowledged = 0;
  let killed: Promise<void> | null = null;
  let networkErrors = 0;
  const otherAnswers: string[] = [];
  await Promise.all(
    seeded.drafts.map(async (draft, index) => {
      const ledger = ledgers.get(draft.reference)!;
      const client = applicantClient(running.url, cookies.get(draft.reference)!);
      for (let n = 0; !killed; n++) {
        const edit = editedSection(draft.formData, n, `burst d${index} n${n} ${Math.random().toString(36).slice(2, 8)}`);
        ledger.inFlight = { section: edit.section, data: edit.data, fromVersion: ledger.version };
        const answer = await client.autosave(draft.reference, edit.section, edit.data, ledger.version);
        if (answer.status === 0) {
          networkErrors += 1;
          return; // the portal is gone: this save's fate is unknown
        }
        if (answer.status !== 200 || typeof answer.body?.version !== "number") {
          otherAnswers.push(`${draft.reference} ${answer.status} ${answer.body?.code ?? ""}`);
          ledger.inFlight = null;
          return;
        }
        ledger.inFlight = null;
        ledger.version = answer.body.version;
        ledger.sections[edit.section] = edit.data;
        ledger.acknowledged += 1;
        acknowledged += 1;
        if (acknowledged === KILL_AFTER) killed = running.kill();
      }
    }),
  );
  await killed;
  const inFlightAtKill = [...ledgers.values()].filter((ledger) => ledger.inFlight).length;
  for (const answer of otherAnswers) fail(`réponse inattendue pendant la rafale : ${answer}`);
  console.log(`[${engine}] kill -9 après ${acknowledged} enregistrements acquittés (${inFlightAtKill} en vol, ${networkErrors} coupés)`);

  // --- Restart on the same data.
  const restartStart = performance.now();
  portal = await startPortal({ database, port: Number(options.port), logFile });
  const restartSeconds = (performance.now() - restartStart) / 1000;
  const restarted = portal;

  let committedInFlight = 0;
  let lost = 0;
  await Promise.all(
    seeded.drafts.map(async (draft) => {
      const ledger = ledgers.get(draft.reference)!;
      const client = applicantClient(restarted.url, cookies.get(draft.reference)!);
      const read = await client.readSection(draft.reference, "porteur");
      if (read.status !== 200 || !read.body) return fail(`${draft.reference} : dossier illisible après le redémarrage (${read.status})`);
      const stored = read.body.version;
      if (stored === ledger.version + 1 && ledger.inFlight?.fromVersion === ledger.version) {
        // The save in flight was committed before its answer left: it counts.
        ledger.sections[ledger.inFlight.section] = ledger.inFlight.data;
        ledger.version = stored;
        committedInFlight += 1;
      } else if (stored !== ledger.version) {
        lost += stored < ledger.version ? 1 : 0;
        return fail(`${draft.reference} : version ${stored} après le redémarrage, ${ledger.version} acquittée`);
      }
      // The restarted portal takes a save again.
      const edit = editedSection(draft.formData, EDITED_SECTIONS.length - 1, `après redémarrage ${draft.reference}`);
      const answer = await client.autosave(draft.reference, edit.section, edit.data, ledger.version);
      if (answer.status !== 200 || typeof answer.body?.version !== "number") return fail(`${draft.reference} : enregistrement refusé après le redémarrage (${answer.status})`);
      ledger.version = answer.body.version;
      ledger.sections[edit.section] = edit.data;
    }),
  );
  await portal.stop();
  portal = null;

  // --- The stored dossiers, row by row.
  const direct = await openDirect(database);
  const rows = await direct.db.select().from(applications).where(eq(applications.callId, seeded.callId));
  const ids = rows.map((row) => row.id);
  const [events] = await direct.db.select({ count: sql<number>`count(*)::int`, other: sql<number>`count(*) filter (where ${applicationEvents.event} <> 'create')::int` }).from(applicationEvents).where(inArray(applicationEvents.applicationId, ids));
  const [pieces] = await direct.db.select({ count: sql<number>`count(*)::int` }).from(applicationPieces).where(inArray(applicationPieces.applicationId, ids));
  await direct.close();
  const schemas = sectionSchemas("draft");
  const requiredPieces = seeded.drafts.length === 0 ? 0 : pieces.count / seeded.drafts.length;
  if (rows.length !== DOSSIERS) fail(`${rows.length} dossiers en base au lieu de ${DOSSIERS}`);
  if (events.count !== DOSSIERS || events.other !== 0) fail(`historique : ${events.count} lignes (${events.other} autres que la création) au lieu de ${DOSSIERS}`);
  if (!Number.isInteger(requiredPieces)) fail(`pièces : ${pieces.count} lignes pour ${DOSSIERS} dossiers`);
  let sectionsChecked = 0;
  for (const row of rows) {
    const ledger = ledgers.get(row.reference);
    if (!ledger) {
      fail(`${row.reference} : dossier inconnu`);
      continue;
    }
    if (row.version !== ledger.version) fail(`${row.reference} : version ${row.version} en base, ${ledger.version} attendue`);
    const formData = row.formData as FormData;
    for (const [section, value] of Object.entries(formData)) {
      if (!schemas[section as keyof typeof schemas]?.safeParse(value).success) fail(`${row.reference} : la section ${section} ne passe plus le schéma du formulaire`);
    }
    for (const [section, sent] of Object.entries(ledger.sections)) {
      const expected = schemas[section as keyof typeof schemas].parse(sent);
      if (!isDeepStrictEqual(JSON.parse(JSON.stringify(formData[section as keyof FormData])), JSON.parse(JSON.stringify(expected)))) fail(`${row.reference} : la section ${section} n'est pas celle du dernier enregistrement acquitté`);
      sectionsChecked += 1;
    }
    const derived = derivedColumns(formData);
    const storedDerived = { title: row.title, regionCode: row.regionCode, departementCodes: row.departementCodes, populationCovered: row.populationCovered, totalCostCents: row.totalCostCents, requestedCents: row.requestedCents };
    if (!isDeepStrictEqual(JSON.parse(JSON.stringify(storedDerived)), JSON.parse(JSON.stringify(derived)))) fail(`${row.reference} : colonnes dérivées incohérentes avec le formulaire (écriture à moitié faite)`);
  }

  console.log(
    [
      "",
      `## kill -9 pendant une rafale d'enregistrements — ${engine === "postgres" ? "PostgreSQL" : "PGlite (DATA_DIR)"}`,
      `Mesuré le ${startedAt.toISOString().slice(0, 10)} (Node ${process.version}, charge moyenne ${load} au départ).`,
      `${DOSSIERS} dossiers enregistrés en continu ; SIGKILL du groupe de processus après ${acknowledged} enregistrements acquittés, ${inFlightAtKill} requêtes en vol.`,
      `Redémarrage sur les mêmes données : ${restartSeconds.toFixed(1)} s jusqu'au premier /healthz 200.`,
      `Enregistrements en vol validés avant la coupure : ${committedInFlight} ; enregistrements acquittés perdus : ${lost}.`,
      `Vérifié en base : ${rows.length} dossiers, ${sectionsChecked} sections comparées au dernier enregistrement acquitté, toutes les sections relues par le schéma, colonnes dérivées, historique et pièces sans ligne orpheline ; un enregistrement de plus accepté par dossier après le redémarrage.`,
      "",
      problems.length === 0 ? "Résultat : toutes les propriétés tiennent." : `Résultat : ÉCHEC (${problems.length} problèmes)\n${problems.slice(0, 30).map((problem) => `  - ${problem}`).join("\n")}`,
    ].join("\n"),
  );
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
  console.error(`[${engine}] ÉCHEC : ${error instanceof Error ? error.stack : error}`);
} finally {
  await portal?.stop();
  await database.drop();
}
process.exit(problems.length === 0 ? 0 : 1);
