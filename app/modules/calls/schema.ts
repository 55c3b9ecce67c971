import { z } from "zod";
import { ORGANISATION_KINDS, type Rubric } from "~db/schema/values";

/**
 * One criterion of a scoring grid. The weight is relative (any positive integers: 3-2-1 or
 * 30-20-10 score the same); the six descriptors say what each mark from 0 to 5 means.
 */
export const CriterionSchema = z.object({
  code: z.string().regex(/^[a-z_]+$/),
  label: z.string().min(1),
  description: z.string().default(""),
  weight: z.number().int().positive().max(1000),
  descriptors: z.tuple([z.string(), z.string(), z.string(), z.string(), z.string(), z.string()]),
});
export type Criterion = z.infer<typeof CriterionSchema>;

const RubricCriteriaSchema = z
  .array(CriterionSchema)
  .min(1)
  .refine((criteria) => new Set(criteria.map((criterion) => criterion.code)).size === criteria.length, "Deux critères d'une grille ont le même code.");

const descriptors = (zero: string, one: string, two: string, three: string, four: string, five: string) => [zero, one, two, three, four, five] as [string, string, string, string, string, string];

/** The demo grids of the médicobus call (DESIGN.md): the ARS scores the project, the ANCT the territory. */
const DEFAULT_RUBRICS = {
  ars: [
    {
      code: "besoin_territorial",
      label: "Besoin territorial",
      description: "Population sans médecin traitant, patients en ALD, zonage (ZIP / ZAC) des communes desservies.",
      weight: 30,
      descriptors: descriptors("Besoin non démontré", "Besoin très faible", "Besoin faible ou mal documenté", "Besoin réel, partiellement documenté", "Besoin fort et documenté", "Besoin critique, documenté chiffres à l'appui (ZIP, ALD sans médecin traitant)"),
    },
    {
      code: "projet_medical",
      label: "Projet médical",
      description: "Offre de soins, fréquence des passages, coordination avec la CPTS et orientation des urgences.",
      weight: 25,
      descriptors: descriptors("Absent", "Très insuffisant", "Insuffisant", "Correct", "Solide", "Exemplaire : offre, fréquence et coordination précisément décrites"),
    },
    {
      code: "partenariats",
      label: "Partenariats",
      description: "Engagement des collectivités, de la CPAM, de la CPTS et des établissements de santé.",
      weight: 15,
      descriptors: descriptors("Aucun partenaire", "Partenaires cités sans engagement", "Engagements faibles", "Engagements écrits de quelques partenaires", "Engagements écrits de partenaires clés", "Partenariat complet, engagé par écrit et déjà à l'œuvre"),
    },
    {
      code: "viabilite_economique",
      label: "Viabilité économique",
      description: "Cofinancements obtenus et budget sur trois ans.",
      weight: 15,
      descriptors: descriptors("Budget absent ou incohérent", "Budget très fragile", "Cofinancements incertains", "Budget équilibré, cofinancements en cours", "Budget équilibré, cofinancements acquis", "Budget solide sur trois ans, cofinancements acquis et diversifiés"),
    },
    {
      code: "ressources_humaines",
      label: "Ressources humaines",
      description: "Médecins et assistants mobilisés, temps de coordination.",
      weight: 15,
      descriptors: descriptors("Aucune équipe identifiée", "Équipe très incomplète", "Équipe incomplète", "Équipe identifiée", "Équipe identifiée et engagée", "Équipe complète, engagée et coordonnée"),
    },
  ],
  anct: [
    {
      code: "ruralite_couverture",
      label: "Ruralité et couverture territoriale",
      description: "Caractère rural des communes desservies et couverture des zones éloignées des soins.",
      weight: 35,
      descriptors: descriptors("Territoire hors cible", "Couverture très faible", "Couverture partielle", "Couverture correcte", "Bonne couverture de communes rurales", "Couverture exemplaire des communes rurales isolées"),
    },
    {
      code: "france_ruralites",
      label: "Adéquation avec France Ruralités",
      description: "Cohérence avec le plan France Ruralités et les contrats de territoire.",
      weight: 25,
      descriptors: descriptors("Sans lien", "Lien très faible", "Lien faible", "Cohérent", "Très cohérent", "Projet emblématique du plan"),
    },
    {
      code: "mobilisation_collectivites",
      label: "Mobilisation des collectivités",
      description: "Implication des communes, EPCI et département : accueil, salle d'attente, financement.",
      weight: 20,
      descriptors: descriptors("Aucune collectivité", "Soutien de principe", "Soutien limité", "Soutien réel", "Engagement fort", "Engagement fort et financier de plusieurs collectivités"),
    },
    {
      code: "perennite",
      label: "Pérennité",
      description: "Capacité à poursuivre au-delà des trois ans du financement de l'État.",
      weight: 20,
      descriptors: descriptors("Non envisagée", "Très incertaine", "Incertaine", "Plausible", "Probable et argumentée", "Assurée par des engagements écrits"),
    },
  ],
} satisfies Record<Rubric, Criterion[]>;

/**
 * What the ARS checks before admitting a dossier. The codes are the checks the portal knows how to
 * compute (app/modules/instruction/admissibility.ts); the call chooses which apply and how they read.
 */
export const ADMISSIBILITY_CHECKS = ["complete_file", "eligible_sponsor", "territory_in_scope", "budget_rules"] as const;
export type AdmissibilityCheckCode = (typeof ADMISSIBILITY_CHECKS)[number];

/**
 * The rules of a call, stored as jsonb with the call. Defaults are the real médicobus call's
 * figures; another call (a third wave, another programme) changes the data, not this code.
 */
