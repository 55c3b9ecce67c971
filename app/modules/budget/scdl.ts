import { zonedToday } from "~/modules/calls/time";
import { checkSiret } from "~/modules/organisations/siret";

/**
 * Awarded subsidies as open data, in the SCDL « subventions » schema, version 2.1.1
 * (schema.data.gouv.fr scdl/subventions; décret n° 2017-779): 16 columns in this order, missing
 * values as empty strings, the point as decimal separator. `scdlRow` builds a row from an award;
 * `scdlProblems` checks a row against every field rule of the schema, so that an export can be
 * refused before it is published rather than rejected by the validator of data.gouv.fr.
 */
export const SCDL_COLUMNS = [
  "nomAttribuant",
  "idAttribuant",
  "dateConvention",
  "referenceDecision",
  "nomBeneficiaire",
  "idBeneficiaire",
  "rnaBeneficiaire",
  "objet",
  "montant",
  "nature",
  "conditionsVersement",
  "datesPeriodeVersement",
  "idRAE",
  "notificationUE",
  "pourcentageSubvention",
  "dispositifAide",
] as const;
export type ScdlColumn = (typeof SCDL_COLUMNS)[number];
export type ScdlRow = Record<ScdlColumn, string>;

export const SCDL_NATURES = ["aide en numéraire", "aide en nature", "aide en numéraire;aide en nature", "aide en nature;aide en numéraire"] as const;
const OBJET_MAX = 256;

export interface ScdlAward {
  /** The awarding body: its official name and SIRET (from the programme's configuration). */
  attribuant: { name: string; siret: string };
  /** When the agreement (convention) was signed; written as its Paris calendar date. */
  conventionDate: Date;
  /** The internal reference of the award decision (e.g. the dossier's reference). */
  decisionReference: string | null;
  beneficiary: { name: string; siret: string | null; rna?: string | null };
  /** What the subsidy is for: the project's title; cut to 256 characters. */
  objet: string;
  awardedCents: number;
  /** `échelonné` for an advance then the balance; `unique` for one payment. */
  conditionsVersement: "unique" | "échelonné";
  /** The payment period: its first day and, when payments are spread, its last. */
  paymentPeriod: { from: Date; to: Date | null };
  notificationUE: boolean;
  /** The beneficiary's share of the subsidy: 1 when it is the only beneficiary. */
  beneficiaryShare?: number;
  idRAE?: string | null;
  dispositifAide?: string | null;
}

const TIME_ZONE = "Europe/Paris";

/** « 47800.20 » for 4 780 020 cents: integer arithmetic, no floating-point rounding. */
export function scdlAmount(cents: number) {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
}

function truncate(text: string, max: number) {
  const single = text.replace(/\s+/g, " ").trim();
  const characters = [...single];
  return characters.length <= max ? single : `${characters.slice(0, max - 1).join("").trimEnd()}…`;
}

