import { describe, expect, it } from "vitest";
import { sectionSchemas, type FormData } from "~/modules/applications/form";
import { applyRowIntent, budgetFromRaw, errorsForPage, FORM_SECTIONS, inputName, rawFromData, rawFromFormData, sectionDataFromRaw } from "./SectionFormData";
import { describeField } from "./SectionLabels";

const YEARS = 3;

// A complete dossier (as tests/fixtures/dossiers.ts builds it; that module opens the database,
// which this pure test does not have).
const completeFormData = (): FormData => ({
  porteur: {
    projectTitle: "Médicobus du Perche",
    summary: "Un cabinet médical itinérant pour sept communes du Perche ornais.",
    partners: [{ name: "Communauté de communes des Collines du Perche", kind: "collectivite", role: "Co-financeur", commitment: "Salle d'attente" }],
  },
  territoire: { communes: [{ code: "61001", zoning: "zip" }, { code: "61196", zoning: "zac" }], patientsWithoutDoctor: 1200, ofWhichAld: 300 },
  projet: {
    specialties: ["medecine_generale", "autre"],
    otherSpecialty: "Sage-femme",
    doctors: 12,
    doctorsFte: 3.5,
    medicalAssistants: 3,
    coordinator: true,
    tourPlan: [
      { day: "lundi", halfDay: "matin", communeCode: "61001" },
      { day: "mardi", halfDay: "apres_midi", communeCode: "61196" },
    ],
    consultations: [5000, 9000, 9000],
    cptsCoordination: "Réunions mensuelles avec la CPTS",
    emergencyReferral: "Orientation vers le SAMU 61",
  },
  vehicule: { acquisition: "achat", vehicleType: "Camping-car aménagé", accessiblePmr: false, equipment: "Table d'examen, ECG", deliveryDate: "2027-03-01" },
  budget: {
    costs: [{ kind: "investissement", label: "Véhicule aménagé", amounts: [200_000_00, 0, 50] }],
    cofinancing: [{ funder: "CPAM de l'Orne", kind: "assurance_maladie", amount: 120_000_00 }],
    requested: 80_000_00,
  },
});

/** The form the page would post without JavaScript, from its raw values. */
function postedForm(raw: Record<string, unknown>) {
  const form = new globalThis.FormData();
  const walk = (value: unknown, path: Array<string | number>) => {
    if (typeof value === "string") form.append(inputName(path), value);
    else if (Array.isArray(value)) value.forEach((item, index) => (typeof item === "string" && path.at(-1) === "specialties" ? form.append(inputName(path), item) : walk(item, [...path, index])));
    else if (value && typeof value === "object") for (const [key, item] of Object.entries(value)) if (key !== "key") walk(item, [...path, key]);
  };
  walk(raw, []);
  return form;
}

describe("section form data", () => {
  it("gives back, for every section of a complete dossier, data the complete schema accepts, with and without JavaScript", () => {
    const stored = completeFormData();
    const schemas = sectionSchemas("complete", YEARS);
    for (const section of FORM_SECTIONS) {
      const raw = rawFromData(section, stored[section], YEARS);
      const { data } = sectionDataFromRaw(section, raw);
      expect(schemas[section].parse(data), section).toEqual(schemas[section].parse(stored[section]));
      const fromPost = sectionDataFromRaw(section, rawFromFormData(section, postedForm(raw), YEARS)).data;
      expect(fromPost, section).toEqual(data);
    }
  });

  it("shows amounts in French and numbers with a decimal comma, and sends them as typed", () => {
    const budget = rawFromData("budget", { costs: [{ kind: "investissement", label: "Véhicule", amounts: [12_000_050, 0, null] }], requested: 8_000_000 }, YEARS);
    expect(budget.costs[0].amounts).toEqual(["120 000,50", "0", ""]);
    expect(budget.requested).toBe("80 000");
    expect(sectionDataFromRaw("budget", budget).data).toMatchObject({ costs: [{ amounts: ["120 000,50", "0", ""] }], requested: "80 000" });
    const projet = rawFromData("projet", { doctorsFte: 3.5, coordinator: false }, YEARS);
    expect(projet).toMatchObject({ doctorsFte: "3,5", coordinator: "false", consultations: ["", "", ""] });
    expect(sectionDataFromRaw("projet", { ...projet, doctors: "1 200", medicalAssistants: "douze" }).data).toMatchObject({ doctorsFte: 3.5, coordinator: false, doctors: 1200, medicalAssistants: "douze", consultations: [null, null, null] });
  });

  it("leaves empty rows out and numbers the server's errors back to the rows of the page", () => {
    const raw = rawFromData("projet", { tourPlan: [{ day: "lundi", halfDay: "matin", communeCode: "61001" }] }, YEARS);
    raw.tourPlan = [{ key: "a", day: "", halfDay: "", communeCode: "" }, ...raw.tourPlan, { key: "c", day: "mardi", halfDay: "", communeCode: "" }];
    const { data, rowsSent } = sectionDataFromRaw("projet", raw);
    expect((data as { tourPlan: unknown[] }).tourPlan).toHaveLength(2);
    expect(rowsSent.tourPlan).toEqual([1, 2]);
    const refused = sectionSchemas("draft", YEARS).projet.safeParse(data);
    expect(refused.success).toBe(false);
    expect(errorsForPage("projet", { "projet-tourPlan-1-communeCode": ["Choisissez une commune du territoire."], "projet-doctors": ["x"] }, rowsSent)).toEqual({
      "projet-tourPlan-2-communeCode": ["Choisissez une commune du territoire."],
      "projet-doctors": ["x"],
    });
  });

  it("adds and removes rows and communes for a form posted without JavaScript", () => {
    const raw = rawFromData("porteur", completeFormData().porteur, YEARS);
    const added = applyRowIntent("porteur", raw, "add:partners", YEARS);
    expect(added.partners).toHaveLength(2);
    expect(applyRowIntent("porteur", added, "remove:partners:0", YEARS).partners.map((row) => row.name)).toEqual([""]);
    expect(applyRowIntent("porteur", raw, "add:projectTitle", YEARS)).toBe(raw);
    const territoire = rawFromData("territoire", undefined, YEARS);
    const withCommune = applyRowIntent("territoire", territoire, "add-commune:61001", YEARS);
    expect(withCommune.communes.map((row) => row.code)).toEqual(["61001"]);
    expect(applyRowIntent("territoire", withCommune, "add-commune:61001", YEARS)).toBe(withCommune);
    expect(applyRowIntent("territoire", territoire, "add-commune:../../x", YEARS)).toBe(territoire);
  });

  it("reads the budget as typed for the live figures (an unreadable amount counts as nothing)", () => {
    const raw = rawFromData("budget", undefined, YEARS);
    raw.costs = [{ key: "a", kind: "investissement", label: "Bus", amounts: ["150 000", "abc", "50 000,5"] }];
    raw.requested = "80 000";
    expect(budgetFromRaw(raw)).toMatchObject({ costs: [{ kind: "investissement", amounts: [15_000_000, null, 5_000_050] }], requested: 8_000_000 });
  });

  it("names each field of the error summary", () => {
    expect(describeField("budget", "budget-costs-0-amounts-1")).toBe("Dépense 1 — Montant (année 2)");
    expect(describeField("projet", "projet-consultations-2")).toBe("Consultations prévues (année 3)");
    expect(describeField("territoire", "territoire-communes")).toBe("Communes desservies");
    expect(describeField("porteur", "porteur-partners-1-name")).toBe("Partenaire 2 — Nom du partenaire");
  });
});
