import { describe, expect, it } from "vitest";
import { CallRulesSchema } from "~/modules/calls/schema";
import { sectionSchemas, type FormData } from "./form";
import { budgetChecks, budgetFigures, missingItems } from "./rules";

const rules = CallRulesSchema.parse({});
const ALL_PIECES = new Set(rules.pieces.map((piece) => piece.code));

function budget(totalEuros: number, requestedEuros: number, cofinancingEuros = totalEuros - requestedEuros) {
  return budgetFigures({
    costs: [{ kind: "investissement", label: "Véhicule", amounts: [totalEuros * 100, 0, 0] }],
    cofinancing: [{ funder: "Communauté de communes", kind: "collectivite", amount: cofinancingEuros * 100 }],
    requested: requestedEuros * 100,
  });
}

const ok = (figures: ReturnType<typeof budgetFigures>) => Object.fromEntries(budgetChecks(figures, rules).map((check) => [check.code, check.ok]));

describe("budget rules (defaults: €100k–€400k, State 30–50 %, funding = cost)", () => {
  it.each([
    [99_999.99, false],
    [100_000, true],
    [250_000, true],
    [400_000, true],
    [400_000.01, false],
  ])("a total cost of %s € is in range: %s", (total, expected) => {
    const cents = Math.round(total * 100);
    const figures = budgetFigures({ costs: [{ kind: "investissement", label: "x", amounts: [cents, 0, 0] }], cofinancing: [], requested: Math.round(cents * 0.4) });
    expect(ok(figures).total_cost_range).toBe(expected);
  });

  it.each([
    [29_999.99, false],
    [30_000, true],
    [50_000, true],
    [50_000.01, false],
  ])("a State share of %s € on 100 000 € is in the band: %s", (requested, expected) => {
    const figures = budgetFigures({ costs: [{ kind: "investissement", label: "x", amounts: [100_000_00, 0, 0] }], cofinancing: [], requested: Math.round(requested * 100) });
    expect(ok(figures).state_share_band).toBe(expected);
  });

  it("requires funding equal to cost, to the cent", () => {
    expect(ok(budget(200_000, 80_000)).funding_equals_cost).toBe(true);
    expect(ok(budget(200_000, 80_000, 119_999)).funding_equals_cost).toBe(false);
    expect(ok(budget(200_000, 80_000, 120_001)).funding_equals_cost).toBe(false);
  });

  it("sums costs over the years and splits investment and operating", () => {
    const figures = budgetFigures({
      costs: [
        { kind: "investissement", label: "Véhicule", amounts: [150_000_00, 0, 0] },
        { kind: "fonctionnement", label: "Carburant", amounts: [10_000_00, 10_000_00, 10_000_50] },
      ],
      cofinancing: [],
      requested: 72_000_00,
    });
    expect(figures).toMatchObject({ totalCostCents: 180_000_50, investmentCents: 150_000_00, operatingCents: 30_000_50 });
    expect(figures.stateSharePercent).toBeCloseTo(39.99, 1);
  });

  it("reads a cost of zero as « unknown share », never as a division by zero", () => {
    const figures = budgetFigures(undefined);
    expect(figures.stateSharePercent).toBeNull();
    expect(Object.values(ok(figures))).toEqual([false, false, false]);
  });
});