export function scdlRow(award: ScdlAward): ScdlRow {
  const from = zonedToday(TIME_ZONE, award.paymentPeriod.from);
  const to = award.paymentPeriod.to ? zonedToday(TIME_ZONE, award.paymentPeriod.to) : null;
  return {
    nomAttribuant: award.attribuant.name.trim(),
    idAttribuant: award.attribuant.siret.replace(/\s/g, ""),
    dateConvention: zonedToday(TIME_ZONE, award.conventionDate),
    referenceDecision: award.decisionReference ?? "",
    nomBeneficiaire: award.beneficiary.name.trim(),
    idBeneficiaire: award.beneficiary.siret?.replace(/\s/g, "") ?? "",
    rnaBeneficiaire: award.beneficiary.rna ?? "",
    objet: truncate(award.objet, OBJET_MAX),
    montant: scdlAmount(award.awardedCents),
    nature: "aide en numéraire",
    conditionsVersement: award.conditionsVersement,
    datesPeriodeVersement: to && to !== from ? `${from}/${to}` : from,
    idRAE: award.idRAE ?? "",
    notificationUE: award.notificationUE ? "oui" : "non",
    pourcentageSubvention: (award.beneficiaryShare ?? 1).toFixed(2),
    dispositifAide: award.dispositifAide ?? "",
  };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(text: string) {
  if (!ISO_DATE.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

function siretProblem(value: string, label: string) {
  if (!/^\d{14}$/.test(value)) return `${label} : un SIRET de 14 chiffres est attendu.`;
  const check = checkSiret(value);
  return check.ok ? null : `${label} : ${check.message}`;
}

export interface ScdlProblem {
  column: ScdlColumn;
  message: string;
}

/** Every rule of the schema's fields that the row breaks, column by column (empty: publishable). */
export function scdlProblems(row: ScdlRow): ScdlProblem[] {
  const problems: ScdlProblem[] = [];
  const add = (column: ScdlColumn, message: string | null) => {
    if (message) problems.push({ column, message });
  };
  const required = (column: ScdlColumn, label: string) => (row[column].trim() === "" ? `${label} est obligatoire.` : null);

  add("nomAttribuant", required("nomAttribuant", "Le nom de l'attribuant"));
  add("idAttribuant", siretProblem(row.idAttribuant, "Identifiant de l'attribuant"));
  add("dateConvention", validDate(row.dateConvention) ? null : "La date de convention doit être une date AAAA-MM-JJ.");
  add("nomBeneficiaire", required("nomBeneficiaire", "Le nom du bénéficiaire"));
  if (row.idBeneficiaire !== "") add("idBeneficiaire", siretProblem(row.idBeneficiaire, "Identifiant du bénéficiaire"));
  else if (row.rnaBeneficiaire === "") add("idBeneficiaire", "Le SIRET du bénéficiaire est obligatoire quand son numéro RNA n'est pas donné.");
  if (row.rnaBeneficiaire !== "" && !/^W\d{9}$/.test(row.rnaBeneficiaire)) add("rnaBeneficiaire", "Le numéro RNA s'écrit W suivi de 9 chiffres.");
  add("objet", required("objet", "L'objet") ?? ([...row.objet].length > OBJET_MAX ? `L'objet ne doit pas dépasser ${OBJET_MAX} caractères.` : null));
  add("montant", /^\d+(\.\d+)?$/.test(row.montant) && Number(row.montant) > 0 ? null : "Le montant doit être un nombre positif en euros, avec un point décimal (ex. 47800.20).");
  add("nature", (SCDL_NATURES as readonly string[]).includes(row.nature) ? null : `La nature doit être l'une de : ${SCDL_NATURES.join(", ")}.`);
  const conditions = row.conditionsVersement;
  add("conditionsVersement", conditions === "" ? "Les conditions de versement sont obligatoires." : ["unique", "échelonné"].includes(conditions) || [...conditions].length <= 256 ? null : "Les conditions de versement (autre) ne doivent pas dépasser 256 caractères.");
  const period = row.datesPeriodeVersement.split("/");
  add(
    "datesPeriodeVersement",
    period.length <= 2 && period.every(validDate) && (period.length === 1 || period[0] <= period[1]) ? null : "La période de versement s'écrit AAAA-MM-JJ ou AAAA-MM-JJ/AAAA-MM-JJ (début avant fin).",
  );
  add("idRAE", [...row.idRAE].length <= 5 ? null : "L'identifiant RAE ne doit pas dépasser 5 caractères.");
  add("notificationUE", row.notificationUE === "oui" || row.notificationUE === "non" ? null : "La notification UE vaut « oui » ou « non ».");
  const share = Number(row.pourcentageSubvention);
  add("pourcentageSubvention", /^\d+(\.\d+)?$/.test(row.pourcentageSubvention) && share >= 0.01 && share <= 1 ? null : "Le pourcentage de subvention est un nombre entre 0.01 et 1 (1.00 pour un seul bénéficiaire).");
  return problems;
}
