import { and, eq, sql } from "drizzle-orm";
import { transaction, type Transaction } from "~db/client.server";
import { applicationEvents, applications, conflictsOfInterest, evaluationAssignments, evaluations, privateNotes } from "~db/schema";
import { correctionsRequestedMail } from "~emails/corrections-requested";
import { dossierIneligibleMail } from "~emails/dossier-ineligible";
import { queueMail } from "~emails/send.server";
import { recordAudit } from "~/modules/audit/service.server";
import type { SessionUser } from "~/modules/auth/roles";
import { SECTIONS, type SectionKey } from "~/modules/applications/form";
import { checkTransition } from "~/modules/applications/lifecycle";
import { appendMessage, recipientsOf } from "~/modules/applications/messages.server";
import { regionName } from "~/modules/geo/regions";
import { DomainError } from "~/utils/errors";
import { checklistFor, forbidden, lockDossierForAgent, recordTransition, type Dossier } from "./dossier.server";
import { consolidateIfComplete } from "./evaluations.server";
import { findDossierForAgent } from "./policy.server";
import { ConflictSchema, DecisionSchema, parseInput, PrivateNoteSchema } from "./schema";
import { isArsAgentOf } from "./scope";

const SECTION_TITLES = new Map<string, string>(SECTIONS.map((section) => [section.key, section.title]));

/**
 * An ARS agent asks for corrections: the chosen sections reopen for the applicant, the request is
 * written in the thread and mailed to every member; the dossier comes back when resubmitted.
 */
export async function requestCorrections(actor: SessionUser, reference: string, input: { sections: string[]; message: string; origin: string; now?: Date }) {
  const sections = [...new Set(input.sections)].filter((key): key is SectionKey => SECTION_TITLES.has(key) && key !== "engagement");
  if (sections.length === 0) {
    throw new DomainError("no_sections", 400, "Choisissez au moins une partie du dossier à rouvrir.", { sections: ["Choisissez au moins une partie du dossier à rouvrir."] });
  }
  return transaction(async (tx, afterCommit) => {
    const found = await findDossierForAgent(actor, reference, tx);
    const [dossier] = await tx.select().from(applications).where(eq(applications.id, found.id)).for("update");
    if (!isArsAgentOf(actor, dossier.regionCode)) throw new DomainError("not_ars_of_region", 403, "Seule l'ARS de la région du dossier peut demander des corrections.");
    const check = checkTransition(dossier.status, "request_changes", ["ars_agent"], input.message);
    if (!check.allowed) {
      throw new DomainError(`transition_${check.reason}`, check.reason === "motivation" ? 400 : 409, check.message, check.reason === "motivation" ? { message: [check.message] } : {});
    }
    const now = input.now ?? new Date();
    await tx.update(applications).set({ status: "changes_requested", reopenedSections: sections, updatedAt: now, version: sql`${applications.version} + 1` }).where(eq(applications.id, dossier.id));
    await tx.insert(applicationEvents).values({ applicationId: dossier.id, actorId: actor.id, event: "request_changes", fromStatus: dossier.status, toStatus: "changes_requested", motivation: input.message.trim(), data: { sections } });
    await recordAudit(tx, { actorId: actor.id, action: "dossier.request_changes", entityType: "application", entityId: dossier.id, data: { reference, from: dossier.status, to: "changes_requested", sections } });
    const sectionTitles = sections.map((key) => SECTION_TITLES.get(key) ?? key);
    await appendMessage(tx, afterCommit, { dossier, author: actor, side: "agent", body: `Corrections demandées (${sectionTitles.join(", ")}) :\n${input.message.trim()}`, origin: input.origin, now, notify: false });
    for (const member of await recipientsOf(tx, dossier, "applicant")) {
      await queueMail(tx, afterCommit, { to: member.email, template: correctionsRequestedMail, data: { name: member.name, reference, sections: sectionTitles, message: input.message.trim(), url: new URL(`/dossiers/${reference}`, input.origin).toString() } });
    }
    return { sections };
  });
}

type Decision = "admit" | "declare_ineligible";
type AfterCommit = Parameters<Parameters<typeof transaction>[0]>[1];

/** The shared steps of the two admissibility outcomes: scope, ARS of the région, life cycle, history, audit. */
async function decideAdmissibility(
  actor: SessionUser,
  reference: string,
  event: Decision,
  input: { motivation: string; now?: Date },
  notify?: (tx: Transaction, afterCommit: AfterCommit, dossier: Dossier, motivation: string) => Promise<void>,
) {
  return transaction(async (tx, afterCommit) => {
    const dossier = await lockDossierForAgent(tx, actor, reference);
    if (!isArsAgentOf(actor, dossier.regionCode)) forbidden("not_ars_of_region", "Seule l'ARS de la région du dossier se prononce sur sa recevabilité.");
    const { motivation } = parseInput(DecisionSchema, input, "Écrivez la motivation de la décision.");
    const check = checkTransition(dossier.status, event, ["ars_agent"], motivation);
    if (!check.allowed) throw new DomainError(`transition_${check.reason}`, 409, check.message);
    // What the portal computed when the agent decided, kept with the decision (the dossier may change later).
    const failedChecks = (await checklistFor(tx, dossier)).filter((item) => !item.ok).map((item) => item.code);
    await tx
      .update(applications)
      .set({ status: check.to, updatedAt: input.now ?? new Date(), version: sql`${applications.version} + 1` })
      .where(eq(applications.id, dossier.id));
    await recordTransition(tx, actor, dossier, event, check.to, { motivation, data: { failedChecks } });
    await notify?.(tx, afterCommit, dossier, motivation);
    return { status: check.to, failedChecks };
  });
}

