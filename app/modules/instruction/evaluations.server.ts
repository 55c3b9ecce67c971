import { and, eq, sql } from "drizzle-orm";
import { transaction, type Transaction } from "~db/client.server";
import { applications, evaluationAmendments, evaluationAssignments, evaluations, type EvaluationScores, type Rubric } from "~db/schema";
import { recordAudit } from "~/modules/audit/service.server";
import type { SessionUser } from "~/modules/auth/roles";
import { checkTransition } from "~/modules/applications/lifecycle";
import type { CallRules } from "~/modules/calls/schema";
import { DomainError } from "~/utils/errors";
import { canEvaluate } from "./assignment";
import { callRulesOf, forbidden, hasConflict, lockDossierForAgent, recordTransition, type Dossier } from "./dossier.server";
import { AmendmentReasonSchema, evaluationSchema, parseInput, RUBRIC_LABELS, RubricSchema, type EvaluationValue } from "./schema";
import { consolidate, evaluationScore } from "./scoring";

export interface EvaluationInput {
  rubric: string;
  scores?: Record<string, { score?: number | string | null; justification?: string }>;
  avis?: string | null;
  /** Integer cents, or euros as typed (« 80 000 »). */
  recommended?: number | string | null;
  /** The evaluation's version the form was loaded with: a stale form is refused. */
  version?: number;
  now?: Date;
}

const INVALID_EVALUATION = "L'évaluation n'est pas complète ou contient des valeurs invalides : corrigez les champs signalés.";

/**
 * Everything that must hold before an agent writes an evaluation, checked on the locked dossier
 * whatever the request says: in scope (404), no declared conflict, the rubric's role in the
 * dossier's région, an assignment for that rubric (403), the dossier under review (409).
 */
async function openEvaluation(tx: Transaction, actor: SessionUser, reference: string, rawRubric: string, statuses: readonly Dossier["status"][]) {
  const dossier = await lockDossierForAgent(tx, actor, reference);
  const rubric: Rubric = parseInput(RubricSchema, rawRubric, "Grille d'évaluation inconnue.");
  if (await hasConflict(tx, dossier.id, actor.id)) {
    forbidden("conflict_of_interest", "Vous avez déclaré un conflit d'intérêts sur ce dossier : vous ne pouvez pas l'évaluer.");
  }
  if (!canEvaluate(rubric, actor.roles, dossier.regionCode)) {
    forbidden("not_an_evaluator", `Vous n'êtes pas habilité à évaluer ce dossier avec la ${RUBRIC_LABELS[rubric].toLowerCase()}.`);
  }
  const [assignment] = await tx
    .select()
    .from(evaluationAssignments)
    .where(and(eq(evaluationAssignments.applicationId, dossier.id), eq(evaluationAssignments.rubric, rubric), eq(evaluationAssignments.evaluatorId, actor.id)));
  if (!assignment) forbidden("not_assigned", `Ce dossier ne vous est pas confié pour la ${RUBRIC_LABELS[rubric].toLowerCase()}.`);
  if (!statuses.includes(dossier.status)) {
    throw new DomainError("not_under_review", 409, dossier.status === "submitted" ? "L'évaluation s'ouvre quand l'ARS a déclaré le dossier recevable." : "Le dossier n'est plus en instruction : l'évaluation ne peut pas être modifiée.");
  }
  const rules = await callRulesOf(tx, dossier.callId);
  const [existing] = await tx
    .select()
    .from(evaluations)
    .where(and(eq(evaluations.applicationId, dossier.id), eq(evaluations.rubric, rubric), eq(evaluations.evaluatorId, actor.id)));
  return { dossier, rubric, rules, criteria: rules.rubrics[rubric], existing: existing ?? null };
}

function assertFresh(existing: { version: number } | null, version: number | undefined) {
  if (existing && version !== undefined && version !== existing.version) {
    throw new DomainError("stale_version", 409, "Cette évaluation a été modifiée entre-temps (dans un autre onglet ?). Rechargez la page : votre dernière saisie n'a pas été enregistrée.");
  }
}

function parseEvaluation(input: EvaluationInput, criteria: CallRules["rubrics"][Rubric], mode: "draft" | "complete", requestedCents: number): EvaluationValue {
  return parseInput(evaluationSchema(criteria, { mode, requestedCents }), { scores: input.scores, avis: input.avis, recommended: input.recommended }, INVALID_EVALUATION);
}

