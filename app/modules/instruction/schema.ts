import { z } from "zod";
import { APPLICATION_STATUSES, EVALUATION_AVIS, RUBRICS, type EvaluationAvis, type Rubric } from "~db/schema/values";
import type { Criterion } from "~/modules/calls/schema";
import { DomainError } from "~/utils/errors";
import { centsToInput, MAX_AMOUNT_CENTS, parseEuros } from "~/utils/money";
import { formatEuros } from "~/utils/format";
import { MAX_MARK } from "./scoring";

/**
 * The inputs of the instruction verbs, shared by the pages (conform's parseWithZod) and the
 * services, which validate again: a crafted request meets the same rules as the form. Field
 * names are conform's paths (`scores.projet_medical.justification`).
 */

export const RUBRIC_LABELS: Record<Rubric, string> = { ars: "Grille ARS", anct: "Grille ANCT" };
export const AVIS_LABELS: Record<EvaluationAvis, string> = { favorable: "Favorable", reserve: "Réservé", defavorable: "Défavorable" };

export const TEXT_MAX_LENGTH = 5000;

const longText = (missing: string) => z.string({ error: missing }).trim().min(1, missing).max(TEXT_MAX_LENGTH, `${TEXT_MAX_LENGTH} caractères au plus.`);

/** Admit or declare inadmissible: the motivation is kept in the history (and mailed when inadmissible). */
export const DecisionSchema = z.object({ motivation: longText("Écrivez la motivation de la décision.") });

export const ConflictSchema = z.object({ reason: longText("Indiquez la nature du conflit d'intérêts (lien avec le porteur, intérêt personnel…).") });

export const PrivateNoteSchema = z.object({ body: longText("Écrivez l'annotation.") });

export const RubricSchema = z.enum(RUBRICS, { error: "Choisissez une grille : ARS ou ANCT." });

export const AssignSchema = z.object({ rubric: RubricSchema, evaluatorId: z.string({ error: "Choisissez un évaluateur." }).min(1, "Choisissez un évaluateur.") });

export const AutoAssignSchema = z.object({ rubric: RubricSchema, waveId: z.uuid("Vague inconnue.").optional() });

const MARK_MESSAGE = `La note doit être un nombre entier de 0 à ${MAX_MARK}.`;

/**
 * Euros as typed (« 120 000,50 ») or integer cents; always integer cents after parsing. The text
 * branch comes first: conform's parseWithZod coerces a field's text for the number branch too, and
 * « 80000 » typed in the form would otherwise be read as 80 000 cents (800 €).
 */
const recommendedAmount = z.union(
  [
    z.string().transform((value, ctx) => {
      if (value.trim() === "") return null;
      const parsed = parseEuros(value);
      if (!parsed.ok) {
        ctx.addIssue({ code: "custom", message: parsed.message });
        return z.NEVER;
      }
      return parsed.cents;
    }),
    z.number().int("Le montant doit être un nombre entier de centimes.").min(0, "Le montant ne peut pas être négatif.").max(MAX_AMOUNT_CENTS, "Le montant est trop élevé."),
  ],
  { error: "Saisissez un montant en euros, par exemple 80 000." },
);

export type EvaluationMode = "draft" | "complete";

/**
 * One evaluation with a call's grid. « complete » (submission, amendment): every criterion has
 * a mark from 0 to 5 and a justification, an avis and a recommended amount at most the amount
 * requested. « draft »: anything may be missing, but what is there must be valid.
 */
export function evaluationSchema(criteria: readonly Pick<Criterion, "code">[], options: { mode: EvaluationMode; requestedCents: number }) {
  const complete = options.mode === "complete";
  // A mark as a number, or as the text of a form field (« 4 »); an empty field is no mark.
  const mark = z.preprocess(
    (value) => (typeof value === "string" ? (value.trim() === "" ? undefined : Number(value.trim())) : value),
    z.number({ error: `Notez ce critère de 0 à ${MAX_MARK}.` }).int(MARK_MESSAGE).min(0, MARK_MESSAGE).max(MAX_MARK, MARK_MESSAGE),
  );
  const justification = z.string({ error: "Justifiez la note de ce critère." }).trim().max(TEXT_MAX_LENGTH, `${TEXT_MAX_LENGTH} caractères au plus.`);
  const criterion = z.object({
    score: complete ? mark : mark.nullish().transform((value) => value ?? null),
    justification: complete ? justification.min(1, "Justifiez la note de ce critère.") : justification.default(""),
  });
  const emptyCriterion = { score: null, justification: "" };
  const scores = z.object(Object.fromEntries(criteria.map(({ code }) => [code, complete ? criterion : criterion.default(emptyCriterion)])));
  const avis = z.enum(EVALUATION_AVIS, { error: "Choisissez un avis : favorable, réservé ou défavorable." });
  const requestedMessage = `Le montant recommandé ne peut pas dépasser le montant demandé (${formatEuros(options.requestedCents)}).`;
  const recommended = recommendedAmount.refine((cents) => cents === null || cents <= options.requestedCents, requestedMessage);
  return z.object({
    scores: complete ? scores : scores.default(Object.fromEntries(criteria.map(({ code }) => [code, emptyCriterion]))),
    avis: complete ? avis : avis.nullish().transform((value) => value ?? null),
    recommended: complete ? recommended.pipe(z.number({ error: "Indiquez le montant de subvention recommandé." })) : recommended.nullish().transform((value) => value ?? null),
  });
}

