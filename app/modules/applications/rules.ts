import type { CallRules } from "~/modules/calls/schema";
import { formatEuros, formatPercent } from "~/utils/format";
import { fieldId, SECTIONS, sectionSchemas, type DraftSections, type FormData, type SectionKey } from "./form";

export interface BudgetFigures {
  totalCostCents: number;
  investmentCents: number;
  operatingCents: number;
  cofinancingCents: number;
  requestedCents: number;
  /** Requested State subsidy as a share of the total cost, or null when the cost is zero. */
  stateSharePercent: number | null;
}

const sum = (values: ReadonlyArray<number | null | undefined>) => values.reduce<number>((total, value) => total + (value ?? 0), 0);

export function budgetFigures(budget: Partial<DraftSections["budget"]> | undefined): BudgetFigures {
  const costs = budget?.costs ?? [];
  const lineTotal = (line: (typeof costs)[number]) => sum(line.amounts ?? []);
  const investmentCents = sum(costs.filter((line) => line.kind === "investissement").map(lineTotal));
  const totalCostCents = sum(costs.map(lineTotal));
  const cofinancingCents = sum((budget?.cofinancing ?? []).map((line) => line.amount));
  const requestedCents = budget?.requested ?? 0;
  return {
    totalCostCents,
    investmentCents,
    operatingCents: totalCostCents - investmentCents,
    cofinancingCents,
    requestedCents,
    stateSharePercent: totalCostCents > 0 ? (requestedCents / totalCostCents) * 100 : null,
  };
}

export type BudgetCheckCode = "total_cost_range" | "state_share_band" | "funding_equals_cost";

export interface BudgetCheck {
  code: BudgetCheckCode;
  ok: boolean;
  label: string;
  message: string;
}

/** The call's money rules, each with what the portal computed, for the applicant and the ARS alike. */
export function budgetChecks(figures: BudgetFigures, rules: CallRules): BudgetCheck[] {
  const { min, max } = rules.totalCostCents;
  const band = rules.stateSharePercent;
  const share = figures.stateSharePercent;
  // Compare in cents to avoid rounding: requested × 100 must lie within [min × total, max × total].
  const shareOk = figures.totalCostCents > 0 && figures.requestedCents * 100 >= band.min * figures.totalCostCents && figures.requestedCents * 100 <= band.max * figures.totalCostCents;
  const funding = figures.cofinancingCents + figures.requestedCents;
  return [
    {
      code: "total_cost_range",
      ok: figures.totalCostCents >= min && figures.totalCostCents <= max,
      label: `Coût total entre ${formatEuros(min)} et ${formatEuros(max)}`,
      message: `Coût total du projet : ${formatEuros(figures.totalCostCents)}.`,
    },
    {
      code: "state_share_band",
      ok: shareOk,
      label: `Part de l'État entre ${band.min} % et ${band.max} % du coût total`,
      message: share === null ? "Part de l'État : coût total inconnu." : `Part de l'État demandée : ${formatPercent(share)} (${formatEuros(figures.requestedCents)}).`,
    },
    {
      code: "funding_equals_cost",
      ok: figures.totalCostCents > 0 && funding === figures.totalCostCents,
      label: "Financements égaux au coût total",
      message:
        figures.totalCostCents === 0
          ? "Aucune dépense n'est encore saisie."
          : funding === figures.totalCostCents
          ? `Financements : ${formatEuros(funding)}, égaux au coût.`
          : `Financements : ${formatEuros(funding)} pour un coût de ${formatEuros(figures.totalCostCents)} (écart : ${formatEuros(Math.abs(funding - figures.totalCostCents))}).`,
    },
  ];
}

export interface MissingItem {
  section: SectionKey;
  /** The id of the field to link to in the section's page. */
  fieldId: string;
  message: string;
}

/**
 * Everything that stands between the dossier and its submission, in the order of the form, each
 * item naming the field to go to. Empty means the dossier may be submitted.
 */
export function missingItems(input: { formData: FormData; pieceCodes: ReadonlySet<string>; rules: CallRules }): MissingItem[] {
  const schemas = sectionSchemas("complete", input.rules.projectYears);
  const items: MissingItem[] = [];
  for (const { key } of SECTIONS) {
    if (key === "pieces") {
      for (const piece of input.rules.pieces.filter((p) => p.required && !input.pieceCodes.has(p.code))) {
        items.push({ section: "pieces", fieldId: fieldId("pieces", [piece.code]), message: `Pièce manquante : ${piece.label}.` });
      }
      continue;
    }
    const result = schemas[key].safeParse(input.formData[key] ?? {});
    if (!result.success) {
      for (const issue of result.error.issues) {
        items.push({ section: key, fieldId: fieldId(key, issue.path), message: issue.message });
      }
    }
  }

  const territoryCodes = new Set((input.formData.territoire?.communes ?? []).map((commune) => commune.code));
  (input.formData.projet?.tourPlan ?? []).forEach((slot, index) => {
    if (slot.communeCode && !territoryCodes.has(slot.communeCode)) {
      items.push({ section: "projet", fieldId: fieldId("projet", ["tourPlan", index, "communeCode"]), message: "La tournée passe par une commune qui n'est pas dans le territoire desservi." });
    }
  });

  for (const check of budgetChecks(budgetFigures(input.formData.budget), input.rules)) {
    if (!check.ok) items.push({ section: "budget", fieldId: fieldId("budget", ["requested"]), message: `${check.label} : ${check.message}` });
  }
  return items;
}
