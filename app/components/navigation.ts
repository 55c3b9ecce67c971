import { hasRole, type SessionUser } from "~/modules/auth/roles";

export interface NavItem {
  label: string;
  to: string;
}

/** The main navigation, by role: each person sees the areas they can open, nothing else. */
export function navigationFor(user: SessionUser | null): NavItem[] {
  const items: NavItem[] = [{ label: "Accueil", to: "/" }];
  if (!user) return [...items, { label: "Aide", to: "/aide" }];
  if (hasRole(user, "applicant")) items.push({ label: "Mon espace", to: "/mon-espace" });
  if (hasRole(user, "ars_agent") || hasRole(user, "anct_agent") || hasRole(user, "program_manager")) {
    items.push({ label: "Instruction", to: "/instruction" });
  }
  if (hasRole(user, "program_manager")) items.push({ label: "Programme", to: "/programme" });
  if (hasRole(user, "admin")) items.push({ label: "Administration", to: "/admin" });
  items.push({ label: "Aide", to: "/aide" });
  return items;
}
