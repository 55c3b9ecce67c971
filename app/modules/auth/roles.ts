import type { Role } from "~db/schema";
import { regionName } from "~/modules/geo/regions";

/** What users read for each role. */
export const ROLE_LABELS: Record<Role, string> = {
  applicant: "Porteur de projet",
  ars_agent: "Agent ARS",
  anct_agent: "Agent ANCT",
  program_manager: "Équipe programme",
  admin: "Administrateur",
};

/** Roles that must name a région, roles that may, roles that never do. */
export const ROLE_REGION_RULE: Record<Role, "required" | "optional" | "none"> = {
  applicant: "none",
  ars_agent: "required",
  anct_agent: "optional",
  program_manager: "none",
  admin: "none",
};

/** Roles an administrator may grant by invitation; applicants register themselves. */
export const AGENT_ROLES = ["ars_agent", "anct_agent", "program_manager", "admin"] as const satisfies readonly Role[];

export interface RoleGrant {
  role: Role;
  regionCode: string | null;
}

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  roles: RoleGrant[];
}

export function hasRole(user: SessionUser, role: Role) {
  return user.roles.some((grant) => grant.role === role);
}

/** The page an account lands on after sign-in, by the most specific role it holds. */
export function homePathFor(user: SessionUser) {
  if (hasRole(user, "admin")) return "/admin";
  if (hasRole(user, "program_manager")) return "/programme";
  if (hasRole(user, "ars_agent") || hasRole(user, "anct_agent")) return "/instruction";
  return "/mon-espace";
}

/** « Agent ARS — Normandie », « Agent ANCT — France entière », « Administrateur ». */
export function grantLabel(grant: RoleGrant) {
  if (ROLE_REGION_RULE[grant.role] === "none") return ROLE_LABELS[grant.role];
  return `${ROLE_LABELS[grant.role]} — ${grant.regionCode ? regionName(grant.regionCode) : "France entière"}`;
}

/** The roles that open the instruction area (/instruction). */
export const INSTRUCTION_ROLES = ["ars_agent", "anct_agent", "program_manager"] as const satisfies readonly Role[];