function marksOf(value: EvaluationValue) {
  return Object.fromEntries(Object.entries(value.scores).map(([code, criterion]) => [code, criterion.score as number]));
}

/** Autosave of an evaluation in progress: anything may be missing, nothing may be invalid. */
export async function saveEvaluation(actor: SessionUser, reference: string, input: EvaluationInput) {
  return transaction(async (tx) => {
    const { dossier, rubric, criteria, existing } = await openEvaluation(tx, actor, reference, input.rubric, ["under_review"]);
    if (existing?.status === "submitted") {
      throw new DomainError("evaluation_locked", 409, "Cette évaluation est soumise : elle ne se modifie plus que par un amendement motivé.");
    }
    assertFresh(existing, input.version);
    const value = parseEvaluation(input, criteria, "draft", dossier.requestedCents);
    const now = input.now ?? new Date();
    const fields = { scores: value.scores satisfies EvaluationScores, avis: value.avis, recommendedCents: value.recommended, updatedAt: now };
    const [saved] = await tx
      .insert(evaluations)
      .values({ applicationId: dossier.id, rubric, evaluatorId: actor.id, ...fields, createdAt: now })
      .onConflictDoUpdate({ target: [evaluations.applicationId, evaluations.rubric, evaluations.evaluatorId], set: { ...fields, version: sql`${evaluations.version} + 1` } })
      .returning({ id: evaluations.id, version: evaluations.version, updatedAt: evaluations.updatedAt });
    return { id: saved.id, version: saved.version, savedAt: saved.updatedAt.toISOString() };
  });
}

/**
 * Submission of an evaluation: complete and valid, then locked. In the same transaction, with the
 * dossier row locked, the consolidation runs: the last evaluation expected turns the dossier
 * « Instruit » exactly once, however many evaluators submit at the same moment.
 */
export async function submitEvaluation(actor: SessionUser, reference: string, input: EvaluationInput) {
  return transaction(async (tx) => {
    const { dossier, rubric, criteria, existing } = await openEvaluation(tx, actor, reference, input.rubric, ["under_review"]);
    if (existing?.status === "submitted") {
      throw new DomainError("evaluation_locked", 409, "Cette évaluation est déjà soumise : elle ne se modifie plus que par un amendement motivé.");
    }
    assertFresh(existing, input.version);
    const value = parseEvaluation(input, criteria, "complete", dossier.requestedCents);
    const weightedScore = evaluationScore(criteria, marksOf(value));
    const now = input.now ?? new Date();
    const fields = { scores: value.scores, avis: value.avis, recommendedCents: value.recommended, status: "submitted" as const, weightedScore, submittedAt: now, updatedAt: now };
    const [saved] = await tx
      .insert(evaluations)
      .values({ applicationId: dossier.id, rubric, evaluatorId: actor.id, ...fields, createdAt: now })
      .onConflictDoUpdate({ target: [evaluations.applicationId, evaluations.rubric, evaluations.evaluatorId], set: { ...fields, version: sql`${evaluations.version} + 1` } })
      .returning({ id: evaluations.id, version: evaluations.version });
    // Consolidation before the audit row on purpose: recordAudit takes a database-wide lock that
    // would serialise concurrent submissions by itself, and the dossier row lock must be what
    // guarantees « reviewed exactly once » (the concurrency test fails without it).
    const consolidation = await consolidateIfComplete(tx, actor, dossier, now);
    await recordAudit(tx, { actorId: actor.id, action: "evaluation.submit", entityType: "evaluation", entityId: saved.id, data: { reference, rubric, weightedScore, avis: value.avis, recommendedCents: value.recommended, scores: value.scores } });
    return { id: saved.id, version: saved.version, weightedScore, consolidation };
  });
}

/**
 * A submitted evaluation changed afterwards: a reason is required, the previous content is kept
 * (evaluation_amendments) and the dossier's scores are computed again. Possible while the
 * dossier is under review or reviewed, not after the committee's decision.
 */
