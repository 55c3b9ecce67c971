import type { OrganisationKind } from "~db/schema";
import type { BudgetCheck, MissingItem } from "~/modules/applications/rules";
import type { AdmissibilityCheckCode, CallRules } from "~/modules/calls/schema";
import { regionName } from "~/modules/geo/regions";
import { ORGANISATION_KIND_LABELS } from "~/modules/organisations/labels";

export interface AdmissibilityItem {
  code: AdmissibilityCheckCode;
  label: string;
  ok: boolean;
  /** What the portal computed, in French, for the agent to check. */
  detail: string;
}

export interface AdmissibilityInput {
  rules: Pick<CallRules, "admissibilityChecklist" | "eligibleSponsorKinds">;
  /** From missingItems(): everything that would block a submission today. */
  missing: readonly MissingItem[];
  /** From budgetChecks(). */
  budgetChecks: readonly BudgetCheck[];
  organisationKind: OrganisationKind;
  /** The région the dossier was routed to on submission. */
  dossierRegionCode: string | null;
  /** The régions of the communes served (summarizeTerritory) and how many communes. */
  territory: { regionCodes: readonly string[]; communeCount: number };
}

const plural = (count: number, word: string) => `${count} ${word}${count > 1 ? "s" : ""}`;

function listed(messages: readonly string[], limit = 3) {
  const shown = messages.slice(0, limit).join(" ; ");
  return messages.length > limit ? `${shown} ; et ${messages.length - limit} autre(s).` : shown;
}

/**
 * The recevabilité checklist of the call, each item with what the portal computed from the
 * dossier. It informs the ARS agent's decision; it does not take it (the agent may admit a
 * dossier with a failing item, with a motivation that says why).
 */
export function admissibilityChecklist(input: AdmissibilityInput): AdmissibilityItem[] {
  const failingBudget = input.budgetChecks.filter((check) => !check.ok);
  // missingItems() repeats the failing budget rules; they belong to the « budget » item only.
  const budgetMessages = new Set(failingBudget.map((check) => `${check.label} : ${check.message}`));
  const incomplete = input.missing.filter((item) => !budgetMessages.has(item.message));

  const compute: Record<AdmissibilityCheckCode, () => Pick<AdmissibilityItem, "ok" | "detail">> = {
    complete_file: () =>
      incomplete.length === 0
        ? { ok: true, detail: "Toutes les rubriques et les pièces obligatoires sont renseignées." }
        : { ok: false, detail: `${plural(incomplete.length, "point")} à compléter : ${listed(incomplete.map((item) => item.message))}` },
    eligible_sponsor: () => {
      const ok = input.rules.eligibleSponsorKinds.includes(input.organisationKind);
      const kind = ORGANISATION_KIND_LABELS[input.organisationKind];
      return { ok, detail: ok ? `Porteur : ${kind}, catégorie éligible à l'appel.` : `Porteur : ${kind}, catégorie non éligible à l'appel.` };
    },
    territory_in_scope: () => {
      const { regionCodes, communeCount } = input.territory;
      if (communeCount === 0) return { ok: false, detail: "Aucune commune desservie n'est renseignée." };
      if (regionCodes.length !== 1) return { ok: false, detail: `Le territoire s'étend sur plusieurs régions : ${regionCodes.map(regionName).join(", ")}.` };
      if (regionCodes[0] !== input.dossierRegionCode) {
        return { ok: false, detail: `Les communes sont en ${regionName(regionCodes[0])}, le dossier a été orienté vers ${input.dossierRegionCode ? regionName(input.dossierRegionCode) : "aucune région"}.` };
      }
      return { ok: true, detail: `${plural(communeCount, "commune")} desservie${communeCount > 1 ? "s" : ""}, toutes en ${regionName(regionCodes[0])}.` };
    },
    budget_rules: () =>
      failingBudget.length === 0
        ? { ok: true, detail: input.budgetChecks.map((check) => check.message).join(" ") }
        : { ok: false, detail: failingBudget.map((check) => `${check.label} — ${check.message}`).join(" ") },
  };

  return input.rules.admissibilityChecklist.map((item) => ({ code: item.code, label: item.label, ...compute[item.code]() }));
}
