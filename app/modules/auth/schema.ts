import { z } from "zod";
import { isRegionCode } from "~/modules/geo/regions";
import { AGENT_ROLES, ROLE_LABELS, ROLE_REGION_RULE } from "./roles";

/**
 * The account forms, shared by the page (validation as you type, with JavaScript) and the action
 * (the validation that counts). Conform turns an empty field into `undefined`, so the « missing »
 * message is the type error of each field.
 */

export const PASSWORD_MIN_LENGTH = 12;
/** Argon2 hashes whatever it is given: a ceiling keeps a megabyte « password » from costing CPU. */
const PASSWORD_MAX_LENGTH = 200;

function requiredText(missing: string) {
  return z.string({ error: missing }).trim().min(1, missing);
}

export const emailField = z
  .string({ error: "Saisissez votre adresse électronique." })
  .trim()
  .toLowerCase()
  .pipe(z.email("Saisissez une adresse électronique valide, par exemple nom@exemple.fr.").max(254, "Cette adresse électronique est trop longue."));

export const nameField = requiredText("Saisissez le nom et le prénom.").pipe(
  z.string().min(2, "Le nom doit comporter au moins 2 caractères.").max(120, "Le nom doit comporter au plus 120 caractères."),
);

/** A password being chosen: the length is the rule that matters (ANSSI / CNIL guidance). */
export const newPasswordField = z
  .string({ error: "Saisissez un mot de passe." })
  .min(PASSWORD_MIN_LENGTH, `Le mot de passe doit comporter au moins ${PASSWORD_MIN_LENGTH} caractères.`)
  .max(PASSWORD_MAX_LENGTH, `Le mot de passe doit comporter au plus ${PASSWORD_MAX_LENGTH} caractères.`);

/** A password being checked: never tell which rule an existing password breaks. */
const currentPasswordField = z.string({ error: "Saisissez votre mot de passe." }).max(PASSWORD_MAX_LENGTH, "Mot de passe incorrect.");

const confirmationField = z.string({ error: "Confirmez le mot de passe." });

const tokenField = z.string({ error: "Le lien est incomplet." }).min(1, "Le lien est incomplet.").max(200, "Le lien est invalide.");

function passwordsMatch<T extends { password: string; confirmation: string }>(value: T, ctx: z.RefinementCtx) {
  if (value.password !== value.confirmation) {
    ctx.addIssue({ code: "custom", path: ["confirmation"], message: "Les deux mots de passe ne sont pas identiques." });
  }
}

export const RegisterSchema = z
  .object({ name: nameField, email: emailField, password: newPasswordField, confirmation: confirmationField })
  .superRefine(passwordsMatch);
export type RegisterInput = z.infer<typeof RegisterSchema>;

export const SignInSchema = z.object({
  email: emailField,
  password: currentPasswordField,
  redirectTo: z.string().optional(),
});
export type SignInInput = z.infer<typeof SignInSchema>;

export const EmailOnlySchema = z.object({ email: emailField });
export const ForgotPasswordSchema = EmailOnlySchema;
export const ResendVerificationSchema = EmailOnlySchema;

export const ResetPasswordSchema = z
  .object({ token: tokenField, password: newPasswordField, confirmation: confirmationField })
  .superRefine(passwordsMatch);
export type ResetPasswordInput = z.infer<typeof ResetPasswordSchema>;

export const AcceptInvitationSchema = ResetPasswordSchema;
export type AcceptInvitationInput = ResetPasswordInput;

export const ChangePasswordSchema = z
  .object({ currentPassword: currentPasswordField, password: newPasswordField, confirmation: confirmationField })
  .superRefine(passwordsMatch);
export type ChangePasswordInput = z.infer<typeof ChangePasswordSchema>;

const agentRoleField = z.enum(AGENT_ROLES, { error: "Choisissez un rôle." });
const regionCodeField = z
  .string()
  .trim()
  .optional()
  .refine((code) => !code || isRegionCode(code), "Choisissez une région dans la liste.");

/**
 * A role and its région, by the rule of each role (ROLE_REGION_RULE): an ARS agent is always
 * scoped to one région, an ANCT agent may be, the other roles never are (a région sent with
 * them is dropped rather than stored).
 */
function roleWithRegion<T extends { role: (typeof AGENT_ROLES)[number]; regionCode?: string }>(value: T, ctx: z.RefinementCtx) {
  if (ROLE_REGION_RULE[value.role] === "required" && !value.regionCode) {
    ctx.addIssue({ code: "custom", path: ["regionCode"], message: `Choisissez une région : le rôle « ${ROLE_LABELS[value.role]} » est limité à une région.` });
  }
}

function normaliseRegion<T extends { role: (typeof AGENT_ROLES)[number]; regionCode?: string }>(value: T): Omit<T, "regionCode"> & { regionCode: string | null } {
  const regionCode = ROLE_REGION_RULE[value.role] === "none" ? null : value.regionCode || null;
  return { ...value, regionCode };
}

export const InviteAgentSchema = z
  .object({ email: emailField, name: nameField, role: agentRoleField, regionCode: regionCodeField })
  .superRefine(roleWithRegion)
  .transform(normaliseRegion);
export type InviteAgentInput = z.infer<typeof InviteAgentSchema>;

export const GrantRoleSchema = z
  .object({ role: agentRoleField, regionCode: regionCodeField })
  .superRefine(roleWithRegion)
  .transform(normaliseRegion);
export type GrantRoleInput = z.infer<typeof GrantRoleSchema>;

export const RevokeRoleSchema = z.object({
  assignmentId: z.uuid("Rôle inconnu."),
});
export type RevokeRoleInput = z.infer<typeof RevokeRoleSchema>;

/** Where to go after signing in: only a path of this site (no « //evil.example », no « https: »). */
export function safeRedirectPath(to: FormDataEntryValue | string | null | undefined, fallback: string) {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  // A backslash or a control character (tab, newline) can turn into « // » in a browser's URL parser.
  if (to.includes("\\") || [...to].some((char) => char.charCodeAt(0) < 0x20)) return fallback;
  return to;
}

/** The « désactiver / réactiver » buttons of the admin page. */
export const AccountStatusSchema = z.object({ intent: z.enum(["disable", "enable"], { error: "Action inconnue." }) });