export async function amendEvaluation(actor: SessionUser, reference: string, input: EvaluationInput & { reason: string }) {
  return transaction(async (tx) => {
    const { dossier, rubric, criteria, existing } = await openEvaluation(tx, actor, reference, input.rubric, ["under_review", "reviewed"]);
    if (existing?.status !== "submitted") {
      throw new DomainError("evaluation_not_submitted", 409, "Cette évaluation n'est pas encore soumise : modifiez-la directement.");
    }
    assertFresh(existing, input.version);
    const { reason } = parseInput(AmendmentReasonSchema, input, "Indiquez pourquoi vous modifiez l'évaluation.");
    const value = parseEvaluation(input, criteria, "complete", dossier.requestedCents);
    const weightedScore = evaluationScore(criteria, marksOf(value));
    const now = input.now ?? new Date();
    const previous = {
      scores: existing.scores,
      avis: existing.avis,
      recommendedCents: existing.recommendedCents,
      weightedScore: existing.weightedScore,
      version: existing.version,
      submittedAt: existing.submittedAt?.toISOString() ?? null,
      amendedAt: existing.amendedAt?.toISOString() ?? null,
    };
    await tx.insert(evaluationAmendments).values({ evaluationId: existing.id, previous, reason, amendedBy: actor.id, at: now });
    const [saved] = await tx
      .update(evaluations)
      .set({ scores: value.scores, avis: value.avis, recommendedCents: value.recommended, weightedScore, amendedAt: now, updatedAt: now, version: sql`${evaluations.version} + 1` })
      .where(eq(evaluations.id, existing.id))
      .returning({ version: evaluations.version });
    await recordAudit(tx, { actorId: actor.id, action: "evaluation.amend", entityType: "evaluation", entityId: existing.id, data: { reference, rubric, reason, previousScore: existing.weightedScore, weightedScore } });
    const consolidation = await consolidateIfComplete(tx, actor, dossier, now);
    return { id: existing.id, version: saved.version, weightedScore, consolidation };
  });
}

/**
 * The consolidation, inside the caller's transaction and with the dossier row locked by it.
 * Complete when each rubric has at least one evaluator assigned and every assigned evaluator has
 * submitted. A dossier under review becomes « Instruit » with its scores and flag; a reviewed
 * one (after an amendment) gets its scores updated. Returns the scores, or null while incomplete.
 *
 * The transition is the evaluators' (complete_review): whoever's action completed the set — the
 * last evaluator, or a manager removing the last pending assignment — is recorded as its actor.
 */
export async function consolidateIfComplete(tx: Transaction, actor: SessionUser, dossier: Dossier, now = new Date()) {
  if (dossier.status !== "under_review" && dossier.status !== "reviewed") return null;
  const [assigned, submitted] = await Promise.all([
    tx.select({ rubric: evaluationAssignments.rubric, evaluatorId: evaluationAssignments.evaluatorId }).from(evaluationAssignments).where(eq(evaluationAssignments.applicationId, dossier.id)),
    tx
      .select({ rubric: evaluations.rubric, evaluatorId: evaluations.evaluatorId, weightedScore: evaluations.weightedScore })
      .from(evaluations)
      .where(and(eq(evaluations.applicationId, dossier.id), eq(evaluations.status, "submitted"))),
  ]);
  const done = new Set(submitted.map((row) => `${row.rubric}:${row.evaluatorId}`));
  const complete = (rubric: Rubric) => {
    const ofRubric = assigned.filter((row) => row.rubric === rubric);
    return ofRubric.length > 0 && ofRubric.every((row) => done.has(`${row.rubric}:${row.evaluatorId}`));
  };
  if (!complete("ars") || !complete("anct")) return null;
  const rules = await callRulesOf(tx, dossier.callId);
  const scoresOf = (rubric: Rubric) => submitted.filter((row) => row.rubric === rubric).map((row) => row.weightedScore as number);
  const result = consolidate({ ars: scoresOf("ars"), anct: scoresOf("anct") }, rules)!;

  if (dossier.status === "under_review") {
    const check = checkTransition(dossier.status, "complete_review", ["ars_agent", "anct_agent"]);
    if (!check.allowed) throw new DomainError(`transition_${check.reason}`, 409, check.message);
    await tx.update(applications).set({ ...result, status: check.to, updatedAt: now, version: sql`${applications.version} + 1` }).where(eq(applications.id, dossier.id));
    // The history row is the applicant's too: the scores go to the audit row only.
    await recordTransition(tx, actor, dossier, "complete_review", check.to, { auditData: result });
    dossier.status = check.to;
  } else {
    await tx.update(applications).set({ ...result, updatedAt: now }).where(eq(applications.id, dossier.id));
    await recordAudit(tx, { actorId: actor.id, action: "dossier.rescore", entityType: "application", entityId: dossier.id, data: { reference: dossier.reference, ...result } });
  }
  Object.assign(dossier, result);
  return result;
}
