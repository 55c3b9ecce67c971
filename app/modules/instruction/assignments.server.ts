import { and, asc, eq, inArray, isNull, ne, notExists, or, sql, type SQL } from "drizzle-orm";
import { transaction, type Executor, type Transaction } from "~db/client.server";
import { applications, conflictsOfInterest, evaluationAssignments, evaluations, roleAssignments, users, type ApplicationStatus, type Rubric } from "~db/schema";
import { evaluationsAssignedMail, type AssignedEvaluation } from "~emails/evaluations-assigned";
import { queueMail } from "~emails/send.server";
import { recordAudit } from "~/modules/audit/service.server";
import { hasRole, type RoleGrant, type SessionUser } from "~/modules/auth/roles";
import { formatDay } from "~/modules/calls/time";
import { DomainError } from "~/utils/errors";
import { defaultOrigin } from "~/utils/request.server";
import { canEvaluate, conflictKey, evaluatorScope, planAssignments, UNASSIGNED_REASON_LABELS, type CandidateEvaluator, type UnassignedReason } from "./assignment";
import { callRulesOf, forbidden, hasConflict, lockDossierForAgent } from "./dossier.server";
import { consolidateIfComplete } from "./evaluations.server";
import { agentScopeCondition } from "./policy.server";
import { AssignSchema, AutoAssignSchema, parseInput, RUBRIC_LABELS } from "./schema";

/** Dossiers that may receive evaluators: submitted (assignments prepared ahead) or under review. */
export const ASSIGNABLE_STATUSES: readonly ApplicationStatus[] = ["submitted", "under_review"];
/** Statuses whose pending evaluations count in an evaluator's load. */
const ACTIVE_STATUSES: ApplicationStatus[] = ["submitted", "changes_requested", "under_review"];
/** Arbitrary constant: serialises « assign automatically » runs (two at once would both fill the same dossiers). */
const AUTO_ASSIGN_LOCK = 7_263_020;
const DAY_MS = 86_400_000;

/**
 * Who hands out evaluations: the programme team, for both rubrics everywhere; an ARS agent, for
 * the ARS rubric of its own région (the « ARS lead » of the issue is any ARS agent of the région:
 * the roles have no finer grain).
 */
export function canAssign(actor: SessionUser, rubric: Rubric, regionCode: string | null) {
  if (hasRole(actor, "program_manager")) return true;
  return rubric === "ars" && regionCode !== null && actor.roles.some((grant) => grant.role === "ars_agent" && grant.regionCode === regionCode);
}

function assertCanAssign(actor: SessionUser, rubric: Rubric, regionCode: string | null) {
  if (!canAssign(actor, rubric, regionCode)) {
    forbidden("not_assigner", rubric === "ars" ? "Seuls l'équipe programme et l'ARS de la région confient les évaluations de la grille ARS." : "Seule l'équipe programme confie les évaluations de la grille ANCT.");
  }
}

/** The active role grants of some users, by user (disabled accounts have none). */
async function grantsOf(executor: Executor, userIds: string[]) {
  const grants = new Map<string, RoleGrant[]>();
  if (userIds.length === 0) return grants;
  const rows = await executor
    .select({ userId: roleAssignments.userId, role: roleAssignments.role, regionCode: roleAssignments.regionCode })
    .from(roleAssignments)
    .innerJoin(users, eq(users.id, roleAssignments.userId))
    .where(and(inArray(roleAssignments.userId, userIds), isNull(users.disabledAt)));
  for (const row of rows) grants.set(row.userId, [...(grants.get(row.userId) ?? []), { role: row.role, regionCode: row.regionCode }]);
  return grants;
}

/**
 * Each evaluator's load: assignments on active dossiers whose evaluation is not submitted yet
 * (the work in hand, across both rubrics). One grouped query.
 */
export async function pendingLoads(executor: Executor, evaluatorIds?: string[]) {
  if (evaluatorIds && evaluatorIds.length === 0) return new Map<string, number>();
  const rows = await executor
    .select({ evaluatorId: evaluationAssignments.evaluatorId, load: sql<number>`count(*)::int` })
    .from(evaluationAssignments)
    .innerJoin(applications, eq(applications.id, evaluationAssignments.applicationId))
    .leftJoin(
      evaluations,
      and(eq(evaluations.applicationId, evaluationAssignments.applicationId), eq(evaluations.rubric, evaluationAssignments.rubric), eq(evaluations.evaluatorId, evaluationAssignments.evaluatorId)),
    )
    .where(and(inArray(applications.status, ACTIVE_STATUSES), or(isNull(evaluations.status), ne(evaluations.status, "submitted")), evaluatorIds ? inArray(evaluationAssignments.evaluatorId, evaluatorIds) : undefined))
    .groupBy(evaluationAssignments.evaluatorId);
  return new Map(rows.map((row) => [row.evaluatorId, row.load]));
}

