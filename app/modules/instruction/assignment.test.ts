import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RoleGrant } from "~/modules/auth/roles";
import { canEvaluate, conflictKey, evaluatorScope, planAssignments, type CandidateEvaluator, type DossierToAssign } from "./assignment";
import type { AgentScope } from "./scope";

const REGIONS = ["28", "53", "52", "11"] as const;

const scopeArb: fc.Arbitrary<AgentScope> = fc.oneof(
  fc.constant<AgentScope>({ national: true }),
  fc.subarray([...REGIONS], { minLength: 1 }).map((regionCodes): AgentScope => ({ national: false, regionCodes })),
);

/** Evaluators with unique ids, dossiers with unique ids, and some declared conflicts between them. */
const caseArb = fc
  .record({
    evaluators: fc.uniqueArray(fc.record({ id: fc.stringMatching(/^[a-z]{1,6}$/), scope: scopeArb, load: fc.nat({ max: 6 }) }), { selector: (evaluator) => evaluator.id, maxLength: 8 }),
    dossiers: fc.array(fc.record({ regionCode: fc.option(fc.constantFrom(...REGIONS), { freq: 8 }) }), { maxLength: 40 }),
  })
  .chain(({ evaluators, dossiers }) => {
    const withIds: DossierToAssign[] = dossiers.map((dossier, index) => ({ id: `d${index}`, regionCode: dossier.regionCode }));
    const pairs = withIds.flatMap((dossier) => evaluators.map((evaluator) => conflictKey(dossier.id, evaluator.id)));
    return fc.record({ evaluators: fc.constant(evaluators as CandidateEvaluator[]), dossiers: fc.constant(withIds), conflicts: pairs.length > 0 ? fc.subarray(pairs).map((keys) => new Set(keys)) : fc.constant(new Set<string>()) });
  });

const covers = (scope: AgentScope, regionCode: string | null) => regionCode !== null && (scope.national || scope.regionCodes.includes(regionCode));
const sameScope = (a: AgentScope, b: AgentScope) => (a.national && b.national) || (!a.national && !b.national && [...a.regionCodes].sort().join() === [...b.regionCodes].sort().join());

function spreadsByScope(evaluators: readonly CandidateEvaluator[], loadOf: (evaluator: CandidateEvaluator) => number) {
  const groups: CandidateEvaluator[][] = [];
  for (const evaluator of evaluators) {
    const group = groups.find((candidates) => sameScope(candidates[0].scope, evaluator.scope));
    if (group) group.push(evaluator);
    else groups.push([evaluator]);
  }
  return groups.map((group) => {
    const loads = group.map(loadOf);
    return Math.max(...loads) - Math.min(...loads);
  });
}

