import { z } from "zod";
import { MAX_AMOUNT_CENTS, parseEuros } from "~/utils/money";

/**
 * The dossier form, one zod schema per section, shared by the page and the server. Each schema
 * comes in two modes: « draft » (what autosave accepts: every field may still be empty, but what is
 * there must be well-formed) and « complete » (what submission requires).
 */
export type Mode = "draft" | "complete";

export const SECTIONS = [
  { key: "porteur", title: "Porteur et partenaires" },
  { key: "territoire", title: "Territoire" },
  { key: "projet", title: "Projet médical" },
  { key: "vehicule", title: "Véhicule" },
  { key: "budget", title: "Budget" },
  { key: "pieces", title: "Pièces justificatives" },
  { key: "engagement", title: "Récapitulatif et engagement" },
] as const;
export type SectionKey = (typeof SECTIONS)[number]["key"];
/** Sections whose content lives in the form data (pieces are rows of their own). */
export type DataSectionKey = Exclude<SectionKey, "pieces">;
export const SECTION_KEYS = SECTIONS.map((section) => section.key) as SectionKey[];

export const PARTNER_KINDS = { collectivite: "Collectivité", cpts: "CPTS", cpam: "CPAM / Assurance Maladie", hopital: "Hôpital", association: "Association", autre: "Autre" } as const;
export const ZONINGS = { zip: "Zone d'intervention prioritaire (ZIP)", zac: "Zone d'action complémentaire (ZAC)", hors_zonage: "Hors zonage" } as const;
export const SPECIALTIES = { medecine_generale: "Médecine générale", dentaire: "Dentaire", gynecologie: "Gynécologie", pediatrie: "Pédiatrie", ophtalmologie: "Ophtalmologie", autre: "Autre" } as const;
export const DAYS = { lundi: "Lundi", mardi: "Mardi", mercredi: "Mercredi", jeudi: "Jeudi", vendredi: "Vendredi", samedi: "Samedi" } as const;
export const HALF_DAYS = { matin: "Matin", apres_midi: "Après-midi" } as const;
export const ACQUISITIONS = { achat: "Achat", location: "Location (crédit-bail, location longue durée)" } as const;
export const COST_KINDS = { investissement: "Investissement", fonctionnement: "Fonctionnement" } as const;
export const FUNDER_KINDS = { collectivite: "Collectivité (commune, EPCI)", departement_region: "Département ou région", assurance_maladie: "Assurance Maladie (CPAM, ARS hors appel)", autre: "Autre financeur" } as const;

const keysOf = <T extends Record<string, string>>(labels: T) => Object.keys(labels) as [keyof T & string, ...(keyof T & string)[]];

function text(mode: Mode, missing: string, max: number) {
  const base = z.string({ error: missing }).trim().max(max, `${max} caractères au plus.`);
  return mode === "complete" ? base.min(1, missing) : base.optional();
}

function choice<T extends Record<string, string>>(mode: Mode, labels: T, missing: string) {
  const base = z.enum(keysOf(labels), { error: missing });
  return mode === "complete" ? base : base.optional();
}

function integer(mode: Mode, missing: string, max: number) {
  const base = z
    .number({ error: missing })
    .int("Saisissez un nombre entier.")
    .min(0, "Le nombre ne peut pas être négatif.")
    .max(max, `Le nombre doit être au plus ${new Intl.NumberFormat("fr-FR").format(max)}.`);
  return mode === "complete" ? base : base.nullish();
}

function flag(mode: Mode, missing: string) {
  const base = z.boolean({ error: missing });
  return mode === "complete" ? base : base.optional();
}

/** Euros as typed (« 120 000,50 ») or cents as stored; always stored as integer cents. */
function amount(mode: Mode, missing: string) {
  const cents = z.number().int().min(0, "Le montant ne peut pas être négatif.").max(MAX_AMOUNT_CENTS, "Le montant est trop élevé.");
  const typed = z.string().transform((value, ctx) => {
    if (value.trim() === "" && mode === "draft") return null;
    const parsed = parseEuros(value);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: value.trim() === "" ? missing : parsed.message });
      return z.NEVER;
    }
    return parsed.cents;
  });
  const base = z.union([cents, typed], { error: missing });
  return mode === "complete" ? base.pipe(z.number({ error: missing })) : base.nullish();
}