/** The agents who may score with `rubric` somewhere (role held, account active), with their scope and load. */
export async function candidateEvaluators(executor: Executor, rubric: Rubric) {
  const role = rubric === "ars" ? "ars_agent" : "anct_agent";
  const rows = await executor
    .select({ id: users.id, name: users.name, email: users.email, role: roleAssignments.role, regionCode: roleAssignments.regionCode })
    .from(roleAssignments)
    .innerJoin(users, eq(users.id, roleAssignments.userId))
    .where(and(eq(roleAssignments.role, role), isNull(users.disabledAt)))
    .orderBy(asc(users.id));
  const byUser = new Map<string, { id: string; name: string; email: string; grants: RoleGrant[] }>();
  for (const row of rows) {
    const entry = byUser.get(row.id) ?? { id: row.id, name: row.name, email: row.email, grants: [] };
    entry.grants.push({ role: row.role, regionCode: row.regionCode });
    byUser.set(row.id, entry);
  }
  const loads = await pendingLoads(executor, [...byUser.keys()]);
  return [...byUser.values()].flatMap((user) => {
    const scope = evaluatorScope(rubric, user.grants);
    return scope ? [{ id: user.id, name: user.name, email: user.email, scope, load: loads.get(user.id) ?? 0 }] : [];
  });
}

/**
 * Gives a dossier an evaluator for a rubric, due in the call's evaluationDueDays. The evaluator
 * must hold the rubric's role for the dossier's région and have declared no conflict on it.
 * Assigning the same person twice changes nothing.
 */
export async function assignEvaluator(actor: SessionUser, reference: string, input: { rubric: string; evaluatorId: string; now?: Date; origin?: string }) {
  return transaction(async (tx, afterCommit) => {
    const dossier = await lockDossierForAgent(tx, actor, reference);
    const { rubric, evaluatorId } = parseInput(AssignSchema, input, "Choisissez une grille et un évaluateur.");
    assertCanAssign(actor, rubric, dossier.regionCode);
    if (!ASSIGNABLE_STATUSES.includes(dossier.status)) throw new DomainError("not_assignable", 409, "Ce dossier n'est pas en attente d'évaluation : on ne peut plus lui confier d'évaluateur.");
    const grants = (await grantsOf(tx, [evaluatorId])).get(evaluatorId) ?? [];
    if (!canEvaluate(rubric, grants, dossier.regionCode)) {
      const message = `Cette personne n'est pas habilitée à évaluer ce dossier avec la ${RUBRIC_LABELS[rubric].toLowerCase()}.`;
      throw new DomainError("not_an_evaluator", 422, message, { evaluatorId: [message] });
    }
    if (await hasConflict(tx, dossier.id, evaluatorId)) {
      const message = "Cet agent a déclaré un conflit d'intérêts sur ce dossier.";
      throw new DomainError("conflict_of_interest", 409, message, { evaluatorId: [message] });
    }
    const rules = await callRulesOf(tx, dossier.callId);
    const now = input.now ?? new Date();
    const [created] = await tx
      .insert(evaluationAssignments)
      .values({ applicationId: dossier.id, rubric, evaluatorId, assignedBy: actor.id, assignedAt: now, dueAt: new Date(now.getTime() + rules.evaluationDueDays * DAY_MS) })
      .onConflictDoNothing()
      .returning();
    if (!created) return { alreadyAssigned: true as const };
    await recordAudit(tx, { actorId: actor.id, action: "instruction.assign", entityType: "application", entityId: dossier.id, data: { reference, rubric, evaluatorId, dueAt: created.dueAt.toISOString() } });
    const url = new URL(`/instruction/dossiers/${encodeURIComponent(reference)}/evaluations/${rubric}`, input.origin ?? defaultOrigin()).toString();
    await mailEvaluator(tx, afterCommit, evaluatorId, [{ reference, title: dossier.title, rubricLabel: RUBRIC_LABELS[rubric], due: formatDay(created.dueAt) }], url);
    return { alreadyAssigned: false as const, assignment: created };
  });
}

