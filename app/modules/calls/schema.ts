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
});
export type CallRules = z.infer<typeof CallRulesSchema>;

export function readCallRules(raw: unknown): CallRules {
  return CallRulesSchema.parse(raw ?? {});
}
