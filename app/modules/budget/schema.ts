import { z } from "zod";
import { OVERRIDE_MODES, PAYMENT_TRANCHES } from "~db/schema/values";
import { parseEuros } from "~/utils/money";

/**
 * The inputs of the programme's decisions and overrides, shared by the pages (parsed from forms
 * once amounts are in cents) and the services. Messages are what the manager reads next to the field.
 */
const reference = z.string({ error: "Indiquez le dossier." }).trim().min(1, "Indiquez le dossier.");
const optionalText = z
  .string()
  .trim()
  .max(5_000, "5 000 caractères au plus.")
  .nullish()
  .transform((value) => value || null);

export const DecisionLineSchema = z.discriminatedUnion(
  "outcome",
  [
    z.object({
      reference,
      outcome: z.literal("selected"),
      awardedCents: z.number({ error: "Indiquez le montant attribué." }).int("Le montant doit être en centimes entiers.").positive("Le montant attribué doit être positif."),
      motivation: optionalText,
    }),
    z.object({
      reference,
      outcome: z.literal("waitlisted"),
      waitlistRank: z.number({ error: "Indiquez le rang sur la liste complémentaire." }).int("Le rang est un nombre entier.").positive("Le rang commence à 1."),
      motivation: optionalText,
    }),
    z.object({
      reference,
      outcome: z.literal("rejected"),
      motivation: z.string({ error: "Motivez la décision de refus." }).trim().min(1, "Motivez la décision de refus.").max(5_000, "5 000 caractères au plus."),
    }),
  ],
  { error: "Choisissez : retenu, liste complémentaire ou non retenu." },
);
export type DecisionLine = z.infer<typeof DecisionLineSchema>;

export const ApplyDecisionSchema = z.object({
  decisions: z
    .array(DecisionLineSchema)
    .min(1, "Aucune décision à appliquer.")
    .max(20_000)
    .refine((lines) => new Set(lines.map((line) => line.reference)).size === lines.length, "Un dossier figure deux fois dans la décision.")
    .refine((lines) => {
      const ranks = lines.flatMap((line) => (line.outcome === "waitlisted" ? [line.waitlistRank] : []));
      return new Set(ranks).size === ranks.length;
    }, "Deux dossiers ont le même rang sur la liste complémentaire."),
});
export type ApplyDecisionInput = z.infer<typeof ApplyDecisionSchema>;

export const OverrideSchema = z
  .object({
    reference,
    mode: z.enum(OVERRIDE_MODES, { error: "Choisissez : inclure, exclure ou modifier le montant." }),
    awardedCents: z.number().int("Le montant doit être en centimes entiers.").positive("Le montant attribué doit être positif.").nullish().transform((value) => value ?? null),
    justification: z.string({ error: "Justifiez la dérogation par écrit." }).trim().min(1, "Justifiez la dérogation par écrit.").max(5_000, "5 000 caractères au plus."),
  })
  .superRefine((value, context) => {
    if (value.mode === "amount" && value.awardedCents === null) context.addIssue({ code: "custom", path: ["awardedCents"], message: "Indiquez le montant à attribuer." });
    if (value.mode === "exclude" && value.awardedCents !== null) context.addIssue({ code: "custom", path: ["awardedCents"], message: "Un dossier exclu ne reçoit pas de montant." });
  });
export type OverrideInput = z.infer<typeof OverrideSchema>;

/**
 * The override form of the wave page, as typed: the amount in euros (« 95 000 »). Empty for an
 * inclusion means « at the proposed amount »; ignored for an exclusion, which funds nothing.
 * Gives the service's input (OverrideSchema), which checks again.
 */
export const OverrideFormSchema = z
  .object({
    reference,
    mode: z.enum(OVERRIDE_MODES, { error: "Choisissez : inclure, exclure ou modifier le montant." }),
    amount: z.string().optional(),
    justification: z.string({ error: "Justifiez la dérogation par écrit." }).trim().min(1, "Justifiez la dérogation par écrit.").max(5_000, "5 000 caractères au plus."),
  })
  .transform((value, context) => {
    const typed = value.mode === "exclude" ? "" : (value.amount ?? "").trim();
    let awardedCents: number | null = null;
    if (typed !== "") {
      const parsed = parseEuros(typed);
      if (!parsed.ok) {
        context.addIssue({ code: "custom", path: ["amount"], message: parsed.message });
        return z.NEVER;
      }
      if (parsed.cents === 0) {
        context.addIssue({ code: "custom", path: ["amount"], message: "Le montant attribué doit être positif." });
        return z.NEVER;
      }
      awardedCents = parsed.cents;
    }
    if (value.mode === "amount" && awardedCents === null) {
      context.addIssue({ code: "custom", path: ["amount"], message: "Indiquez le montant à attribuer." });
      return z.NEVER;
    }
    return { reference: value.reference, mode: value.mode, awardedCents, justification: value.justification };
  });

/** Field errors keyed by the dotted path of the input (`decisions.3.awardedCents`). */
export function fieldErrorsOf(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>) {
  const errors: Record<string, string[]> = {};
  for (const issue of issues) (errors[issue.path.map(String).join(".") || "form"] ??= []).push(issue.message);
  return errors;
}

/** The reopening of a decision: which dossier, and why (kept in its history and the audit). */
export const ReopenFormSchema = z.object({
  reference,
  motivation: z.string({ error: "Motivez la réouverture de la décision." }).trim().min(1, "Motivez la réouverture de la décision.").max(5_000, "5 000 caractères au plus."),
});

/** The payment form of a selected dossier, as typed: the tranche, the amount in euros (« 36 600 »), an optional note. */
export const PaymentFormSchema = z
  .object({
    tranche: z.enum(PAYMENT_TRANCHES, { error: "Choisissez la tranche : avance ou solde." }),
    amount: z.string({ error: "Indiquez le montant versé." }).trim().min(1, "Indiquez le montant versé."),
    motivation: z.string().trim().max(2_000, "2 000 caractères au plus.").optional(),
  })
  .transform((value, context) => {
    const parsed = parseEuros(value.amount);
    if (!parsed.ok || parsed.cents === 0) {
      context.addIssue({ code: "custom", path: ["amount"], message: parsed.ok ? "Le montant versé doit être positif." : parsed.message });
      return z.NEVER;
    }
    return { tranche: value.tranche, amountCents: parsed.cents, motivation: value.motivation || null };
  });