/**
 * Recevabilité, first outcome: the ARS of the dossier's région declares it admissible
 * (→ « En instruction ») with a motivation kept in the history. Evaluations open then.
 */
export async function admitDossier(actor: SessionUser, reference: string, input: { motivation: string; now?: Date }) {
  return decideAdmissibility(actor, reference, "admit", input);
}

/**
 * Recevabilité, second outcome: inadmissible (→ « Irrecevable », final). Every member of the
 * organisation is mailed the motivation; the mails leave once the decision is committed.
 */
export async function declareIneligible(actor: SessionUser, reference: string, input: { motivation: string; origin: string; now?: Date }) {
  return decideAdmissibility(actor, reference, "declare_ineligible", input, async (tx, afterCommit, dossier, motivation) => {
    const url = new URL(`/dossiers/${dossier.reference}`, input.origin).toString();
    for (const member of await recipientsOf(tx, dossier, "applicant")) {
      await queueMail(tx, afterCommit, {
        to: member.email,
        template: dossierIneligibleMail,
        data: { name: member.name, reference: dossier.reference, title: dossier.title, regionName: dossier.regionCode ? regionName(dossier.regionCode) : "", motivation, url },
      });
    }
  });
}

/**
 * An agent declares a conflict of interest on a dossier it can see. From then on it cannot
 * score the dossier nor see the others' scores; its pending assignments and drafts on it are
 * removed (the dossier goes to someone else). Once the agent has submitted an evaluation of it,
 * the declaration goes through the programme team instead (409): the submitted scores already
 * count in the consolidation. Declaring twice changes nothing.
 */
export async function declareConflict(actor: SessionUser, reference: string, input: { reason: string; now?: Date }) {
  return transaction(async (tx) => {
    const dossier = await lockDossierForAgent(tx, actor, reference);
    const { reason } = parseInput(ConflictSchema, input, "Indiquez la nature du conflit d'intérêts.");
    const [submitted] = await tx
      .select({ id: evaluations.id })
      .from(evaluations)
      .where(and(eq(evaluations.applicationId, dossier.id), eq(evaluations.evaluatorId, actor.id), eq(evaluations.status, "submitted")));
    if (submitted) {
      throw new DomainError("evaluation_already_submitted", 409, "Vous avez déjà soumis une évaluation de ce dossier : signalez le conflit d'intérêts à l'équipe programme, qui décidera du sort de votre évaluation.");
    }
    const [declared] = await tx
      .insert(conflictsOfInterest)
      .values({ applicationId: dossier.id, userId: actor.id, reason, declaredAt: input.now ?? new Date() })
      .onConflictDoNothing()
      .returning();
    if (!declared) return { alreadyDeclared: true, removedAssignments: 0 };
    await tx.delete(evaluations).where(and(eq(evaluations.applicationId, dossier.id), eq(evaluations.evaluatorId, actor.id)));
    const removed = await tx
      .delete(evaluationAssignments)
      .where(and(eq(evaluationAssignments.applicationId, dossier.id), eq(evaluationAssignments.evaluatorId, actor.id)))
      .returning({ rubric: evaluationAssignments.rubric });
    await recordAudit(tx, { actorId: actor.id, action: "instruction.declare_conflict", entityType: "application", entityId: dossier.id, data: { reference, reason, removedAssignments: removed.map((row) => row.rubric) } });
    // The agent's pending assignment may have been the last one missing.
    if (removed.length > 0) await consolidateIfComplete(tx, actor, dossier);
    return { alreadyDeclared: false, removedAssignments: removed.length };
  });
}

/** An annotation privée: written by an agent who may see the dossier, read by agents only. */
export async function addPrivateNote(actor: SessionUser, reference: string, input: { body: string; now?: Date }) {
  return transaction(async (tx) => {
    const dossier = await findDossierForAgent(actor, reference, tx);
    const { body } = parseInput(PrivateNoteSchema, input, "Écrivez l'annotation.");
    const [note] = await tx.insert(privateNotes).values({ applicationId: dossier.id, authorId: actor.id, body, createdAt: input.now ?? new Date() }).returning();
    // The note's text stays out of the audit log, which outlives the dossier's access rules.
    await recordAudit(tx, { actorId: actor.id, action: "instruction.private_note", entityType: "application", entityId: dossier.id, data: { reference, noteId: note.id } });
    return note;
  });
}
