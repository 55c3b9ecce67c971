import { ACQUISITIONS, COST_KINDS, DAYS, FUNDER_KINDS, HALF_DAYS, PARTNER_KINDS, SPECIALTIES, ZONINGS } from "~/modules/applications/form";
import type { FormSectionKey } from "./SectionFormData";

/**
 * What each field of the dossier is called on the page, in one place: the field's label, the
 * error summary's links and the read-only summary all read it from here.
 */
export const FIELD_LABELS: Record<FormSectionKey, Record<string, string>> = {
  porteur: {
    projectTitle: "Titre du projet",
    summary: "Résumé du projet",
    partners: "Partenaires du projet",
    "partners.name": "Nom du partenaire",
    "partners.kind": "Type de partenaire",
    "partners.role": "Rôle dans le projet",
    "partners.commitment": "Engagement du partenaire",
  },
  territoire: {
    communes: "Communes desservies",
    "communes.code": "Commune",
    "communes.zoning": "Zonage",
    patientsWithoutDoctor: "Patients sans médecin traitant",
    ofWhichAld: "Dont patients en affection de longue durée (ALD)",
  },
  projet: {
    specialties: "Spécialités proposées",
    otherSpecialty: "Autre spécialité",
    doctors: "Nombre de médecins",
    doctorsFte: "Équivalents temps plein (ETP) de médecins",
    medicalAssistants: "Nombre d'assistants médicaux",
    coordinator: "Le projet prévoit-il un coordinateur ?",
    tourPlan: "Plan de tournée hebdomadaire",
    "tourPlan.day": "Jour",
    "tourPlan.halfDay": "Demi-journée",
    "tourPlan.communeCode": "Commune",
    consultations: "Consultations prévues",
    cptsCoordination: "Coordination avec la CPTS",
    emergencyReferral: "Orientation des urgences",
  },
  vehicule: {
    acquisition: "Mode d'acquisition",
    vehicleType: "Type de véhicule",
    accessiblePmr: "Le véhicule est-il accessible aux personnes à mobilité réduite ?",
    equipment: "Équipement médical",
    deliveryDate: "Date de livraison prévue",
  },
  budget: {
    costs: "Dépenses du projet",
    "costs.kind": "Nature de la dépense",
    "costs.label": "Libellé de la dépense",
    "costs.amounts": "Montant",
    cofinancing: "Cofinancements",
    "cofinancing.funder": "Nom du financeur",
    "cofinancing.kind": "Type de financeur",
    "cofinancing.amount": "Montant apporté",
    requested: "Subvention demandée à l'État",
  },
};

export const YES_NO = { true: "Oui", false: "Non" } as const;

/** The choices of each choice field, by the same keys as FIELD_LABELS (communes of the tour come from the territory). */
export const CHOICE_LABELS: Record<string, Readonly<Record<string, string>>> = {
  "partners.kind": PARTNER_KINDS,
  "communes.zoning": ZONINGS,
  specialties: SPECIALTIES,
  coordinator: YES_NO,
  "tourPlan.day": DAYS,
  "tourPlan.halfDay": HALF_DAYS,
  acquisition: ACQUISITIONS,
  accessiblePmr: YES_NO,
  "costs.kind": COST_KINDS,
  "cofinancing.kind": FUNDER_KINDS,
};

/** How one row of a repeatable group is named (« Partenaire 2 ») and its buttons. */
export const ROW_NAMES: Record<string, { one: string; add: string; remove: string }> = {
  partners: { one: "Partenaire", add: "Ajouter un partenaire", remove: "Supprimer le partenaire" },
  communes: { one: "Commune", add: "Ajouter une commune", remove: "Retirer la commune" },
  tourPlan: { one: "Demi-journée", add: "Ajouter une demi-journée de tournée", remove: "Supprimer la demi-journée" },
  costs: { one: "Dépense", add: "Ajouter une ligne de dépense", remove: "Supprimer la dépense" },
  cofinancing: { one: "Cofinancement", add: "Ajouter un cofinancement", remove: "Supprimer le cofinancement" },
};

export const yearLabel = (index: number) => `Année ${index + 1}`;

/**
 * A field's name for the error summary, from its id: `budget-costs-0-amounts-1` → « Dépense 1 —
 * Montant (année 2) », `projet-consultations-2` → « Consultations prévues (année 3) ».
 */
export function describeField(section: FormSectionKey, id: string): string {
  const labels = FIELD_LABELS[section];
  const [name, ...rest] = id.slice(section.length + 1).split("-");
  const base = labels[name] ?? name;
  if (rest.length === 0) return base;
  const row = ROW_NAMES[name];
  if (!row) return `${base} (${yearLabel(Number(rest[0])).toLowerCase()})`;
  const [index, field, year] = rest;
  const rowLabel = `${row.one} ${Number(index) + 1}`;
  if (!field) return rowLabel;
  const fieldLabel = labels[`${name}.${field}`] ?? field;
  return `${rowLabel} — ${fieldLabel}${year !== undefined ? ` (${yearLabel(Number(year)).toLowerCase()})` : ""}`;
}