describe("form sections", () => {
  const draft = sectionSchemas("draft");
  const complete = sectionSchemas("complete");

  it("keeps one set of schemas per mode and project length, each with its own rules", () => {
    const costs = (years: number) => ({ costs: [{ kind: "investissement", label: "Véhicule", amounts: Array.from({ length: years }, () => 1000) }] });
    expect(sectionSchemas("draft", 3)).toBe(sectionSchemas("draft", 3));
    expect(sectionSchemas("draft", 3).budget.safeParse(costs(3)).success).toBe(true);
    expect(sectionSchemas("draft", 5).budget.safeParse(costs(3)).success).toBe(false);
    expect(sectionSchemas("draft", 5).budget.safeParse(costs(5)).success).toBe(true);
    expect(sectionSchemas("draft", 3).budget.safeParse(costs(5)).success).toBe(false);
    expect(sectionSchemas("complete", 3).budget.safeParse({}).success).toBe(false);
  });

  it("lets a draft be empty but refuses malformed values", () => {
    expect(draft.budget.safeParse({}).success).toBe(true);
    expect(draft.budget.safeParse({ requested: "-5" }).success).toBe(false);
    expect(draft.budget.safeParse({ requested: "12 000,50" }).data?.requested).toBe(1_200_050);
    expect(draft.territoire.safeParse({ communes: [{ code: "../../etc" }] }).success).toBe(false);
  });

  it("requires every field for submission", () => {
    const result = complete.vehicule.safeParse({});
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path[0]).sort()).toEqual(["accessiblePmr", "acquisition", "deliveryDate", "equipment", "vehicleType"]);
  });

  it("refuses more ALD patients than patients without a doctor", () => {
    const result = draft.territoire.safeParse({ communes: [], patientsWithoutDoctor: 10, ofWhichAld: 11 });
    expect(result.error?.issues[0]).toMatchObject({ path: ["ofWhichAld"] });
  });
});

describe("missing items", () => {
  const complete: FormData = {
    porteur: { projectTitle: "Médicobus du Perche", summary: "Un bus.", partners: [{ name: "CC des Collines du Perche", kind: "collectivite", role: "Financeur", commitment: "Met à disposition une salle d'attente" }] },
    territoire: { communes: [{ code: "61001", zoning: "zip" }], patientsWithoutDoctor: 1200, ofWhichAld: 300 },
    projet: {
      specialties: ["medecine_generale"],
      doctors: 12,
      doctorsFte: 3.5,
      medicalAssistants: 3,
      coordinator: true,
      tourPlan: [{ day: "lundi", halfDay: "matin", communeCode: "61001" }],
      consultations: [5000, 9000, 9000],
      cptsCoordination: "Réunions mensuelles",
      emergencyReferral: "Orientation vers le SAMU",
    },
    vehicule: { acquisition: "achat", vehicleType: "Camping-car aménagé", accessiblePmr: true, equipment: "Table d'examen", deliveryDate: "2027-03-01" },
    budget: { costs: [{ kind: "investissement", label: "Véhicule", amounts: [200_000_00, 0, 0] }], cofinancing: [{ funder: "CPAM", kind: "assurance_maladie", amount: 120_000_00 }], requested: 80_000_00 },
    engagement: { signatoryName: "Marie Curie", signatoryCapacity: "Présidente", attests: true },
  };

  it("finds nothing missing in a complete dossier", () => {
    expect(missingItems({ formData: complete, pieceCodes: ALL_PIECES, rules })).toEqual([]);
  });

  it("lists each missing piece, field and failed budget rule with a link target", () => {
    const items = missingItems({
      formData: { ...complete, vehicule: { ...complete.vehicule, equipment: "" }, budget: { ...complete.budget!, requested: 10_000_00 } },
      pieceCodes: new Set(["statuts"]),
      rules,
    });
    expect(items.filter((item) => item.section === "pieces")).toHaveLength(4);
    expect(items).toContainEqual(expect.objectContaining({ section: "vehicule", fieldId: "vehicule-equipment" }));
    expect(items.filter((item) => item.section === "budget").map((item) => item.message).join(" ")).toMatch(/Part de l'État.*Financements/);
  });

  it("refuses a tour through a commune outside the territory", () => {
    const items = missingItems({ formData: { ...complete, projet: { ...complete.projet!, tourPlan: [{ day: "lundi", halfDay: "matin", communeCode: "14118" }] } }, pieceCodes: ALL_PIECES, rules });
    expect(items).toEqual([expect.objectContaining({ fieldId: "projet-tourPlan-0-communeCode" })]);
  });
});
