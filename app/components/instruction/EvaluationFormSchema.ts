import { z } from "zod";
import { RUBRICS, type Rubric } from "~db/schema/values";
import type { Criterion } from "~/modules/calls/schema";
import { AmendmentReasonSchema, evaluationSchema } from "~/modules/instruction/schema";

/** The buttons of the evaluation form, as the `intent` they post. */
export const EVALUATION_INTENTS = ["save", "submit", "amend"] as const;
export type EvaluationIntent = (typeof EVALUATION_INTENTS)[number];

/** Stable ids: fields are `${id}-${name}` (`evaluation-scores.projet_medical.score`), which the summary links to. */
export const EVALUATION_FORM_ID = "evaluation";

/**
 * What the browser checks before posting, with the service's own rules (instruction/schema.ts):
 * a draft (« Enregistrer le brouillon », and each field as it is left, when no button says
 * otherwise) may miss anything but not hold an invalid value; a submission or an amendment must
 * be complete, an amendment with its reason. The server validates again in the service, after
 * checking who is asking: the browser's check only spares a round trip.
 */
export function evaluationFormSchema(criteria: readonly Pick<Criterion, "code">[], requestedCents: number) {
  const version = z.number().int().optional();
  const draft = evaluationSchema(criteria, { mode: "draft", requestedCents });
  const complete = evaluationSchema(criteria, { mode: "complete", requestedCents });
  return z.discriminatedUnion(
    "intent",
    [
      draft.extend({ intent: z.literal("save").optional(), version }),
      complete.extend({ intent: z.literal("submit"), version }),
      complete.extend({ intent: z.literal("amend"), version, ...AmendmentReasonSchema.shape }),
    ],
    { error: "Action inconnue : rechargez la page et recommencez." },
  );
}

/** The form's fields as conform reads them back from the page (all text). */
export type EvaluationFormInput = {
  scores: Record<string, { score?: string; justification?: string }>;
  avis?: string;
  recommended?: string;
  version?: string;
  reason?: string;
  intent?: string;
};

/** What the error summary calls each field: « Besoin territorial — note ». */
export function evaluationFieldLabels(criteria: readonly Pick<Criterion, "code" | "label">[]) {
  const labels: Record<string, string> = {
    avis: "Avis",
    recommended: "Montant recommandé",
    reason: "Motif de l'amendement",
    intent: "Action",
  };
  for (const criterion of criteria) {
    labels[`scores.${criterion.code}`] = criterion.label;
    labels[`scores.${criterion.code}.score`] = `${criterion.label} — note`;
    labels[`scores.${criterion.code}.justification`] = `${criterion.label} — justification`;
  }
  return labels;
}

/** The URL segment of a rubric: the two grids of the call, nothing else. */
export function isRubric(value: string | undefined): value is Rubric {
  return (RUBRICS as readonly string[]).includes(value ?? "");
}
