import { describe, expect, it } from "vitest";
import { budgetChecks, budgetFigures, missingItems } from "~/modules/applications/rules";
import { CallRulesSchema } from "~/modules/calls/schema";
import { admissibilityChecklist, type AdmissibilityInput } from "./admissibility";

const rules = CallRulesSchema.parse({});
const goodBudget = budgetChecks(budgetFigures({ costs: [{ kind: "investissement", label: "Véhicule", amounts: [200_000_00, 0, 0] }], cofinancing: [{ funder: "CPAM", kind: "assurance_maladie", amount: 120_000_00 }], requested: 80_000_00 }), rules);

const admissible: AdmissibilityInput = {
  rules,
  missing: [],
  budgetChecks: goodBudget,
  organisationKind: "cpts",
  dossierRegionCode: "28",
  territory: { regionCodes: ["28"], communeCount: 2 },
};

const byCode = (input: AdmissibilityInput) => Object.fromEntries(admissibilityChecklist(input).map((item) => [item.code, item]));

describe("admissibility checklist", () => {
  it("lists the call's items in its order, all met for a complete Normandie CPTS dossier", () => {
    const items = admissibilityChecklist(admissible);
    expect(items.map((item) => item.code)).toEqual(["complete_file", "eligible_sponsor", "territory_in_scope", "budget_rules"]);
    expect(items.every((item) => item.ok)).toBe(true);
    expect(byCode(admissible).territory_in_scope.detail).toBe("2 communes desservies, toutes en Normandie.");
  });

  it("reports missing items, but not the budget rules twice", () => {
    const budget = budgetChecks(budgetFigures({ costs: [{ kind: "investissement", label: "Véhicule", amounts: [50_000_00, 0, 0] }], requested: 40_000_00 }), rules);
    const missing = missingItems({ formData: { budget: { costs: [{ kind: "investissement", label: "Véhicule", amounts: [50_000_00, 0, 0] }], requested: 40_000_00 } }, pieceCodes: new Set(), rules });
    const items = byCode({ ...admissible, missing, budgetChecks: budget });
    expect(items.complete_file.ok).toBe(false);
    expect(items.complete_file.detail).toMatch(/^\d+ points à compléter : /);
    expect(items.complete_file.detail).not.toMatch(/Coût total entre/);
    expect(items.budget_rules.ok).toBe(false);
    expect(items.budget_rules.detail).toMatch(/^Coût total entre 100\s000\s€ et 400\s000\s€ — Coût total du projet : 50\s000\s€\./);
  });

  it("checks the sponsor kind against the call's eligible kinds", () => {
    expect(byCode({ ...admissible, organisationKind: "autre" }).eligible_sponsor).toMatchObject({ ok: false, detail: "Porteur : autre structure, catégorie non éligible à l'appel." });
    expect(byCode({ ...admissible, rules: { ...rules, eligibleSponsorKinds: ["commune"] } }).eligible_sponsor.ok).toBe(false);
  });

  it("refuses an empty territory, one over two régions, or one routed elsewhere", () => {
    expect(byCode({ ...admissible, territory: { regionCodes: [], communeCount: 0 } }).territory_in_scope.ok).toBe(false);
    expect(byCode({ ...admissible, territory: { regionCodes: ["28", "52"], communeCount: 3 } }).territory_in_scope.detail).toMatch(/plusieurs régions : Normandie, Pays de la Loire/);
    expect(byCode({ ...admissible, dossierRegionCode: "53" }).territory_in_scope).toMatchObject({ ok: false, detail: "Les communes sont en Normandie, le dossier a été orienté vers Bretagne." });
  });

  it("follows the call's configuration: fewer items, other labels", () => {
    const items = admissibilityChecklist({ ...admissible, rules: { ...rules, admissibilityChecklist: [{ code: "budget_rules", label: "Budget conforme" }] } });
    expect(items).toEqual([expect.objectContaining({ code: "budget_rules", label: "Budget conforme", ok: true })]);
  });
});
