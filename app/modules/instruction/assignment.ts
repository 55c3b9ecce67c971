import type { Rubric } from "~db/schema";
import type { RoleGrant } from "~/modules/auth/roles";
import type { AgentScope } from "./scope";

/**
 * Who may score with a rubric, from the person's role grants: the ARS rubric belongs to the ARS
 * agents of the dossier's région; the ANCT rubric to the ANCT agents, national or of that région.
 * Null when the person may score no dossier with that rubric.
 */
export function evaluatorScope(rubric: Rubric, roles: readonly RoleGrant[]): AgentScope | null {
  const role = rubric === "ars" ? "ars_agent" : "anct_agent";
  const grants = roles.filter((grant) => grant.role === role);
  // An ARS agent always has a région (ROLE_REGION_RULE); a région-less ARS grant scores nothing.
  if (rubric === "anct" && grants.some((grant) => grant.regionCode === null)) return { national: true };
  const regionCodes = [...new Set(grants.map((grant) => grant.regionCode).filter((code): code is string => code !== null))];
  return regionCodes.length > 0 ? { national: false, regionCodes } : null;
}

export function canEvaluate(rubric: Rubric, roles: readonly RoleGrant[], regionCode: string | null) {
  const scope = evaluatorScope(rubric, roles);
  return scope !== null && regionCode !== null && (scope.national || scope.regionCodes.includes(regionCode));
}

export interface CandidateEvaluator {
  id: string;
  scope: AgentScope;
  /** Evaluations in hand before this run (assigned, not yet submitted). */
  load: number;
}

export interface DossierToAssign {
  id: string;
  regionCode: string | null;
}

export type UnassignedReason = "no_eligible_evaluator" | "all_conflicted";

export interface AssignmentPlan {
  assignments: Array<{ dossierId: string; evaluatorId: string }>;
  /** Dossiers left without an evaluator, and why: the page reports them. */
  unassigned: Array<{ dossierId: string; reason: UnassignedReason }>;
  /** Each evaluator's load after the run. */
  loads: Map<string, number>;
}

/** The key of a declared conflict in `conflicts`. */
export const conflictKey = (dossierId: string, userId: string) => `${dossierId}:${userId}`;

/**
 * « Assign automatically »: one evaluator per dossier, chosen among the evaluators whose scope
 * covers the dossier's région and who declared no conflict on it, the least loaded first. Ties
 * go to the smaller id, so the same input always gives the same plan. Dossiers are taken in the
 * order given (the service passes them by submission time).
 *
 * Greedy least-loaded keeps evaluators of the same scope within one dossier of each other:
 * each dossier goes to a minimum of its candidates, so the gap within a group never grows past
 * one (the property tests check it on generated cases).
 */
export function planAssignments(input: { dossiers: readonly DossierToAssign[]; evaluators: readonly CandidateEvaluator[]; conflicts: ReadonlySet<string> }): AssignmentPlan {
  const loads = new Map(input.evaluators.map((evaluator) => [evaluator.id, evaluator.load]));
  const evaluators = [...input.evaluators].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const plan: AssignmentPlan = { assignments: [], unassigned: [], loads };
  for (const dossier of input.dossiers) {
    const inScope = evaluators.filter((evaluator) => dossier.regionCode !== null && (evaluator.scope.national || evaluator.scope.regionCodes.includes(dossier.regionCode)));
    const candidates = inScope.filter((evaluator) => !input.conflicts.has(conflictKey(dossier.id, evaluator.id)));
    if (candidates.length === 0) {
      plan.unassigned.push({ dossierId: dossier.id, reason: inScope.length === 0 ? "no_eligible_evaluator" : "all_conflicted" });
      continue;
    }
    let chosen = candidates[0];
    for (const candidate of candidates) if (loads.get(candidate.id)! < loads.get(chosen.id)!) chosen = candidate;
    loads.set(chosen.id, loads.get(chosen.id)! + 1);
    plan.assignments.push({ dossierId: dossier.id, evaluatorId: chosen.id });
  }
  return plan;
}

export const UNASSIGNED_REASON_LABELS: Record<UnassignedReason, string> = {
  no_eligible_evaluator: "Aucun évaluateur habilité pour la région de ce dossier.",
  all_conflicted: "Tous les évaluateurs habilités ont déclaré un conflit d'intérêts.",
};
