import type { Readable } from "node:stream";
import { and, asc, count, desc, eq, inArray, isNull, notExists, sql } from "drizzle-orm";
import { db, transaction, type Executor } from "~db/client.server";
import { applications, calls, decisionLetterBatches, decisionLetters, decisions, mails, memberships, organisations, users, waves, type DecisionOutcome, type LetterMailTemplate } from "~db/schema";
import { decisionLetterMail } from "~emails/decision-letter";
import { DELIVER_MAIL_JOB, queueMail } from "~emails/send.server";
import { enqueueJob } from "~/jobs/queue.server";
import { recordAudit } from "~/modules/audit/service.server";
import type { SessionUser } from "~/modules/auth/roles";
import type { FormData as DossierFormData } from "~/modules/applications/form";
import { findDossierForMember } from "~/modules/applications/policy.server";
import { maxAdvanceCents } from "~/modules/budget/ledger";
import { assertProgramManager } from "~/modules/budget/service.server";
import { readCallRules } from "~/modules/calls/schema";
import { fileStorage, StoredFileNotFoundError } from "~/modules/files/storage.server";
import { findCommune } from "~/modules/geo/communes.server";
import { DomainError } from "~/utils/errors";
import { formatEuros, formatInteger } from "~/utils/format";
import type { DecisionLetterData, LetterDecision } from "~templates/decision-letter";
import { decisionLetterFileName } from "~templates/format";
import { DEFAULT_TEMPLATES, fillPlaceholders, OUTCOME_LABELS, OUTCOMES, type PlaceholderValues } from "./placeholders";
import { LetterTemplatesSchema, SendLettersSchema, type LetterTemplates } from "./schema";

/*
 * Decision letters, from the outbox to the applicant's download:
 *   1. the outbox lists, per wave, the current decisions that have no letter yet;
 *   2. confirming writes a batch and one `decision_letters` row per decision, in one
 *      transaction — `decision_id` is unique, so a decision is never put in two batches — and
 *      queues the batch's job after commit;
 *   3. the job prepares each pending letter: renders the PDF, stores it, and in one short
 *      transaction writes one outbox mail per member with the PDF attached and marks the letter
 *      prepared. Each mail has a dedupe key per letter and address, and the letter is re-read
 *      under a row lock before it is marked, so a job run twice, or resumed after a crash, or
 *      two workers on one batch, mail nobody twice;
 *   4. the mails leave through the one sender (emails/deliver.server.ts, ADR 004).
 * A decision reopened before its letter is prepared has its letter superseded; the new decision
 * appears in the outbox again and gets its own letter.
 */

export const PREPARE_LETTERS_JOB = "letters.prepare-batch";

const batchNotFound = () => new DomainError("batch_not_found", 404, "Envoi introuvable.");
const waveNotFound = () => new DomainError("wave_not_found", 404, "Vague introuvable.");

/** Current decisions (not reopened) with no letter yet. */
const notNotified = () =>
  and(
    isNull(decisions.reopenedAt),
    notExists(
      db
        .select({ one: sql`1` })
        .from(decisionLetters)
        .where(eq(decisionLetters.decisionId, decisions.id)),
    ),
  );

/** Everything one letter and its mails are made of. */
async function letterContext(executor: Executor, decisionId: string) {
  const [row] = await executor
    .select({ decision: decisions, dossier: applications, organisation: organisations, wave: waves, call: { id: calls.id, title: calls.title, rules: calls.rules } })
    .from(decisions)
    .innerJoin(applications, eq(applications.id, decisions.applicationId))
    .innerJoin(organisations, eq(organisations.id, applications.organisationId))
    .innerJoin(waves, eq(waves.id, decisions.waveId))
    .innerJoin(calls, eq(calls.id, waves.callId))
    .where(eq(decisions.id, decisionId));
  if (!row) throw new DomainError("decision_not_found", 404, "Décision introuvable.");
  const [nextWave] = await executor
    .select({ title: waves.title })
    .from(waves)
    .where(and(eq(waves.callId, row.call.id), sql`${waves.number} > ${row.wave.number}`))
    .orderBy(asc(waves.number))
    .limit(1);
  return { ...row, rules: readCallRules(row.call.rules), nextWaveTitle: nextWave?.title ?? null };
}
type LetterContext = Awaited<ReturnType<typeof letterContext>>;