describe("automatic assignment (generated cases)", () => {
  it("assigns each dossier at most once, to an evaluator in scope without a conflict, and reports the others with the right reason", () => {
    fc.assert(
      fc.property(caseArb, ({ evaluators, dossiers, conflicts }) => {
        const plan = planAssignments({ dossiers, evaluators, conflicts });
        const byId = new Map(evaluators.map((evaluator) => [evaluator.id, evaluator]));
        const assignedIds = plan.assignments.map((assignment) => assignment.dossierId);
        expect(new Set(assignedIds).size).toBe(assignedIds.length);
        expect(assignedIds.length + plan.unassigned.length).toBe(dossiers.length);
        for (const { dossierId, evaluatorId } of plan.assignments) {
          const dossier = dossiers.find((candidate) => candidate.id === dossierId)!;
          expect(covers(byId.get(evaluatorId)!.scope, dossier.regionCode)).toBe(true);
          expect(conflicts.has(conflictKey(dossierId, evaluatorId))).toBe(false);
        }
        for (const { dossierId, reason } of plan.unassigned) {
          const dossier = dossiers.find((candidate) => candidate.id === dossierId)!;
          const inScope = evaluators.filter((evaluator) => covers(evaluator.scope, dossier.regionCode));
          expect(inScope.every((evaluator) => conflicts.has(conflictKey(dossierId, evaluator.id)))).toBe(true);
          expect(reason).toBe(inScope.length === 0 ? "no_eligible_evaluator" : "all_conflicted");
        }
        // Loads returned are the initial loads plus what the run assigned.
        for (const evaluator of evaluators) {
          expect(plan.loads.get(evaluator.id)).toBe(evaluator.load + plan.assignments.filter((assignment) => assignment.evaluatorId === evaluator.id).length);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("keeps evaluators of the same scope within one dossier of each other when they start even", () => {
    fc.assert(
      fc.property(caseArb, fc.nat({ max: 5 }), ({ evaluators, dossiers }, start) => {
        const even = evaluators.map((evaluator) => ({ ...evaluator, load: start }));
        const plan = planAssignments({ dossiers, evaluators: even, conflicts: new Set() });
        for (const spread of spreadsByScope(even, (evaluator) => plan.loads.get(evaluator.id)!)) expect(spread).toBeLessThanOrEqual(1);
      }),
      { numRuns: 500 },
    );
  });

  it("never widens the load gap within a scope beyond max(1, the initial gap)", () => {
    fc.assert(
      fc.property(caseArb, ({ evaluators, dossiers }) => {
        const plan = planAssignments({ dossiers, evaluators, conflicts: new Set() });
        const before = spreadsByScope(evaluators, (evaluator) => evaluator.load);
        const after = spreadsByScope(evaluators, (evaluator) => plan.loads.get(evaluator.id)!);
        after.forEach((spread, index) => expect(spread).toBeLessThanOrEqual(Math.max(1, before[index])));
      }),
      { numRuns: 500 },
    );
  });

  it("assigns nothing when nobody is eligible, and says so for every dossier", () => {
    fc.assert(
      fc.property(caseArb, ({ dossiers }) => {
        const plan = planAssignments({ dossiers, evaluators: [], conflicts: new Set() });
        expect(plan.assignments).toEqual([]);
        expect(plan.unassigned).toEqual(dossiers.map((dossier) => ({ dossierId: dossier.id, reason: "no_eligible_evaluator" })));
      }),
    );
  });

  it("gives the same plan whatever the order of the evaluators", () => {
    fc.assert(
      fc.property(caseArb, fc.integer(), ({ evaluators, dossiers, conflicts }, seed) => {
        const shuffled = [...evaluators].sort((a, b) => ((a.id.charCodeAt(0) * seed) % 7) - ((b.id.charCodeAt(0) * seed) % 7));
        expect(planAssignments({ dossiers, evaluators: shuffled, conflicts }).assignments).toEqual(planAssignments({ dossiers, evaluators, conflicts }).assignments);
      }),
    );
  });

  it("spreads 10 Normandie dossiers 4-3-3 over three ARS agents, skipping a conflicted one", () => {
    const normandie: AgentScope = { national: false, regionCodes: ["28"] };
    const evaluators: CandidateEvaluator[] = ["a", "b", "c"].map((id) => ({ id, scope: normandie, load: 0 }));
    const dossiers = Array.from({ length: 10 }, (_, index) => ({ id: `d${index}`, regionCode: "28" }));
    const plan = planAssignments({ dossiers, evaluators, conflicts: new Set([conflictKey("d0", "a")]) });
    expect([...plan.loads.values()].sort()).toEqual([3, 3, 4]);
    expect(plan.assignments[0]).toEqual({ dossierId: "d0", evaluatorId: "b" });
  });
});

describe("who may score with a rubric", () => {
  const grants = (...list: RoleGrant[]) => list;
  it("gives the ARS rubric to the ARS agents of the région only", () => {
    expect(evaluatorScope("ars", grants({ role: "ars_agent", regionCode: "28" }))).toEqual({ national: false, regionCodes: ["28"] });
    expect(canEvaluate("ars", grants({ role: "ars_agent", regionCode: "28" }), "53")).toBe(false);
    expect(canEvaluate("ars", grants({ role: "anct_agent", regionCode: null }), "28")).toBe(false);
    expect(canEvaluate("ars", grants({ role: "program_manager", regionCode: null }), "28")).toBe(false);
  });

  it("gives the ANCT rubric to national ANCT agents everywhere and regional ones in their région", () => {
    expect(canEvaluate("anct", grants({ role: "anct_agent", regionCode: null }), "53")).toBe(true);
    expect(canEvaluate("anct", grants({ role: "anct_agent", regionCode: "28" }), "53")).toBe(false);
    expect(canEvaluate("anct", grants({ role: "ars_agent", regionCode: "53" }), "53")).toBe(false);
    expect(canEvaluate("anct", grants({ role: "anct_agent", regionCode: null }), null)).toBe(false);
  });
});