/**
 * Takes an evaluation back from an evaluator (absence, workload). Refused once the evaluation is
 * submitted: it counts in the scores. A draft in progress is discarded with the assignment. If
 * the evaluator was the last one pending, the dossier is consolidated now.
 */
export async function unassignEvaluator(actor: SessionUser, reference: string, input: { rubric: string; evaluatorId: string }) {
  return transaction(async (tx) => {
    const dossier = await lockDossierForAgent(tx, actor, reference);
    const { rubric, evaluatorId } = parseInput(AssignSchema, input, "Choisissez une grille et un évaluateur.");
    assertCanAssign(actor, rubric, dossier.regionCode);
    const mine = and(eq(evaluations.applicationId, dossier.id), eq(evaluations.rubric, rubric), eq(evaluations.evaluatorId, evaluatorId));
    const [evaluation] = await tx.select({ status: evaluations.status }).from(evaluations).where(mine);
    if (evaluation?.status === "submitted") throw new DomainError("evaluation_already_submitted", 409, "Cet évaluateur a déjà soumis son évaluation : elle ne peut plus lui être retirée.");
    const [removed] = await tx
      .delete(evaluationAssignments)
      .where(and(eq(evaluationAssignments.applicationId, dossier.id), eq(evaluationAssignments.rubric, rubric), eq(evaluationAssignments.evaluatorId, evaluatorId)))
      .returning();
    if (!removed) throw new DomainError("assignment_not_found", 404, "Cette évaluation n'est pas confiée à cette personne.");
    if (evaluation) await tx.delete(evaluations).where(mine);
    await recordAudit(tx, { actorId: actor.id, action: "instruction.unassign", entityType: "application", entityId: dossier.id, data: { reference, rubric, evaluatorId, draftDiscarded: Boolean(evaluation) } });
    const consolidation = await consolidateIfComplete(tx, actor, dossier);
    return { draftDiscarded: Boolean(evaluation), consolidation };
  });
}

export interface AutoAssignReport {
  rubric: Rubric;
  assigned: Array<{ reference: string; evaluatorId: string; evaluatorName: string }>;
  unassigned: Array<{ reference: string; reason: UnassignedReason; message: string }>;
}

/**
 * « Assign automatically »: every dossier in the actor's reach (the programme team: all; an ARS
 * agent: its région, ARS rubric only) that is submitted or under review and has nobody for the
 * rubric gets one evaluator, spread by planAssignments() (scope, conflicts, least load first).
 * Dossiers nobody can take are reported, not silently skipped.
 */
