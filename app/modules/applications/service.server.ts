import { createHash, randomInt } from "node:crypto";
import { and, asc, eq, or, sql } from "drizzle-orm";
import { db, transaction, type Transaction } from "~db/client.server";
import { applicationEvents, applicationPieces, applications, calls, waves, type ApplicationStatus } from "~db/schema";
import { canonicalJson } from "~/modules/audit/chain";
import { recordAudit } from "~/modules/audit/service.server";
import { releaseForWithdrawal } from "~/modules/budget/decisions.server";
import type { SessionUser } from "~/modules/auth/roles";
import { waveClosing, waveState } from "~/modules/calls/rules";
import { readCallRules } from "~/modules/calls/schema";
import { formatDateTime } from "~/modules/calls/time";
import { env } from "~/env.server";
import { enqueueJob } from "~/jobs/queue.server";
import { DomainError } from "~/utils/errors";
import { fieldId, isDataSection, sectionSchemas, type DataSectionKey, type FormData } from "./form";
import { checkTransition, type ApplicationEvent } from "./lifecycle";
import { assertMemberOf, dossierNotFound, findDossierForMember } from "./policy.server";
import { SEND_RECEIPT_JOB } from "./receipt-mail.server";
import { budgetFigures, missingItems } from "./rules";
import { summarizeTerritory, territoryProblem } from "./territory.server";

/** Crockford base32 without I, L, O, U: read aloud on the phone without confusion. */
const REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function newReference(now: Date) {
  const suffix = Array.from({ length: 6 }, () => REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)]).join("");
  return `MB-${now.getUTCFullYear()}-${suffix}`;
}

/** Opens a draft for an organisation the user belongs to, in the call's wave open today. */
export async function createDraft(actor: SessionUser, input: { organisationId: string; callId: string; now?: Date }) {
  const now = input.now ?? new Date();
  return transaction(async (tx) => {
    await assertMemberOf(actor, input.organisationId, tx);
    const callWaves = await tx.select().from(waves).where(eq(waves.callId, input.callId)).orderBy(asc(waves.number));
    const openWave = callWaves.find((wave) => waveState(wave, now) === "open");
    if (!openWave) throw new DomainError("no_open_wave", 409, "Aucune vague de dépôt n'est ouverte aujourd'hui : le dossier ne peut pas être créé.");
    // A reference is random; on the rare collision, draw again.
    for (let attempt = 0; attempt < 5; attempt++) {
      const [created] = await tx
        .insert(applications)
        .values({ reference: newReference(now), callId: openWave.callId, waveId: openWave.id, organisationId: input.organisationId, createdBy: actor.id, lastSavedBy: actor.id })
        .onConflictDoNothing({ target: applications.reference })
        .returning();
      if (!created) continue;
      await tx.insert(applicationEvents).values({ applicationId: created.id, actorId: actor.id, event: "create", toStatus: "draft" });
      await recordAudit(tx, { actorId: actor.id, action: "dossier.create", entityType: "application", entityId: created.id, data: { reference: created.reference } });
      return created;
    }
    throw new Error("Could not draw a free dossier reference in 5 attempts");
  });
}

/** Which sections the applicant may change now: all in draft, the reopened ones in correction, none after. */
export function editableSections(dossier: { status: ApplicationStatus; reopenedSections: string[] }): DataSectionKey[] | "all" {
  if (dossier.status === "draft") return "all";
  if (dossier.status === "changes_requested") return dossier.reopenedSections.filter(isDataSection);
  return [];
}

export function canEditSection(dossier: { status: ApplicationStatus; reopenedSections: string[] }, section: string) {
  const editable = editableSections(dossier);
  return editable === "all" || (editable as string[]).includes(section);
}

/** canEditSection as a SQL condition on the dossier's row, for a write that must check it as it happens. */
function sectionEditableInRow(section: DataSectionKey) {
  return or(
    eq(applications.status, "draft"),
    and(eq(applications.status, "changes_requested"), sql`${applications.reopenedSections} @> ${JSON.stringify([section])}::jsonb`),
  );
}

/** Field errors keyed by the field's id in the page (`budget-costs-0-label`). */
function issuesToFieldErrors(section: string, issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>) {
  const errors: Record<string, string[]> = {};
  for (const issue of issues) (errors[fieldId(section, issue.path)] ??= []).push(issue.message);
  return errors;
}

/**
 * Columns derived from the form at each save, so lists and rankings never parse jsonb. Exported
 * for the seeds (db/seed), which must derive them exactly as a save does.
 */
export function derivedColumns(formData: FormData) {
  const territory = summarizeTerritory((formData.territoire?.communes ?? []).map((commune) => commune.code));
  const figures = budgetFigures(formData.budget);
  return {
    title: formData.porteur?.projectTitle ?? "",
    regionCode: territory.regionCode,
    departementCodes: territory.departementCodes,
    populationCovered: territory.populationCovered,
    totalCostCents: figures.totalCostCents,
    requestedCents: figures.requestedCents,
  };
}