function letterDecision(context: LetterContext): LetterDecision {
  const { decision, dossier, rules } = context;
  switch (decision.outcome) {
    case "selected": {
      const awardedCents = decision.awardedCents!;
      const advanceCents = maxAdvanceCents(awardedCents, rules.advanceSharePercent);
      return {
        outcome: "selected",
        awardedCents,
        buses: decision.buses,
        totalCostCents: dossier.totalCostCents,
        stateSharePercent: dossier.totalCostCents > 0 ? (awardedCents / dossier.totalCostCents) * 100 : null,
        advanceSharePercent: rules.advanceSharePercent,
        advanceCents,
        balanceCents: awardedCents - advanceCents,
        projectYears: rules.projectYears,
        conventionMonths: rules.decisionLetters.conventionMonths,
      };
    }
    case "waitlisted":
      return { outcome: "waitlisted", rank: decision.waitlistRank!, nextWaveTitle: context.nextWaveTitle };
    case "rejected":
      return { outcome: "rejected", motivation: decision.motivation ?? "" };
  }
}

/** The letter's addressee: the organisation, for the attention of who signed the dossier (else its contact). */
function addresseeOf(context: LetterContext): DecisionLetterData["addressee"] {
  const { dossier, organisation } = context;
  const engagement = (dossier.formData as Partial<DossierFormData>).engagement;
  const representative = engagement?.signatoryName ? [engagement.signatoryName, engagement.signatoryCapacity].filter(Boolean).join(", ") : organisation.contactName || null;
  const seat = findCommune(organisation.seatCommuneCode);
  return { organisation: organisation.name, representative, seatCommune: seat ? `${seat.name} (${seat.departementCode})` : organisation.seatCommuneCode };
}

function letterData(context: LetterContext, letterDate: Date): DecisionLetterData {
  const signing = context.rules.decisionLetters;
  return {
    reference: context.dossier.reference,
    projectTitle: context.dossier.title || "Projet sans titre",
    callTitle: context.call.title,
    waveTitle: context.wave.title,
    letterDate: letterDate.toISOString(),
    decidedAt: context.decision.decidedAt.toISOString(),
    authority: { name: signing.authority, service: signing.service, place: signing.place },
    signatory: { title: signing.signatoryTitle, name: signing.signatoryName },
    addressee: addresseeOf(context),
    decision: letterDecision(context),
  };
}

function placeholderValues(context: LetterContext, recipientName: string, url: string): PlaceholderValues {
  const { decision } = context;
  return {
    nom: recipientName,
    organisation: context.organisation.name,
    reference: context.dossier.reference,
    titre: context.dossier.title || "Projet sans titre",
    vague: context.wave.title.toLowerCase(),
    decision: OUTCOME_LABELS[decision.outcome].toLowerCase(),
    lien: url,
    montant: decision.awardedCents === null ? "" : formatEuros(decision.awardedCents),
    rang: decision.waitlistRank === null ? "" : formatInteger(decision.waitlistRank),
    motif: decision.motivation ?? "",
  };
}

function mailData(context: LetterContext, template: LetterMailTemplate, recipientName: string, origin: string) {
  const url = new URL(`/dossiers/${context.dossier.reference}`, origin).toString();
  const values = placeholderValues(context, recipientName, url);
  return {
    subject: fillPlaceholders(template.subject, values),
    body: fillPlaceholders(template.body, values),
    reference: context.dossier.reference,
    outcomeLabel: OUTCOME_LABELS[context.decision.outcome],
    fileName: decisionLetterFileName(context.dossier.reference),
    url,
  };
}