export async function assignAutomatically(actor: SessionUser, input: { rubric: string; waveId?: string; now?: Date; origin?: string }): Promise<AutoAssignReport> {
  const { rubric, waveId } = parseInput(AutoAssignSchema, { rubric: input.rubric, waveId: input.waveId || undefined }, "Choisissez une grille.");
  const reach = hasRole(actor, "program_manager")
    ? agentScopeCondition({ national: true })
    : rubric === "ars"
      ? arsReach(actor)
      : null;
  if (!reach) forbidden("not_assigner", rubric === "ars" ? "Seuls l'équipe programme et les ARS confient les évaluations de la grille ARS." : "Seule l'équipe programme confie les évaluations de la grille ANCT.");
  const now = input.now ?? new Date();

  return transaction(async (tx, afterCommit) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${AUTO_ASSIGN_LOCK})`);
    const waiting = and(
      reach,
      inArray(applications.status, ASSIGNABLE_STATUSES as ApplicationStatus[]),
      waveId ? eq(applications.waveId, waveId) : undefined,
      notExists(tx.select({ one: sql`1` }).from(evaluationAssignments).where(and(eq(evaluationAssignments.applicationId, applications.id), eq(evaluationAssignments.rubric, rubric)))),
    );
    // Locked like every other verb that changes a dossier's assignments (same lock, same order of events).
    const dossiers = await tx
      .select({ id: applications.id, reference: applications.reference, title: applications.title, regionCode: applications.regionCode, callId: applications.callId })
      .from(applications)
      .where(waiting)
      .orderBy(asc(applications.submittedAt), asc(applications.reference))
      .for("update");
    const report: AutoAssignReport = { rubric, assigned: [], unassigned: [] };
    if (dossiers.length === 0) return report;

    const evaluators = await candidateEvaluators(tx, rubric);
    const conflicts = await tx
      .select({ applicationId: conflictsOfInterest.applicationId, userId: conflictsOfInterest.userId })
      .from(conflictsOfInterest)
      .innerJoin(applications, eq(applications.id, conflictsOfInterest.applicationId))
      .where(waiting);
    const plan = planAssignments({
      dossiers,
      evaluators: evaluators.map((evaluator): CandidateEvaluator => ({ id: evaluator.id, scope: evaluator.scope, load: evaluator.load })),
      conflicts: new Set(conflicts.map((row) => conflictKey(row.applicationId, row.userId))),
    });

    const byId = new Map(dossiers.map((dossier) => [dossier.id, dossier]));
    const names = new Map(evaluators.map((evaluator) => [evaluator.id, evaluator.name]));
    const dueDays = new Map<string, number>();
    for (const callId of new Set(dossiers.map((dossier) => dossier.callId))) dueDays.set(callId, (await callRulesOf(tx, callId)).evaluationDueDays);
    const rows = plan.assignments.map(({ dossierId, evaluatorId }) => ({
      applicationId: dossierId,
      rubric,
      evaluatorId,
      assignedBy: actor.id,
      assignedAt: now,
      dueAt: new Date(now.getTime() + dueDays.get(byId.get(dossierId)!.callId)! * DAY_MS),
    }));
    // Bounded batches: a national run over thousands of dossiers stays under the bind-parameter limit.
    for (let start = 0; start < rows.length; start += 1000) await insertAssignments(tx, rows.slice(start, start + 1000));

    // One mail per evaluator for the whole run, listing what it gave them.
    const given = new Map<string, AssignedEvaluation[]>();
    for (const row of rows) {
      const dossier = byId.get(row.applicationId)!;
      given.set(row.evaluatorId, [...(given.get(row.evaluatorId) ?? []), { reference: dossier.reference, title: dossier.title, rubricLabel: RUBRIC_LABELS[rubric], due: formatDay(row.dueAt) }]);
    }
    const listUrl = new URL("/instruction?assignedToMe=on", input.origin ?? defaultOrigin()).toString();
    for (const [evaluatorId, evaluationsGiven] of given) await mailEvaluator(tx, afterCommit, evaluatorId, evaluationsGiven, listUrl);

    report.assigned = plan.assignments.map(({ dossierId, evaluatorId }) => ({ reference: byId.get(dossierId)!.reference, evaluatorId, evaluatorName: names.get(evaluatorId) ?? "" }));
    report.unassigned = plan.unassigned.map(({ dossierId, reason }) => ({ reference: byId.get(dossierId)!.reference, reason, message: UNASSIGNED_REASON_LABELS[reason] }));
    await recordAudit(tx, {
      actorId: actor.id,
      action: "instruction.assign_automatically",
      entityType: "evaluation_assignments",
      data: { rubric, waveId: waveId ?? null, assigned: report.assigned.map(({ reference, evaluatorId }) => ({ reference, evaluatorId })), unassigned: report.unassigned.map(({ reference, reason }) => ({ reference, reason })) },
    });
    return report;
  });
}

type AfterCommit = Parameters<Parameters<typeof transaction>[0]>[1];

/** Tells an evaluator what was just given to them (in the assigning transaction: a refused run mails nobody). */
async function mailEvaluator(tx: Transaction, afterCommit: AfterCommit, evaluatorId: string, given: AssignedEvaluation[], url: string) {
  const [evaluator] = await tx.select({ email: users.email, name: users.name }).from(users).where(eq(users.id, evaluatorId));
  await queueMail(tx, afterCommit, { to: evaluator.email, template: evaluationsAssignedMail, data: { name: evaluator.name, evaluations: given, url } });
}

function arsReach(actor: SessionUser): SQL | null {
  const regionCodes = actor.roles.filter((grant) => grant.role === "ars_agent" && grant.regionCode).map((grant) => grant.regionCode as string);
  return regionCodes.length > 0 ? agentScopeCondition({ national: false, regionCodes }) : null;
}

async function insertAssignments(tx: Transaction, rows: Array<typeof evaluationAssignments.$inferInsert>) {
  if (rows.length > 0) await tx.insert(evaluationAssignments).values(rows).onConflictDoNothing();
}
