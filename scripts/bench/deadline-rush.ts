import { createHash } from "node:crypto";
import { isDeepStrictEqual, parseArgs } from "node:util";
import { and, eq, inArray, sql } from "drizzle-orm";
import { applicationEvents, applications, auditLog, mails } from "~db/schema";
import type { ReadyDraft } from "~db/seed/ready-drafts";
import { canonicalJson } from "~/modules/audit/chain";
import { sectionSchemas, type FormData } from "~/modules/applications/form";
import { applicantClient, editedSection, percentiles, type Timed } from "../lib/applicant-client";
import { createScratchDatabase, engineOfThisRun, loadAverage, openDirect, pointAppAt, startPortal } from "../lib/portal-process";

/*
 * The deadline rush (issue 6, « Performance »): N applicants (200 by default), each with its own
 * account, organisation and a complete draft, autosave their sections several times and submit,
 * all at once, in the last minutes before their wave closes — against the production build,
 * started as `npm start` starts it, on PostgreSQL and on PGlite. Then, just after the closing
 * instant, late applicants try to submit and must be refused with a French 409.
 *
 * A benchmark (scripts/bench) rather than a fault script: nothing is broken here, the question
 * is how the portal answers its busiest minutes; its latencies go to docs/benchmarks.md. It is
 * also a proof: the run fails (exit 1) on any 5xx or network error, and unless, afterwards, the
 * database holds every acknowledged save (its version and content) and every acknowledged
 * submission (status, snapshot and hash, history row, audit row, receipt), dossier by dossier.
 *
 * Run (after `npm run build`): npx tsx scripts/bench/deadline-rush.ts [--engine postgres|pglite]
 *   [--applicants 200] [--saves 5] [--lead 120] [--late 5]
 * Without --engine it runs PostgreSQL then PGlite, each in a process of its own (the app's
 * database module binds to one database per process). PostgreSQL: a scratch database on
 * FAULTS_POSTGRES_URL's server (default postgres://postgres@127.0.0.1:5432/postgres), dropped at
 * the end; PGlite: a scratch data folder, removed at the end.
 */

const { values: options } = parseArgs({
  options: {
    engine: { type: "string" },
    applicants: { type: "string", default: "200" },
    saves: { type: "string", default: "5" },
    lead: { type: "string", default: "120" },
    late: { type: "string", default: "5" },
    port: { type: "string", default: "3471" },
  },
});

const engine = engineOfThisRun(options.engine);
const APPLICANTS = Number(options.applicants);
const SAVES = Number(options.saves);
/** The rush begins this many seconds before the wave closes. */
const LEAD_S = Number(options.lead);
const LATE = Number(options.late);
/** Each applicant starts within this window, then waits as the form's autosave does (1 s after typing) plus typing time. */
const START_SPREAD_MS = 5_000;
const THINK_MS = [1_000, 2_500] as const;

const problems: string[] = [];
const fail = (message: string) => problems.push(message);
const startedAt = new Date();
const load = loadAverage();
const database = await createScratchDatabase(engine, "rush_deadline");
let portal: Awaited<ReturnType<typeof startPortal>> | null = null;

