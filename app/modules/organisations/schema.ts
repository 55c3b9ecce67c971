import { z } from "zod";
import { ORGANISATION_KINDS } from "~db/schema/values";
import { emailField } from "~/modules/auth/schema";
import { checkSiret } from "./siret";

/** The organisation form, shared by the page and the action. The seat commune is checked against the COG on the server. */
export const OrganisationSchema = z.object({
  kind: z.enum(ORGANISATION_KINDS, { error: "Choisissez le type de structure." }),
  name: z.string({ error: "Saisissez le nom de la structure." }).trim().min(2, "Le nom doit comporter au moins 2 caractères.").max(200, "200 caractères au plus."),
  siret: z.string({ error: "Saisissez le SIRET." }).transform((value, ctx) => {
    const check = checkSiret(value);
    if (!check.ok) {
      ctx.addIssue({ code: "custom", message: check.message });
      return z.NEVER;
    }
    return check.siret;
  }),
  seatCommuneCode: z.string({ error: "Choisissez la commune du siège." }).regex(/^(\d{5}|2[AB]\d{3})$/, "Choisissez la commune du siège dans la liste."),
  contactName: z.string().trim().max(120, "120 caractères au plus.").optional(),
  contactEmail: emailField.optional(),
  contactPhone: z
    .string()
    .trim()
    .regex(/^[+0-9 .()-]{6,20}$/, "Saisissez un numéro de téléphone, par exemple 02 33 00 00 00.")
    .optional(),
});
export type OrganisationInput = z.infer<typeof OrganisationSchema>;

export const InviteMemberSchema = z.object({ email: emailField });
export const RemoveMemberSchema = z.object({ userId: z.string({ error: "Membre inconnu." }).regex(/^[A-Za-z0-9_-]{1,64}$/, "Membre inconnu.") });
