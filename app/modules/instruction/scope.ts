import { hasRole, type SessionUser } from "~/modules/auth/roles";

/** What part of France an agent instructs: all of it, or some régions. */
export type AgentScope = { national: true } | { national: false; regionCodes: string[] };

/**
 * The programme team and a national ANCT agent see every région; an ARS agent and a regional ANCT
 * agent see their région(s). An account without an agent role has no scope (null).
 */
export function agentScope(user: SessionUser): AgentScope | null {
  if (hasRole(user, "program_manager")) return { national: true };
  if (user.roles.some((grant) => grant.role === "anct_agent" && grant.regionCode === null)) return { national: true };
  const regionCodes = user.roles
    .filter((grant) => (grant.role === "ars_agent" || grant.role === "anct_agent") && grant.regionCode)
    .map((grant) => grant.regionCode as string);
  return regionCodes.length > 0 ? { national: false, regionCodes: [...new Set(regionCodes)] } : null;
}

export function scopeCovers(scope: AgentScope, regionCode: string | null) {
  return scope.national || (regionCode !== null && scope.regionCodes.includes(regionCode));
}

/** ARS actions (admissibility, correction requests) belong to the ARS of the dossier's région only. */
export function isArsAgentOf(user: SessionUser, regionCode: string | null) {
  return regionCode !== null && user.roles.some((grant) => grant.role === "ars_agent" && grant.regionCode === regionCode);
}