/** Who receives a dossier's letter: every active member of its organisation, as for the receipt. */
function recipientsOf(executor: Executor, organisationId: string) {
  return executor
    .select({ email: users.email, name: users.name })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organisationId, organisationId), isNull(users.disabledAt)))
    .orderBy(asc(users.email));
}

export interface OutboxWave {
  id: string;
  number: number;
  title: string;
  callTitle: string;
  counts: Record<DecisionOutcome, number> & { total: number };
  /** For the previews: the first decision of each outcome waiting for its letter. */
  samples: Partial<Record<DecisionOutcome, { decisionId: string; reference: string; organisation: string }>>;
  batches: Array<{ id: string; createdAt: string; createdBy: string; letters: number }>;
}

/** The outbox: per wave, the decisions not notified yet by outcome, a sample of each, and the earlier batches. */
export async function letterOutbox(actor: SessionUser): Promise<OutboxWave[]> {
  assertProgramManager(actor);
  const waveRows = await db
    .select({ id: waves.id, number: waves.number, title: waves.title, callTitle: calls.title })
    .from(waves)
    .innerJoin(calls, eq(calls.id, waves.callId))
    .orderBy(asc(calls.createdAt), asc(waves.number));
  const pending = await db
    .select({ waveId: decisions.waveId, outcome: decisions.outcome, count: count() })
    .from(decisions)
    .where(notNotified())
    .groupBy(decisions.waveId, decisions.outcome);
  const samples = await db
    .selectDistinctOn([decisions.waveId, decisions.outcome], { waveId: decisions.waveId, outcome: decisions.outcome, decisionId: decisions.id, reference: applications.reference, organisation: organisations.name })
    .from(decisions)
    .innerJoin(applications, eq(applications.id, decisions.applicationId))
    .innerJoin(organisations, eq(organisations.id, applications.organisationId))
    .where(notNotified())
    .orderBy(decisions.waveId, decisions.outcome, asc(applications.reference));
  const batches = await db
    .select({ id: decisionLetterBatches.id, waveId: decisionLetterBatches.waveId, createdAt: decisionLetterBatches.createdAt, createdBy: users.name, letters: sql<number>`(select count(*) from ${decisionLetters} where ${decisionLetters.batchId} = ${decisionLetterBatches.id})`.mapWith(Number) })
    .from(decisionLetterBatches)
    .innerJoin(users, eq(users.id, decisionLetterBatches.createdBy))
    .orderBy(desc(decisionLetterBatches.createdAt));
  return waveRows.map((wave) => {
    const counts = { selected: 0, waitlisted: 0, rejected: 0, total: 0 };
    for (const row of pending.filter((row) => row.waveId === wave.id)) {
      counts[row.outcome] = row.count;
      counts.total += row.count;
    }
    return {
      ...wave,
      counts,
      samples: Object.fromEntries(samples.filter((sample) => sample.waveId === wave.id).map(({ outcome, decisionId, reference, organisation }) => [outcome, { decisionId, reference, organisation }])),
      batches: batches.filter((batch) => batch.waveId === wave.id).map(({ waveId: _waveId, createdAt, ...batch }) => ({ ...batch, createdAt: createdAt.toISOString() })),
    };
  });
}

/** Every decision of a wave waiting for its letter, for the outbox's list (each with its PDF preview). */
export async function pendingLetters(actor: SessionUser, waveId: string) {
  assertProgramManager(actor);
  return db
    .select({ decisionId: decisions.id, outcome: decisions.outcome, awardedCents: decisions.awardedCents, waitlistRank: decisions.waitlistRank, reference: applications.reference, title: applications.title, organisation: organisations.name })
    .from(decisions)
    .innerJoin(applications, eq(applications.id, decisions.applicationId))
    .innerJoin(organisations, eq(organisations.id, applications.organisationId))
    .where(and(eq(decisions.waveId, waveId), notNotified()))
    .orderBy(asc(decisions.outcome), asc(decisions.waitlistRank), asc(applications.reference));
}