const STALE_MESSAGE =
  "Ce dossier a été modifié entre-temps, dans un autre onglet ou par un autre membre de l'organisation. Rechargez la page pour voir la dernière version : votre dernière saisie n'a pas été enregistrée.";

/**
 * Autosave of one section. The version the page was loaded with must still be the current one:
 * a stale tab or a co-editor's older copy is refused (409), never silently written over.
 */
export async function saveSection(actor: SessionUser, reference: string, input: { section: string; data: unknown; version: number; now?: Date }) {
  const now = input.now ?? new Date();
  const dossier = await findDossierForMember(actor, reference);
  if (!isDataSection(input.section)) throw new DomainError("unknown_section", 400, "Section inconnue.");
  // A form posted without its version (or with garbage in it) reads as NaN: refused before the query.
  if (!Number.isSafeInteger(input.version)) throw new DomainError("invalid_version", 400, "Version du dossier manquante : rechargez la page.");
  const section = input.section;
  const [call] = await db.select({ rules: calls.rules }).from(calls).where(eq(calls.id, dossier.callId));
  const rules = readCallRules(call?.rules);
  const parsed = sectionSchemas("draft", rules.projectYears)[section].safeParse(input.data ?? {});
  if (!parsed.success) {
    throw new DomainError("invalid_section", 400, "Certaines valeurs ne sont pas valides : corrigez-les pour que le brouillon soit enregistré.", issuesToFieldErrors(section, parsed.error.issues));
  }
  if (section === "territoire") {
    const problem = territoryProblem(summarizeTerritory((parsed.data as FormData["territoire"])?.communes?.map((c) => c.code) ?? []));
    if (problem) throw new DomainError("invalid_territory", 422, problem, { [fieldId("territoire", ["communes"])]: [problem] });
  }
  if (!canEditSection(dossier, section)) {
    throw new DomainError("not_editable", 409, "Cette partie du dossier n'est plus modifiable : le dossier a été déposé.");
  }
  const formData: FormData = { ...(dossier.formData as FormData), [section]: parsed.data };
  // One statement, atomic on its own (the busiest write of a closing day needs no transaction):
  // its WHERE repeats the version and the editability of the section, as they are at the write,
  // so that a save racing a newer save or a submission by a co-editor writes nothing.
  const [saved] = await db
    .update(applications)
    .set({ formData, version: sql`${applications.version} + 1`, updatedAt: now, lastSavedBy: actor.id, ...derivedColumns(formData) })
    .where(and(eq(applications.id, dossier.id), eq(applications.version, input.version), sectionEditableInRow(section)))
    .returning({ version: applications.version, updatedAt: applications.updatedAt });
  if (saved) return { version: saved.version, savedAt: saved.updatedAt.toISOString() };
  // Nothing written: say why, from the dossier as it is now.
  const [current] = await db.select({ status: applications.status, reopenedSections: applications.reopenedSections }).from(applications).where(eq(applications.id, dossier.id));
  if (current && !canEditSection(current, section)) throw new DomainError("not_editable", 409, "Cette partie du dossier n'est plus modifiable.");
  throw new DomainError("stale_version", 409, STALE_MESSAGE);
}

async function lockDossierForMember(tx: Transaction, actor: SessionUser, reference: string) {
  const dossier = await findDossierForMember(actor, reference, tx);
  const [locked] = await tx.select().from(applications).where(eq(applications.id, dossier.id)).for("update");
  if (!locked) dossierNotFound();
  return locked;
}

async function recordTransition(
  tx: Transaction,
  actor: SessionUser,
  dossier: { id: string; reference: string; status: ApplicationStatus },
  event: ApplicationEvent | string,
  to: ApplicationStatus,
  details: { motivation?: string | null; data?: Record<string, unknown> } = {},
) {
  await tx.insert(applicationEvents).values({ applicationId: dossier.id, actorId: actor.id, event, fromStatus: dossier.status, toStatus: to, motivation: details.motivation ?? null, data: details.data ?? {} });
  await recordAudit(tx, { actorId: actor.id, action: `dossier.${event}`, entityType: "application", entityId: dossier.id, data: { reference: dossier.reference, from: dossier.status, to, ...(details.motivation ? { motivation: details.motivation } : {}), ...details.data } });
}

export type SubmitResult = { reference: string; submittedAt: Date; submittedHash: string; alreadySubmitted: boolean };

/**
 * Submission (or resubmission after a correction request), in one transaction: guards, status,
 * snapshot and its SHA-256, routing to the ARS of the région, history and audit. A replay of the
 * same request (double click, network retry) finds the dossier submitted and changes nothing.
 */