export const CallRulesSchema = z.object({
  projectYears: z.number().int().min(1).max(10).default(3),
  totalCostCents: z
    .object({ min: z.number().int().nonnegative(), max: z.number().int().positive() })
    .default({ min: 100_000_00, max: 400_000_00 }),
  stateSharePercent: z
    .object({ min: z.number().min(0).max(100), max: z.number().min(0).max(100) })
    .default({ min: 30, max: 50 }),
  eligibleSponsorKinds: z.array(z.enum(ORGANISATION_KINDS)).default(["cpts", "centre_sante", "msp", "commune", "epci", "departement", "region"]),
  advanceSharePercent: z.number().min(0).max(100).default(30),
  /**
   * Who signs the decision letters, and where: the authority a recours gracieux is addressed to.
   * Months: how long a selected applicant has to sign the convention before the award lapses.
   */
  decisionLetters: z
    .object({
      authority: z.string().min(1),
      service: z.string().default(""),
      place: z.string().min(1),
      signatoryTitle: z.string().min(1),
      signatoryName: z.string().default(""),
      conventionMonths: z.number().int().min(1).max(24).default(3),
    })
    .default({
      authority: "Ministère chargé de la santé",
      service: "Programme « 100 médicobus » — Direction générale de l'offre de soins",
      place: "Paris",
      signatoryTitle: "Pour le ministre et par délégation, le directeur général de l'offre de soins",
      signatoryName: "",
      conventionMonths: 3,
    }),
  /** The pièces justificatives the call asks for; `required` ones block submission when missing. */
  pieces: z
    .array(
      z.object({
        code: z.string().regex(/^[a-z_]+$/),
        label: z.string(),
        description: z.string().default(""),
        required: z.boolean(),
      }),
    )
    .default([
      { code: "statuts", label: "Statuts ou délibération", description: "Statuts de la structure, ou délibération de la collectivité autorisant le projet.", required: true },
      { code: "devis_vehicule", label: "Devis du véhicule", description: "Devis d'achat ou de location du véhicule aménagé.", required: true },
      { code: "budget_previsionnel", label: "Budget prévisionnel", description: "Budget du projet sur trois ans, signé par le représentant légal.", required: true },
      { code: "engagements_partenaires", label: "Lettres d'engagement des partenaires", description: "Une lettre par partenaire (collectivités, CPAM, CPTS, hôpital…).", required: true },
      { code: "rib", label: "Relevé d'identité bancaire (RIB)", description: "RIB du porteur de projet.", required: true },
      { code: "plan_amenagement", label: "Plan d'aménagement du véhicule", description: "Plan ou photos de l'aménagement intérieur.", required: false },
      { code: "autre", label: "Autre document", description: "Tout document utile à l'instruction.", required: false },
    ]),
  /** The two scoring grids (criteria, descriptions, weights, descriptors of the 0–5 scale). */
  rubrics: z.object({ ars: RubricCriteriaSchema, anct: RubricCriteriaSchema }).default(DEFAULT_RUBRICS),
  /** Relative weights of the ARS and ANCT scores in the consolidated score. */
  rubricWeights: z.object({ ars: z.number().int().nonnegative().max(1000), anct: z.number().int().nonnegative().max(1000) }).refine((weights) => weights.ars + weights.anct > 0, "Au moins une grille doit compter dans la note consolidée.").default({ ars: 60, anct: 40 }),
  /** An ARS/ANCT gap strictly above this many points (out of 100) is flagged for the committee. */
  scoreGapThreshold: z.number().int().min(0).max(100).default(20),
  /**
   * Minimum scores, in points out of 100, for a dossier to be fundable: the consolidated score
   * and each rubric's score. A dossier under any of them is marked « sous le seuil » in the
   * ranking and the simulator never funds it, not even through an override. 0 = no minimum.
   */
  fundingThresholds: z
    .object({
      overall: z.number().min(0).max(100).default(50),
      ars: z.number().min(0).max(100).default(40),
      anct: z.number().min(0).max(100).default(40),
    })
    .default({ overall: 50, ars: 40, anct: 40 }),
  admissibilityChecklist: z
    .array(z.object({ code: z.enum(ADMISSIBILITY_CHECKS), label: z.string().min(1) }))
    .default([
      { code: "complete_file", label: "Dossier complet (toutes les rubriques et pièces obligatoires)" },
      { code: "eligible_sponsor", label: "Porteur de projet éligible" },
      { code: "territory_in_scope", label: "Territoire dans le périmètre de la région" },
      { code: "budget_rules", label: "Règles budgétaires respectées (coût, part de l'État, plan de financement)" },
    ]),
  /** Days an evaluator has, from assignment, before the daily reminders start. */
  evaluationDueDays: z.number().int().min(1).max(365).default(21),
});
export type CallRules = z.infer<typeof CallRulesSchema>;

/**
 * The rules last read, by their JSON text. Most requests read the call's rules, which seldom
 * change, and validating them with zod each time showed in the profile of the busiest routes
 * (docs/benchmarks.md, « Routes sous charge »). The parsed rules are frozen, being shared.
 */
const parsedRules = new Map<string, CallRules>();
const PARSED_RULES_KEPT = 16;

export function readCallRules(raw: unknown): CallRules {
  const text = JSON.stringify(raw ?? {});
  let rules = parsedRules.get(text);
  if (!rules) {
    rules = deepFreeze(CallRulesSchema.parse(raw ?? {}));
    if (parsedRules.size >= PARSED_RULES_KEPT) parsedRules.delete(parsedRules.keys().next().value!);
    parsedRules.set(text, rules);
  }
  return rules;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
