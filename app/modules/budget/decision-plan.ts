import type { ApplicationStatus } from "~db/schema";
import type { DecisionLine } from "./schema";
import type { SimulationResult } from "./simulation";

/**
 * From the simulation to the decision the manager confirms, pure: who is selected (funded or
 * included, at the simulated amount), who goes on the reserve list (fundable but below the cut,
 * in ranking order), who is not selected (under a threshold, or excluded by an override), and
 * what blocks the decision (an amount outside the award rules, to fix by an override first).
 *
 * A dossier already on the wave's reserve list that stays below the cut keeps its rank: the
 * life cycle has no « waitlisted → waitlisted » transition, and its rank was notified. Newcomers
 * are ranked after the last rank given.
 */

export interface PlanDossier {
  id: string;
  reference: string;
  title?: string;
  organisationName?: string;
  status: ApplicationStatus;
}

export interface PlannedDossier {
  reference: string;
  title: string;
  organisationName: string;
  rank: number;
  awardedCents: number;
  waitlistRank: number | null;
  /** Why the simulation left it out (threshold, exclusion's justification, amount problem). */
  reason: string | null;
}

export interface DecisionPlan {
  selected: PlannedDossier[];
  waitlisted: PlannedDossier[];
  /** On the reserve list already and staying there: no new decision, the rank is kept. */
  kept: PlannedDossier[];
  rejected: PlannedDossier[];
  /** Amounts to correct before anything can be applied. */
  toFix: PlannedDossier[];
  selectedCents: number;
}

export function planDecision(simulation: Pick<SimulationResult, "rows">, dossiers: readonly PlanDossier[], options: { lastWaitlistRank: number }): DecisionPlan {
  const byId = new Map(dossiers.map((dossier) => [dossier.id, dossier]));
  const plan: DecisionPlan = { selected: [], waitlisted: [], kept: [], rejected: [], toFix: [], selectedCents: 0 };
  let nextRank = options.lastWaitlistRank;
  for (const row of simulation.rows) {
    const dossier = byId.get(row.id);
    if (!dossier) continue;
    const planned: PlannedDossier = { reference: row.reference, title: dossier.title ?? "", organisationName: dossier.organisationName ?? "", rank: row.rank, awardedCents: row.awardedCents, waitlistRank: null, reason: row.reason };
    switch (row.outcome) {
      case "funded":
      case "included":
        plan.selected.push(planned);
        plan.selectedCents += row.awardedCents;
        break;
      case "below_cut":
        if (dossier.status === "waitlisted") plan.kept.push(planned);
        else plan.waitlisted.push({ ...planned, waitlistRank: (nextRank += 1) });
        break;
      case "below_threshold":
      case "excluded":
        plan.rejected.push(planned);
        break;
      case "amount_to_fix":
        plan.toFix.push(planned);
        break;
    }
  }
  return plan;
}

/**
 * The lines `applyDecision` takes: each rejection carries its own motivation when the manager
 * wrote one, the common motivation otherwise (empty: the service refuses, by the rule that a
 * refusal is motivated).
 */
export function decisionLines(plan: DecisionPlan, motivations: { common: string | null; byReference: Readonly<Record<string, string | undefined>> }): DecisionLine[] {
  const common = motivations.common?.trim() ?? "";
  return [
    ...plan.selected.map((dossier): DecisionLine => ({ reference: dossier.reference, outcome: "selected", awardedCents: dossier.awardedCents, motivation: null })),
    ...plan.waitlisted.map((dossier): DecisionLine => ({ reference: dossier.reference, outcome: "waitlisted", waitlistRank: dossier.waitlistRank!, motivation: null })),
    ...plan.rejected.map((dossier): DecisionLine => ({ reference: dossier.reference, outcome: "rejected", motivation: motivations.byReference[dossier.reference]?.trim() || common })),
  ];
}

/** What the confirmation was shown: the decision posted must be this one, or the page is out of date. */
export function planFingerprint(plan: DecisionPlan) {
  const parts = [
    ...plan.selected.map((dossier) => `s:${dossier.reference}:${dossier.awardedCents}`),
    ...plan.waitlisted.map((dossier) => `w:${dossier.reference}:${dossier.waitlistRank}`),
    ...plan.rejected.map((dossier) => `r:${dossier.reference}`),
    ...plan.toFix.map((dossier) => `f:${dossier.reference}`),
  ];
  // FNV-1a over the parts: short enough for a hidden field, and a changed line changes it.
  let hash = 0x811c9dc5;
  for (const character of parts.join("|")) {
    hash ^= character.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${parts.length}-${hash.toString(16)}`;
}