/** The templates the outbox form starts from: those of the last batch sent, else the defaults. */
export async function lastLetterTemplates(actor: SessionUser): Promise<LetterTemplates> {
  assertProgramManager(actor);
  const [last] = await db.select({ templates: decisionLetterBatches.templates }).from(decisionLetterBatches).orderBy(desc(decisionLetterBatches.createdAt)).limit(1);
  const parsed = LetterTemplatesSchema.safeParse(last?.templates);
  return parsed.success ? parsed.data : DEFAULT_TEMPLATES;
}

export interface MailPreview {
  outcome: DecisionOutcome;
  reference: string;
  to: string;
  subject: string;
  text: string;
}

/** The mail as one real recipient of each outcome would receive it, with the templates as edited. */
export async function previewLetterMails(actor: SessionUser, waveId: string, rawTemplates: unknown, origin: string): Promise<MailPreview[]> {
  assertProgramManager(actor);
  const parsed = LetterTemplatesSchema.safeParse(rawTemplates);
  if (!parsed.success) throw templatesRefused(parsed.error.issues);
  const wave = (await letterOutbox(actor)).find((candidate) => candidate.id === waveId);
  if (!wave) throw waveNotFound();
  const previews: MailPreview[] = [];
  for (const outcome of OUTCOMES) {
    const sample = wave.samples[outcome];
    if (!sample) continue;
    const context = await letterContext(db, sample.decisionId);
    const [recipient] = await recipientsOf(db, context.organisation.id);
    const rendered = decisionLetterMail.render(mailData(context, parsed.data[outcome], recipient?.name ?? context.organisation.name, origin));
    previews.push({ outcome, reference: sample.reference, to: recipient?.email ?? "aucun destinataire", subject: rendered.subject, text: rendered.text });
  }
  return previews;
}

function templatesRefused(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>) {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of issues) (fieldErrors[issue.path.map(String).join(".")] ??= []).push(issue.message);
  const first = issues[0]?.message ?? "";
  return new DomainError("invalid_templates", 400, `Les courriels contiennent des erreurs : ${first}`, fieldErrors);
}

/** The PDF renderer (react-pdf, its fonts, its WASM layout engine) is loaded on the first letter, not with the server. */
const loadLetterRenderer = () => import("~templates/decision-letter");

/** The PDF a decision's letter would be today (the outbox's preview link), for the programme team. */
export async function previewDecisionLetter(actor: SessionUser, decisionId: string, now = new Date()) {
  assertProgramManager(actor);
  if (!/^[0-9a-f-]{36}$/i.test(decisionId)) throw new DomainError("decision_not_found", 404, "Décision introuvable.");
  const context = await letterContext(db, decisionId);
  const { renderDecisionLetter } = await loadLetterRenderer();
  return { fileName: decisionLetterFileName(context.dossier.reference), pdf: await renderDecisionLetter(letterData(context, now)) };
}

/**
 * « Envoyer les n courriers »: a batch with the templates as confirmed and one letter per
 * decision of the wave not notified yet, in one transaction; the job starts after commit.
 * Refused (409) when the count is not the one the manager confirmed: decisions were taken or
 * letters sent meanwhile, and the page must be read again.
 */