try {
  // --- A first start on the empty database: builds the portal if its sources changed, migrates,
  // seeds the demo call. Done before the rush's wave is given its closing instant, so that the
  // time this takes on a busy machine does not eat into the rush's minutes.
  portal = await startPortal({ database, port: Number(options.port), logFile: `/tmp/rush-deadline-${engine}.log` });
  await portal.stop();

  // --- Seed: the call, its wave closing a few minutes from now, the applicants, their sessions.
  pointAppAt(database);
  const { closeDatabase } = await import("~db/client.server");
  const { seedReadyDrafts } = await import("~db/seed/ready-drafts");
  const { startSession } = await import("~/modules/auth/session.server");
  const closesAt = new Date(Math.ceil((Date.now() + (LEAD_S + 60) * 1000) / 60_000) * 60_000);
  const seeded = await seedReadyDrafts({ count: APPLICANTS + LATE, closesAt, seed: 2026 });
  // Sessions straight from the auth module: signing in (argon2, ~50 ms of CPU each) is not what
  // the rush measures, and 200 sign-ins would be throttled as an attack from one IP.
  const cookies = new Map<string, string>();
  for (const draft of seeded.drafts) cookies.set(draft.reference, (await startSession(draft.userId)).split(";")[0]);
  await closeDatabase();
  const rushers = seeded.drafts.slice(0, APPLICANTS);
  const latecomers = seeded.drafts.slice(APPLICANTS);

  portal = await startPortal({ database, port: Number(options.port), logFile: `/tmp/rush-deadline-${engine}.log` });
  console.log(`[${engine}] portail prêt sur ${portal.url} ; la vague ferme à ${closesAt.toISOString()}`);

  // A portal in service has answered requests before its last minutes: a few page loads, not
  // counted, so that the figures are not those of a cold start (the start is measured elsewhere).
  for (const draft of latecomers) await applicantClient(portal.url, cookies.get(draft.reference)!).get("chauffe", `/dossiers/${draft.reference}/recapitulatif`);

  // --- The rush: every applicant saves its sections SAVES times, then submits.
  const timings: Timed[] = [];
  const acknowledged = new Map<string, { version: number; sections: Partial<Record<string, unknown>>; saves: number; submitted: boolean }>();
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const between = ([min, max]: readonly [number, number]) => min + Math.random() * (max - min);
  await wait(Math.max(0, closesAt.getTime() - LEAD_S * 1000 - Date.now()));
  const rushStart = performance.now();
  const applicant = async (draft: ReadyDraft, index: number) => {
    const client = applicantClient(portal!.url, cookies.get(draft.reference)!, (timed) => timings.push(timed));
    const state = { version: draft.version, sections: {} as Partial<Record<string, unknown>>, saves: 0, submitted: false };
    acknowledged.set(draft.reference, state);
    await wait(Math.random() * START_SPREAD_MS);
    for (let n = 0; n < SAVES; n++) {
      await wait(between(THINK_MS));
      const edit = editedSection(draft.formData, n, `rush a${index} s${n}`);
      const answer = await client.autosave(draft.reference, edit.section, edit.data, state.version);
      if (answer.status !== 200 || typeof answer.body?.version !== "number") return fail(`${draft.reference} : enregistrement ${n} refusé (${answer.status} ${answer.body?.code ?? ""})`);
      state.version = answer.body.version;
      state.sections[edit.section] = edit.data;
      state.saves += 1;
    }
    const submitted = await client.submit(draft.reference);
    if (submitted.status !== 302 || submitted.body?.location !== `/dossiers/${draft.reference}`) return fail(`${draft.reference} : dépôt refusé (${submitted.status})`);
    state.submitted = true;
    // The browser follows the redirect to the dossier page, which shows the confirmation.
    const page = await client.get("page du dossier", submitted.body.location);
    if (page.status !== 200) fail(`${draft.reference} : page du dossier après dépôt en ${page.status}`);
  };
  await Promise.all(rushers.map((draft, index) => applicant(draft, index)));
  const rushSeconds = (performance.now() - rushStart) / 1000;

  // --- Just after the closing instant: a submission is refused, in French, with a 409.
  await wait(Math.max(0, closesAt.getTime() + 1_000 - Date.now()));
  const refusals: number[] = [];
  for (const draft of latecomers) {
    const answer = await applicantClient(portal.url, cookies.get(draft.reference)!, (timed) => timings.push({ ...timed, kind: "dépôt après la clôture" })).submit(draft.reference);
    refusals.push(answer.status);
    if (answer.status !== 409 || !answer.body?.text.includes("La date limite de dépôt de la vague 1 était le")) fail(`${draft.reference} : dépôt après la clôture en ${answer.status} au lieu d'un refus 409 motivé`);
  }

  // --- Every acknowledged submission has its receipt (rendered from the submitted snapshot).
  const receiptTimings: Timed[] = [];
  const submittedDrafts = rushers.filter((draft) => acknowledged.get(draft.reference)?.submitted);
  for (let offset = 0; offset < submittedDrafts.length; offset += 8) {
    await Promise.all(
      submittedDrafts.slice(offset, offset + 8).map(async (draft) => {
        const answer = await applicantClient(portal!.url, cookies.get(draft.reference)!, (timed) => receiptTimings.push(timed)).get("récépissé", `/dossiers/${draft.reference}/recepisse`);
        const pdf = answer.status === 200 && answer.body?.type === "application/pdf" && Buffer.from(answer.body.bytes.slice(0, 5)).toString() === "%PDF-";
        if (!pdf) fail(`${draft.reference} : récépissé non téléchargeable (${answer.status})`);
      }),
    );
  }
  await portal.stop();
  portal = null;

  // --- Row by row: what was acknowledged is what the database holds.
  const direct = await openDirect(database);
  const rows = await direct.db.select().from(applications).where(eq(applications.callId, seeded.callId));
  const byReference = new Map(rows.map((row) => [row.reference, row]));
  const submitEvents = await direct.db.select({ applicationId: applicationEvents.applicationId, count: sql<number>`count(*)::int` }).from(applicationEvents).where(and(inArray(applicationEvents.applicationId, rows.map((row) => row.id)), eq(applicationEvents.event, "submit"))).groupBy(applicationEvents.applicationId);
  const submitCount = new Map(submitEvents.map((row) => [row.applicationId, row.count]));
  const audits = await direct.db.select({ entityId: auditLog.entityId }).from(auditLog).where(and(eq(auditLog.action, "dossier.submit"), inArray(auditLog.entityId, rows.map((row) => row.id))));
  const audited = new Set(audits.map((row) => row.entityId));
  const receiptMails = await direct.db.select({ key: mails.dedupeKey }).from(mails).where(sql`${mails.dedupeKey} like 'receipt:%'`);
  const receiptJobs = await direct.db.execute<{ application_id: string }>(sql`select data->>'applicationId' as application_id from pgboss.job where name = 'dossier.send-receipt'`).catch(() => ({ rows: [] as Array<{ application_id: string }> }));
  const jobRows = "rows" in receiptJobs ? receiptJobs.rows : (receiptJobs as unknown as Array<{ application_id: string }>);
  const receiptFor = new Set([...receiptMails.map((row) => row.key!.split(":")[1]), ...jobRows.map((row) => row.application_id)]);
  const schemas = sectionSchemas("draft");
  let lastSubmittedAt = 0;
  let savesChecked = 0;
  let submissionsChecked = 0;
  for (const draft of rushers) {
    const state = acknowledged.get(draft.reference)!;
    const row = byReference.get(draft.reference);
    if (!row) {
      fail(`${draft.reference} : dossier absent de la base`);
      continue;
    }
    const expectedVersion = state.version + (state.submitted ? 1 : 0);
    if (row.version !== expectedVersion) fail(`${draft.reference} : version ${row.version} en base, ${expectedVersion} attendue après ${state.saves} enregistrements acquittés${state.submitted ? " et le dépôt" : ""}`);
    for (const [section, sent] of Object.entries(state.sections)) {
      // What the service stores is the schema's reading of what was sent (trimmed strings…).
      const expected = schemas[section as keyof typeof schemas].parse(sent);
      if (!isDeepStrictEqual(JSON.parse(JSON.stringify((row.formData as FormData)[section as keyof FormData])), JSON.parse(JSON.stringify(expected)))) fail(`${draft.reference} : la section ${section} acquittée n'est pas celle de la base`);
    }
    savesChecked += state.saves;
    if (!state.submitted) continue;
    const snapshot = row.submittedData as { reference: string; formData: unknown } | null;
    const hash = snapshot ? createHash("sha256").update(canonicalJson(snapshot)).digest("hex") : null;
    if (row.status !== "submitted") fail(`${draft.reference} : statut ${row.status} après un dépôt acquitté`);
    if (!row.submittedAt || row.submittedAt >= closesAt) fail(`${draft.reference} : date de dépôt absente ou après la clôture`);
    if (!snapshot || hash !== row.submittedHash || snapshot.reference !== row.reference || !isDeepStrictEqual(snapshot.formData, row.formData)) fail(`${draft.reference} : instantané déposé ou empreinte incohérents`);
    if (submitCount.get(row.id) !== 1) fail(`${draft.reference} : ${submitCount.get(row.id) ?? 0} lignes d'historique « submit » au lieu d'une`);
    if (!audited.has(row.id)) fail(`${draft.reference} : pas de ligne de journal d'audit pour le dépôt`);
    if (!receiptFor.has(row.id)) fail(`${draft.reference} : ni courriel de récépissé ni tâche d'envoi en file`);
    submissionsChecked += 1;
    lastSubmittedAt = Math.max(lastSubmittedAt, row.submittedAt?.getTime() ?? 0);
  }
  for (const draft of latecomers) {
    const row = byReference.get(draft.reference);
    if (row?.status !== "draft" || row.version !== draft.version || submitCount.has(row.id)) fail(`${draft.reference} : le dépôt refusé après la clôture a laissé une trace (${row?.status}, version ${row?.version})`);
  }
  await direct.close();

  // --- Summary.
  const errors = timings.filter((timed) => timed.networkError || timed.status >= 500 || timed.status === 0);
  for (const error of errors.slice(0, 5)) fail(`réponse ${error.status} ${error.networkError ?? ""} (${error.kind})`);
  const kinds = ["autosave", "submit", "page du dossier"];
  const rushTimings = timings.filter((timed) => kinds.includes(timed.kind));
  const line = (label: string, values: number[]) => {
    const p = percentiles(values);
    return `| ${label} | ${p.count} | ${p.p50.toFixed(0)} ms | ${p.p95.toFixed(0)} ms | ${p.p99.toFixed(0)} ms | ${p.max.toFixed(0)} ms |`;
  };
  console.log(
    [
      "",
      `## Rush de fin de vague — ${engine === "postgres" ? "PostgreSQL" : "PGlite"}`,
      `Mesuré le ${startedAt.toISOString().slice(0, 10)} (Node ${process.version}, charge moyenne ${load} au départ).`,
      `${APPLICANTS} porteurs, ${SAVES} enregistrements automatiques puis le dépôt chacun, à partir de ${LEAD_S} s avant la clôture ; ${LATE} dépôts juste après.`,
      "",
      "| requête | nombre | p50 | p95 | p99 | max |",
      "|---|---|---|---|---|---|",
      ...kinds.map((kind) => line(kind, rushTimings.filter((timed) => timed.kind === kind).map((timed) => timed.ms))),
      line("toutes", rushTimings.map((timed) => timed.ms)),
      line("récépissé (après le rush, 8 à la fois)", receiptTimings.map((timed) => timed.ms)),
      "",
      `Durée du rush : ${rushSeconds.toFixed(1)} s (${(rushTimings.length / rushSeconds).toFixed(1)} requêtes/s) ; dernier dépôt enregistré ${((closesAt.getTime() - lastSubmittedAt) / 1000).toFixed(1)} s avant la clôture.`,
      `Erreurs (5xx ou réseau) : ${errors.length}${errors.length > 0 ? ` (la première : ${errors[0].status} ${errors[0].networkError ?? ""})` : ""} ; autres réponses hors 2xx/3xx pendant le rush : ${rushTimings.filter((timed) => timed.status >= 400 && timed.status < 500).length}.`,
      `Vérifié en base, dossier par dossier : ${savesChecked} enregistrements acquittés (version et contenu), ${submissionsChecked} dépôts acquittés (statut, instantané et empreinte, historique, audit, récépissé).`,
      `Dépôts après la clôture : ${refusals.map(String).join(", ")} (attendu : 409 avec le message de date limite), aucun dossier modifié.`,
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
