import { z } from "zod";
import { ORGANISATION_KINDS } from "~db/schema";

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
});
export type CallRules = z.infer<typeof CallRulesSchema>;

export function readCallRules(raw: unknown): CallRules {
  return CallRulesSchema.parse(raw ?? {});
}