function list<T extends z.ZodType>(mode: Mode, item: T, options: { max: number; min?: number; missing: string }) {
  // The error names what to add when the list is absent altogether (zod would say it in English).
  const base = z.array(item, options.missing ? { error: options.missing } : undefined).max(options.max, `${options.max} éléments au plus.`);
  return mode === "complete" && options.min ? base.min(options.min, options.missing) : base.default([]);
}

const COMMUNE_CODE = /^(\d{5}|2[AB]\d{3})$/;

/**
 * The form's schemas for a mode and a project length. Building them costs more than parsing with
 * them, and every dossier page checks what is missing: they are built once per pair and shared
 * (zod schemas are immutable).
 */
const builtSchemas = new Map<string, ReturnType<typeof buildSectionSchemas>>();

export function sectionSchemas(mode: Mode, projectYears = 3) {
  const key = `${mode}:${projectYears}`;
  let schemas = builtSchemas.get(key);
  if (!schemas) {
    schemas = buildSectionSchemas(mode, projectYears);
    builtSchemas.set(key, schemas);
  }
  return schemas;
}

function buildSectionSchemas(mode: Mode, projectYears: number) {
  const porteur = z.object({
    projectTitle: text(mode, "Donnez un titre au projet.", 150),
    summary: text(mode, "Résumez le projet en quelques lignes.", 2000),
    partners: list(
      mode,
      z.object({
        name: text(mode, "Nommez le partenaire.", 200),
        kind: choice(mode, PARTNER_KINDS, "Choisissez le type de partenaire."),
        role: text(mode, "Décrivez le rôle du partenaire.", 300),
        commitment: text(mode, "Décrivez l'engagement du partenaire.", 1000),
      }),
      { max: 30, min: 1, missing: "Ajoutez au moins un partenaire." },
    ),
  });

  const territoire = z
    .object({
      communes: list(
        mode,
        z.object({
          code: z.string().regex(COMMUNE_CODE, "Code commune invalide."),
          zoning: choice(mode, ZONINGS, "Indiquez le zonage de la commune."),
        }),
        { max: 200, min: 1, missing: "Ajoutez au moins une commune desservie." },
      ),
      patientsWithoutDoctor: integer(mode, "Indiquez le nombre de patients sans médecin traitant.", 10_000_000),
      ofWhichAld: integer(mode, "Indiquez combien sont en affection de longue durée (ALD).", 10_000_000),
    })
    .superRefine((value, ctx) => {
      if (value.ofWhichAld != null && value.patientsWithoutDoctor != null && value.ofWhichAld > value.patientsWithoutDoctor) {
        ctx.addIssue({ code: "custom", path: ["ofWhichAld"], message: "Les patients en ALD font partie des patients sans médecin traitant : leur nombre ne peut pas être plus grand." });
      }
      const codes = value.communes.map((commune) => commune.code);
      if (new Set(codes).size !== codes.length) ctx.addIssue({ code: "custom", path: ["communes"], message: "Une commune figure deux fois." });
    });

  const projet = z
    .object({
      specialties: list(mode, z.enum(keysOf(SPECIALTIES)), { max: 6, min: 1, missing: "Choisissez au moins une spécialité." }),
      otherSpecialty: z.string().trim().max(200, "200 caractères au plus.").optional(),
      doctors: integer(mode, "Indiquez le nombre de médecins.", 500),
      doctorsFte: z
        .number({ error: "Indiquez les équivalents temps plein (ETP)." })
        .min(0, "Le nombre ne peut pas être négatif.")
        .max(500, "Le nombre doit être au plus 500.")
        .nullish()
        .refine((value) => mode === "draft" || value != null, "Indiquez les équivalents temps plein (ETP)."),
      medicalAssistants: integer(mode, "Indiquez le nombre d'assistants médicaux.", 500),
      coordinator: flag(mode, "Indiquez si le projet prévoit un coordinateur."),
      tourPlan: list(
        mode,
        z.object({
          day: choice(mode, DAYS, "Choisissez le jour."),
          halfDay: choice(mode, HALF_DAYS, "Choisissez la demi-journée."),
          communeCode: z.string().regex(COMMUNE_CODE, "Choisissez une commune du territoire."),
        }),
        { max: 12, min: 1, missing: "Planifiez au moins une demi-journée de tournée." },
      ),
      consultations: z
        .array(integer(mode, "Indiquez le nombre de consultations prévues.", 1_000_000))
        .length(projectYears, `Indiquez les consultations de chacune des ${projectYears} années.`)
        .optional()
        .refine((value) => mode === "draft" || value !== undefined, `Indiquez les consultations de chacune des ${projectYears} années.`),
      cptsCoordination: text(mode, "Décrivez la coordination avec la CPTS.", 2000),
      emergencyReferral: text(mode, "Décrivez l'orientation des urgences.", 2000),
    })
    .superRefine((value, ctx) => {
      if (mode === "complete" && value.specialties.includes("autre") && !value.otherSpecialty) {
        ctx.addIssue({ code: "custom", path: ["otherSpecialty"], message: "Précisez l'autre spécialité." });
      }
      const slots = value.tourPlan.map((slot) => `${slot.day}-${slot.halfDay}`);
      if (new Set(slots).size !== slots.length) ctx.addIssue({ code: "custom", path: ["tourPlan"], message: "Une demi-journée est planifiée deux fois." });
    });

  const vehicule = z.object({
    acquisition: choice(mode, ACQUISITIONS, "Indiquez si le véhicule est acheté ou loué."),
    vehicleType: text(mode, "Décrivez le type de véhicule.", 200),
    accessiblePmr: flag(mode, "Indiquez si le véhicule est accessible aux personnes à mobilité réduite."),
    equipment: text(mode, "Décrivez l'équipement médical.", 2000),
    deliveryDate:
      mode === "complete"
        ? z.iso.date("Indiquez une date de livraison valide.")
        : z.union([z.iso.date("Indiquez une date valide."), z.literal("")]).optional(),
  });

  const budget = z.object({
    costs: list(
      mode,
      z.object({
        kind: choice(mode, COST_KINDS, "Choisissez la nature de la dépense."),
        label: text(mode, "Nommez la dépense.", 200),
        amounts: z.array(amount(mode, "Saisissez le montant de l'année.")).length(projectYears, `Un montant par année (${projectYears} ans).`),
      }),
      { max: 50, min: 1, missing: "Ajoutez au moins une ligne de dépense." },
    ),
    cofinancing: list(
      mode,
      z.object({
        funder: text(mode, "Nommez le financeur.", 200),
        kind: choice(mode, FUNDER_KINDS, "Choisissez le type de financeur."),
        amount: amount(mode, "Saisissez le montant apporté."),
      }),
      { max: 30, missing: "" },
    ),
    requested: amount(mode, "Saisissez la subvention demandée à l'État."),
  });

  const engagement = z.object({
    signatoryName: text(mode, "Indiquez le nom du signataire.", 120),
    signatoryCapacity: text(mode, "Indiquez la qualité du signataire (ex. : président de la CPTS).", 120),
    attests:
      mode === "complete"
        ? z.literal(true, { error: "Cochez l'attestation sur l'honneur pour déposer le dossier." })
        : z.boolean().optional(),
  });

  return { porteur, territoire, projet, vehicule, budget, engagement } satisfies Record<DataSectionKey, z.ZodType>;
}

export type DraftSections = { [K in DataSectionKey]: z.infer<ReturnType<typeof sectionSchemas>[K]> };
/** The stored form data: each section as last saved (draft-valid), any field possibly absent. */
export type FormData = { [K in DataSectionKey]?: Partial<DraftSections[K]> };

export function isDataSection(key: string): key is DataSectionKey {
  return SECTION_KEYS.includes(key as SectionKey) && key !== "pieces";
}

/** The id of a field in the page, so that a « missing » item can link to it: `territoire-communes-0-zoning`. */
export function fieldId(section: string, path: ReadonlyArray<PropertyKey>) {
  return [section, ...path.map(String)].join("-");
}
