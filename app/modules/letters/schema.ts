import { z } from "zod";
import type { DecisionOutcome } from "~db/schema";
import { OUTCOME_LABELS, placeholderProblems } from "./placeholders";

/**
 * The outbox form: one subject and one body per outcome, checked for their placeholders on both
 * sides (the browser shows the problem as the field is left; the server refuses it with a 400).
 */
function templateSchema(outcome: DecisionOutcome) {
  const label = OUTCOME_LABELS[outcome];
  const text = (field: string, max: number) =>
    z
      .string({ error: `Écrivez ${field} du courriel « ${label} ».` })
      .trim()
      .min(1, `Écrivez ${field} du courriel « ${label} ».`)
      .max(max, `${max.toLocaleString("fr-FR")} caractères au plus.`)
      .superRefine((value, context) => {
        for (const message of placeholderProblems(value, outcome)) context.addIssue({ code: "custom", message });
      });
  return z.object({ subject: text("l'objet", 200), body: text("le texte", 10_000) });
}

export const LetterTemplatesSchema = z.object({
  selected: templateSchema("selected"),
  waitlisted: templateSchema("waitlisted"),
  rejected: templateSchema("rejected"),
});
export type LetterTemplates = z.infer<typeof LetterTemplatesSchema>;

/** « Envoyer les n courriers »: the count the manager confirmed, so that a list that changed meanwhile is not sent blind. */
export const SendLettersSchema = LetterTemplatesSchema.extend({
  expected: z.coerce.number({ error: "Nombre de courriers manquant." }).int().nonnegative(),
});

/**
 * The outbox page's form: the templates, the wave, and for « Envoyer » the count shown and the
 * confirmation box (checked by the action only when sending: previewing needs neither).
 */
export const OutboxFormSchema = LetterTemplatesSchema.extend({
  waveId: z.uuid("Vague inconnue : rechargez la page."),
  expected: z.coerce.number().int().nonnegative().optional(),
  confirm: z.string().optional(),
});
