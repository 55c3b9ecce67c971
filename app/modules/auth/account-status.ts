/** The state of an account as the admin pages show it, from its columns. */
export const ACCOUNT_STATUSES = ["active", "invited", "unverified", "disabled"] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export const ACCOUNT_STATUS_LABELS: Record<AccountStatus, string> = {
  active: "Actif",
  invited: "Invitation en attente",
  unverified: "Adresse non confirmée",
  disabled: "Désactivé",
};

export const ACCOUNT_STATUS_SEVERITY: Record<AccountStatus, "success" | "info" | "warning" | "error"> = {
  active: "success",
  invited: "info",
  unverified: "warning",
  disabled: "error",
};

export function accountStatus(user: { disabledAt: Date | string | null; hasPassword: boolean; emailVerifiedAt: Date | string | null }): AccountStatus {
  if (user.disabledAt) return "disabled";
  if (!user.hasPassword) return "invited";
  if (!user.emailVerifiedAt) return "unverified";
  return "active";
}