export type EvaluationValue = { scores: Record<string, { score: number | null; justification: string }>; avis: EvaluationAvis | null; recommended: number | null };

export const AmendmentReasonSchema = z.object({ reason: longText("Indiquez pourquoi vous modifiez une évaluation déjà soumise.") });

export const SORTS = ["submitted", "score", "reference", "organisation", "population"] as const;
export type DossierSort = (typeof SORTS)[number];
export const PAGE_SIZE_MAX = 100;

/** A URL's search params as the list reads them; « 12,5 » and « 12.5 » both read as 12,5 points. */
const points = z
  .string()
  .trim()
  .transform((value, ctx) => {
    if (value === "") return undefined;
    const number = Number(value.replace(",", "."));
    if (!Number.isFinite(number) || number < 0 || number > 100) {
      ctx.addIssue({ code: "custom", message: "Une note est comprise entre 0 et 100." });
      return z.NEVER;
    }
    return Math.round(number * 100);
  })
  .optional();

/** An empty select (« Toutes les vagues ») means no filter. */
const blankAsAbsent = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

const optionalText = z
  .string()
  .trim()
  .max(200)
  .transform((value) => value || undefined)
  .optional();

/**
 * The filters of the instruction list. Scores are read in points and kept in hundredths. Values
 * that do not parse are errors (400), not silently ignored: the page shows what it filters on.
 */
export const DossierListFiltersSchema = z.object({
  waveId: blankAsAbsent(z.uuid("Vague inconnue.")),
  regionCode: blankAsAbsent(z.string().regex(/^\d{2}$/, "Région inconnue.")),
  departementCode: blankAsAbsent(z.string().regex(/^(\d{2,3}|2[AB])$/, "Département inconnu.")),
  status: blankAsAbsent(z.enum(APPLICATION_STATUSES, { error: "Statut inconnu." })),
  assignedToMe: z.union([z.boolean(), z.enum(["on", "true", "1", ""]).transform((value) => value !== "")]).optional(),
  flagged: z.union([z.boolean(), z.enum(["on", "true", "1", ""]).transform((value) => value !== "")]).optional(),
  scoreMin: points,
  scoreMax: points,
  q: optionalText,
  sort: z.enum(SORTS, { error: "Tri inconnu." }).default("submitted"),
  direction: z.enum(["asc", "desc"], { error: "Ordre inconnu." }).optional(),
  page: z.coerce.number({ error: "Page invalide." }).int("Page invalide.").min(1, "Page invalide.").max(10_000, "Page invalide.").default(1),
  pageSize: z.coerce.number({ error: "Taille de page invalide." }).int().min(1).max(PAGE_SIZE_MAX, `${PAGE_SIZE_MAX} dossiers par page au plus.`).default(50),
});
export type DossierListFilters = z.input<typeof DossierListFiltersSchema>;
export type ParsedDossierListFilters = z.output<typeof DossierListFiltersSchema>;

/** conform's field names for zod issues: `scores.projet_medical.score`. */
export function fieldErrorsOf(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>) {
  const errors: Record<string, string[]> = {};
  for (const issue of issues) (errors[issue.path.map(String).join(".") || "form"] ??= []).push(issue.message);
  return errors;
}

/** Validates a service's input; refusal is a 400 with French messages by field, never a 500. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, message = "Certaines valeurs ne sont pas valides : corrigez-les."): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new DomainError("invalid_input", 400, message, fieldErrorsOf(parsed.error.issues));
  return parsed.data;
}

/** An evaluation's recommended amount as typed back into its field. */
export const recommendedToInput = (cents: number | null) => (cents === null ? "" : centsToInput(cents));