export async function submitDossier(actor: SessionUser, reference: string, options: { now?: Date; origin?: string } = {}): Promise<SubmitResult> {
  const now = options.now ?? new Date();
  return transaction(async (tx, afterCommit) => {
    const dossier = await lockDossierForMember(tx, actor, reference);
    if (dossier.status === "submitted" && dossier.submittedAt && dossier.submittedHash) {
      return { reference: dossier.reference, submittedAt: dossier.submittedAt, submittedHash: dossier.submittedHash, alreadySubmitted: true };
    }
    const event = dossier.status === "changes_requested" ? "resubmit" : "submit";
    const check = checkTransition(dossier.status, event, actor.roles.map((grant) => grant.role));
    if (!check.allowed) throw new DomainError(`transition_${check.reason}`, check.reason === "role" ? 403 : 409, check.message);

    const [wave] = await tx.select().from(waves).where(eq(waves.id, dossier.waveId));
    if (event === "submit" && now >= waveClosing(wave)) {
      throw new DomainError("deadline_passed", 409, `La date limite de dépôt de la ${wave.title.toLowerCase()} était le ${formatDateTime(waveClosing(wave))} (heure de Paris) : le dossier ne peut plus être déposé.`);
    }
    const [call] = await tx.select({ rules: calls.rules }).from(calls).where(eq(calls.id, dossier.callId));
    const rules = readCallRules(call.rules);
    const pieces = await tx
      .select({ pieceCode: applicationPieces.pieceCode, fileName: applicationPieces.fileName, sha256: applicationPieces.sha256, sizeBytes: applicationPieces.sizeBytes })
      .from(applicationPieces)
      .where(eq(applicationPieces.applicationId, dossier.id))
      .orderBy(asc(applicationPieces.pieceCode), asc(applicationPieces.createdAt));
    const formData = dossier.formData as FormData;
    const missing = missingItems({ formData, pieceCodes: new Set(pieces.map((piece) => piece.pieceCode)), rules });
    if (missing.length > 0) {
      throw new DomainError("incomplete", 422, `Le dossier est incomplet (${missing.length} point${missing.length > 1 ? "s" : ""} à compléter) : voir le récapitulatif.`);
    }
    const territory = summarizeTerritory((formData.territoire?.communes ?? []).map((commune) => commune.code));
    const problem = territoryProblem(territory);
    if (problem || !territory.regionCode) throw new DomainError("invalid_territory", 422, problem ?? "Le territoire desservi est vide.");

    const snapshot = { reference: dossier.reference, formData, pieces };
    const submittedHash = createHash("sha256").update(canonicalJson(snapshot)).digest("hex");
    await tx
      .update(applications)
      .set({ status: "submitted", submittedAt: now, submittedData: snapshot, submittedHash, reopenedSections: [], version: sql`${applications.version} + 1`, updatedAt: now, ...derivedColumns(formData), regionCode: territory.regionCode })
      .where(eq(applications.id, dossier.id));
    await recordTransition(tx, actor, dossier, event, "submitted", { data: { submittedHash, regionCode: territory.regionCode } });
    const origin = options.origin ?? env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
    afterCommit(() => enqueueJob(SEND_RECEIPT_JOB, { applicationId: dossier.id, submittedHash, origin, resubmission: event === "resubmit" }));
    return { reference: dossier.reference, submittedAt: now, submittedHash, alreadySubmitted: false };
  });
}

/** Withdrawal by the applicant, with a motivation, before a final decision (or of a selected dossier). */
export async function withdrawDossier(actor: SessionUser, reference: string, input: { motivation: string; now?: Date }) {
  return transaction(async (tx) => {
    const dossier = await lockDossierForMember(tx, actor, reference);
    const check = checkTransition(dossier.status, "withdraw", actor.roles.map((grant) => grant.role), input.motivation);
    if (!check.allowed) {
      throw new DomainError(`transition_${check.reason}`, check.reason === "role" ? 403 : check.reason === "motivation" ? 400 : 409, check.message, check.reason === "motivation" ? { motivation: [check.message] } : {});
    }
    await tx.update(applications).set({ status: "withdrawn", updatedAt: input.now ?? new Date(), version: sql`${applications.version} + 1` }).where(eq(applications.id, dossier.id));
    // A decided dossier leaves its decision: a selected one releases what is committed and unpaid
    // (DESIGN.md), a waitlisted one leaves the reserve list. Before the history and audit rows,
    // in the ledger's lock order (dossier, wave, audit).
    if (dossier.status === "selected" || dossier.status === "waitlisted") await releaseForWithdrawal(tx, actor, dossier, input.motivation.trim(), input.now);
    await recordTransition(tx, actor, dossier, "withdraw", "withdrawn", { motivation: input.motivation.trim() });
    return { previousStatus: dossier.status };
  });
}

