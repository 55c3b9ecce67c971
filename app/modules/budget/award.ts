import type { CallRules } from "~/modules/calls/schema";
import { formatEuros, formatPercent } from "~/utils/format";

/** What the award rules need to know of a dossier. */
export interface AwardBasis {
  requestedCents: number;
  /** The project's total (eligible) cost: the State share is a percentage of it. */
  totalCostCents: number;
}

/**
 * Why an awarded amount is not allowed, or null: it must be a positive number of cents, at most
 * the amount requested, and the State share it gives (awarded / total cost) must lie within the
 * call's co-financing band. The band is compared in integers (awarded × 100 against
 * percent × cost) so that a share of exactly 50 % is never refused by a rounding.
 */
export function awardProblem(dossier: AwardBasis, awardedCents: number, band: CallRules["stateSharePercent"]): string | null {
  if (!Number.isSafeInteger(awardedCents) || awardedCents <= 0) return "Le montant attribué doit être un montant positif.";
  if (awardedCents > dossier.requestedCents) {
    return `Le montant attribué (${formatEuros(awardedCents)}) dépasse le montant demandé (${formatEuros(dossier.requestedCents)}).`;
  }
  if (dossier.totalCostCents <= 0) return "Le coût total du projet est inconnu : la part de l'État ne peut pas être vérifiée.";
  if (awardedCents * 100 < band.min * dossier.totalCostCents || awardedCents * 100 > band.max * dossier.totalCostCents) {
    const share = (awardedCents / dossier.totalCostCents) * 100;
    return `Le montant attribué représente ${formatPercent(share)} du coût total (${formatEuros(dossier.totalCostCents)}) : la part de l'État doit être comprise entre ${formatPercent(band.min)} et ${formatPercent(band.max)}.`;
  }
  return null;
}