export async function sendDecisionLetters(actor: SessionUser, waveId: string, rawInput: unknown, origin: string) {
  assertProgramManager(actor);
  const parsed = SendLettersSchema.safeParse(rawInput);
  if (!parsed.success) throw templatesRefused(parsed.error.issues);
  const { expected, ...templates } = parsed.data;
  return transaction(async (tx, afterCommit) => {
    // The wave's row lock makes two managers confirming at once take turns: the second then
    // finds nothing left to send instead of racing on the unique decision ids.
    const [wave] = await tx.select({ id: waves.id, title: waves.title }).from(waves).where(eq(waves.id, waveId)).for("update");
    if (!wave) throw waveNotFound();
    const due = await tx
      .select({ id: decisions.id, applicationId: decisions.applicationId })
      .from(decisions)
      .where(and(eq(decisions.waveId, waveId), isNull(decisions.reopenedAt), notExists(tx.select({ one: sql`1` }).from(decisionLetters).where(eq(decisionLetters.decisionId, decisions.id)))));
    if (due.length === 0) throw new DomainError("nothing_to_send", 409, "Aucun courrier à envoyer : toutes les décisions de la vague sont déjà notifiées.");
    if (due.length !== expected) {
      throw new DomainError("outbox_changed", 409, `La liste a changé depuis l'affichage de la page : ${formatInteger(due.length)} courriers sont à envoyer, et non ${formatInteger(expected)}. Relisez-la avant de confirmer.`);
    }
    const [batch] = await tx.insert(decisionLetterBatches).values({ waveId, templates: templates satisfies LetterTemplates, origin, createdBy: actor.id }).returning({ id: decisionLetterBatches.id });
    await tx.insert(decisionLetters).values(due.map((decision) => ({ decisionId: decision.id, applicationId: decision.applicationId, batchId: batch.id })));
    await recordAudit(tx, { actorId: actor.id, action: "letters.send", entityType: "decision_letter_batch", entityId: batch.id, data: { waveId, letters: due.length } });
    afterCommit(() => enqueueJob(PREPARE_LETTERS_JOB, { batchId: batch.id }));
    return { batchId: batch.id, letters: due.length };
  });
}

const MAX_ERROR_LENGTH = 2_000;

/** Renders, stores and mails one pending letter; nothing when it is no longer pending. */
async function prepareLetter(letter: { id: string; decisionId: string }, batch: typeof decisionLetterBatches.$inferSelect, now: Date) {
  const context = await letterContext(db, letter.decisionId);
  if (context.decision.reopenedAt) {
    await db.update(decisionLetters).set({ status: "superseded" }).where(and(eq(decisionLetters.id, letter.id), eq(decisionLetters.status, "pending")));
    return "superseded" as const;
  }
  // Rendering and storing happen outside the transaction: the PDF takes tens of milliseconds and
  // must not hold a row lock (or PGlite's single connection) meanwhile. The storage is content-
  // addressed, so a second run stores nothing new.
  const { renderDecisionLetter } = await loadLetterRenderer();
  const pdf = await renderDecisionLetter(letterData(context, now));
  const stored = await fileStorage().put(new Uint8Array(pdf));
  const recipients = await recipientsOf(db, context.organisation.id);
  const fileName = decisionLetterFileName(context.dossier.reference);
  return transaction(async (tx, afterCommit) => {
    const [locked] = await tx.select({ id: decisionLetters.id }).from(decisionLetters).where(and(eq(decisionLetters.id, letter.id), eq(decisionLetters.status, "pending"))).for("update");
    if (!locked) return "skipped" as const;
    const mailIds: string[] = [];
    for (const recipient of recipients) {
      mailIds.push(
        await queueMail(tx, afterCommit, {
          to: recipient.email,
          template: decisionLetterMail,
          data: mailData(context, batch.templates[context.decision.outcome], recipient.name, batch.origin),
          attachments: [{ filename: fileName, contentType: "application/pdf", sha256: stored.sha256 }],
          dedupeKey: `decision-letter:${letter.id}:${recipient.email}`,
        }),
      );
    }
    await tx.update(decisionLetters).set({ status: "prepared", fileSha256: stored.sha256, mailIds, preparedAt: now, lastError: null }).where(eq(decisionLetters.id, letter.id));
    return "prepared" as const;
  });
}

/**
 * The job: prepares every pending letter of a batch, one at a time. A letter that fails is
 * marked failed with its error and the batch goes on; the progress page offers to retry it.
 */
