import { describe, expect, it } from "vitest";
import type { SessionUser } from "~/modules/auth/roles";
import { agentScope, isArsAgentOf, scopeCovers } from "./scope";

const user = (roles: SessionUser["roles"]): SessionUser => ({ id: "u", email: "a@b.fr", name: "A", roles });

describe("agent scope", () => {
  it("gives an ARS agent its région only", () => {
    const scope = agentScope(user([{ role: "ars_agent", regionCode: "28" }]))!;
    expect(scopeCovers(scope, "28")).toBe(true);
    expect(scopeCovers(scope, "53")).toBe(false);
    expect(scopeCovers(scope, null)).toBe(false);
  });

  it("gives a national ANCT agent and the programme team all of France", () => {
    expect(agentScope(user([{ role: "anct_agent", regionCode: null }]))).toEqual({ national: true });
    expect(agentScope(user([{ role: "program_manager", regionCode: null }]))).toEqual({ national: true });
  });

  it("gives an applicant or an admin no scope", () => {
    expect(agentScope(user([{ role: "applicant", regionCode: null }]))).toBeNull();
    expect(agentScope(user([{ role: "admin", regionCode: null }]))).toBeNull();
  });

  it("reserves ARS actions to the ARS of the dossier's région", () => {
    const agent = user([{ role: "ars_agent", regionCode: "28" }, { role: "anct_agent", regionCode: "53" }]);
    expect(isArsAgentOf(agent, "28")).toBe(true);
    expect(isArsAgentOf(agent, "53")).toBe(false);
  });
});