export async function prepareLetterBatch(batchId: string) {
  const [batch] = await db.select().from(decisionLetterBatches).where(eq(decisionLetterBatches.id, batchId));
  if (!batch) return { prepared: 0, failed: 0, superseded: 0 };
  const pending = await db
    .select({ id: decisionLetters.id, decisionId: decisionLetters.decisionId })
    .from(decisionLetters)
    .innerJoin(applications, eq(applications.id, decisionLetters.applicationId))
    .where(and(eq(decisionLetters.batchId, batchId), eq(decisionLetters.status, "pending")))
    .orderBy(asc(applications.reference));
  const outcome = { prepared: 0, failed: 0, superseded: 0 };
  for (const letter of pending) {
    try {
      const result = await prepareLetter(letter, batch, new Date());
      if (result !== "skipped") outcome[result] += 1;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      console.warn(`decision letter ${letter.id}: preparation failed: ${message}`);
      await db
        .update(decisionLetters)
        .set({ status: "failed", attempts: sql`${decisionLetters.attempts} + 1`, lastError: message.slice(0, MAX_ERROR_LENGTH) })
        .where(and(eq(decisionLetters.id, letter.id), eq(decisionLetters.status, "pending")));
      outcome.failed += 1;
    }
  }
  return outcome;
}

/** After a crash: a job for every batch that still has pending letters (run at worker start; preparing twice is harmless). */
export async function resumePendingBatches() {
  const open = await db.selectDistinct({ batchId: decisionLetters.batchId }).from(decisionLetters).where(eq(decisionLetters.status, "pending"));
  for (const { batchId } of open) await enqueueJob(PREPARE_LETTERS_JOB, { batchId });
  return open.length;
}

export interface BatchProgress {
  batch: { id: string; waveId: string; waveTitle: string; createdAt: string; createdBy: string };
  total: number;
  prepared: number;
  sent: number;
  pending: number;
  superseded: number;
  /** Letters that could not be prepared, and prepared letters with a mail that failed for good. */
  failures: Array<{ reference: string; organisation: string; problem: string }>;
  done: boolean;
}

/** What the progress page shows and polls: letters prepared, letters whose every mail left, failures. */
export async function letterBatchProgress(actor: SessionUser, batchId: string): Promise<BatchProgress> {
  assertProgramManager(actor);
  if (!/^[0-9a-f-]{36}$/i.test(batchId)) throw batchNotFound();
  const [batch] = await db
    .select({ id: decisionLetterBatches.id, waveId: waves.id, waveTitle: waves.title, createdAt: decisionLetterBatches.createdAt, createdBy: users.name })
    .from(decisionLetterBatches)
    .innerJoin(waves, eq(waves.id, decisionLetterBatches.waveId))
    .innerJoin(users, eq(users.id, decisionLetterBatches.createdBy))
    .where(eq(decisionLetterBatches.id, batchId));
  if (!batch) throw batchNotFound();
  const letters = await db
    .select({ status: decisionLetters.status, mailIds: decisionLetters.mailIds, lastError: decisionLetters.lastError, reference: applications.reference, organisation: organisations.name })
    .from(decisionLetters)
    .innerJoin(applications, eq(applications.id, decisionLetters.applicationId))
    .innerJoin(organisations, eq(organisations.id, applications.organisationId))
    .where(eq(decisionLetters.batchId, batchId))
    .orderBy(asc(applications.reference));
  const mailIds = letters.flatMap((letter) => letter.mailIds);
  const mailRows = mailIds.length === 0 ? [] : await db.select({ id: mails.id, status: mails.status, lastError: mails.lastError, to: mails.to }).from(mails).where(inArray(mails.id, mailIds));
  const mailById = new Map(mailRows.map((mail) => [mail.id, mail]));
  const progress = { total: 0, prepared: 0, sent: 0, pending: 0, superseded: 0, queuedMails: 0 };
  const failures: BatchProgress["failures"] = [];
  for (const letter of letters) {
    if (letter.status === "superseded") {
      progress.superseded += 1;
      continue;
    }
    progress.total += 1;
    if (letter.status === "pending") progress.pending += 1;
    if (letter.status === "failed") failures.push({ reference: letter.reference, organisation: letter.organisation, problem: `Courrier non préparé : ${letter.lastError ?? "erreur inconnue"}` });
    if (letter.status !== "prepared") continue;
    progress.prepared += 1;
    const letterMails = letter.mailIds.map((id) => mailById.get(id));
    // A letter with no active member to mail is prepared (downloadable) but not « envoyé ».
    if (letterMails.length > 0 && letterMails.every((mail) => mail?.status === "sent")) progress.sent += 1;
    for (const mail of letterMails) {
      if (mail?.status === "queued") progress.queuedMails += 1;
      if (mail?.status === "failed") failures.push({ reference: letter.reference, organisation: letter.organisation, problem: `Courriel à ${mail.to} non remis : ${mail.lastError ?? "erreur inconnue"}` });
    }
  }
  const { queuedMails, ...counts } = progress;
  return { batch: { ...batch, createdAt: batch.createdAt.toISOString() }, ...counts, failures, done: counts.pending === 0 && queuedMails === 0 };
}

/** « Réessayer »: failed letters go back to pending, failed mails back to the outbox, and the job runs again. */
export async function retryLetterBatch(actor: SessionUser, batchId: string) {
  const progress = await letterBatchProgress(actor, batchId);
  if (progress.failures.length === 0) throw new DomainError("nothing_to_retry", 409, "Aucun échec à reprendre dans cet envoi.");
  return transaction(async (tx, afterCommit) => {
    const letters = await tx.update(decisionLetters).set({ status: "pending" }).where(and(eq(decisionLetters.batchId, batchId), eq(decisionLetters.status, "failed"))).returning({ id: decisionLetters.id });
    const batchMailIds = (await tx.select({ mailIds: decisionLetters.mailIds }).from(decisionLetters).where(eq(decisionLetters.batchId, batchId))).flatMap((row) => row.mailIds);
    // A mail the sender gave up on (ADR 004) is queued again with a fresh count; its id, hence
    // its Message-ID, stays the same.
    const requeued =
      batchMailIds.length === 0
        ? []
        : await tx
            .update(mails)
            .set({ status: "queued", attempts: 0, claimedUntil: null })
            .where(and(inArray(mails.id, batchMailIds), eq(mails.status, "failed")))
            .returning({ id: mails.id });
    await recordAudit(tx, { actorId: actor.id, action: "letters.retry", entityType: "decision_letter_batch", entityId: batchId, data: { letters: letters.length, mails: requeued.length } });
    if (letters.length > 0) afterCommit(() => enqueueJob(PREPARE_LETTERS_JOB, { batchId }));
    for (const mail of requeued) afterCommit(() => enqueueJob(DELIVER_MAIL_JOB, { mailId: mail.id }));
    return { letters: letters.length, mails: requeued.length };
  });
}

/**
 * The letter of a dossier's current decision, for a member of its organisation, once prepared.
 * 404 for anyone else, before the letter is ready, and after the decision was reopened (its
 * letter no longer says what applies).
 */
export async function decisionLetterForMember(user: SessionUser, reference: string): Promise<{ fileName: string; preparedAt: Date; open(): Promise<Readable> } | null> {
  const dossier = await findDossierForMember(user, reference);
  const [letter] = await db
    .select({ sha256: decisionLetters.fileSha256, preparedAt: decisionLetters.preparedAt })
    .from(decisionLetters)
    .innerJoin(decisions, eq(decisions.id, decisionLetters.decisionId))
    .where(and(eq(decisionLetters.applicationId, dossier.id), eq(decisionLetters.status, "prepared"), isNull(decisions.reopenedAt)))
    .limit(1);
  if (!letter?.sha256 || !letter.preparedAt) return null;
  const sha256 = letter.sha256;
  return {
    fileName: decisionLetterFileName(dossier.reference),
    preparedAt: letter.preparedAt,
    async open() {
      try {
        return await fileStorage().get(sha256);
      } catch (error) {
        if (!(error instanceof StoredFileNotFoundError)) throw error;
        console.error(`Courrier de décision ${dossier.reference} (${sha256}) introuvable dans le stockage`);
        throw new DomainError("letter_file_missing", 404, "Le courrier est introuvable dans le stockage du portail.");
      }
    },
  };
}
