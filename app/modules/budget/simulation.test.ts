import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CallRulesSchema } from "~/modules/calls/schema";
import { compareForRanking } from "~/modules/instruction/scoring";
import { rankForSimulation, simulate, thresholdProblem, type SimulationDossier, type SimulationOverride } from "./simulation";

const rules = CallRulesSchema.parse({});

/** A dossier asking €80k on a €200k project (40 %), scored 70/100 unless told otherwise. */
function dossier(id: string, traits: Partial<SimulationDossier> = {}): SimulationDossier {
  return {
    id,
    reference: `MB-2026-${id.toUpperCase().padStart(6, "0")}`,
    consolidatedScore: 70_00,
    arsScore: 70_00,
    anctScore: 70_00,
    populationCovered: 10_000,
    submittedAt: new Date("2026-03-01T10:00:00Z"),
    regionCode: "28",
    requestedCents: 80_000_00,
    totalCostCents: 200_000_00,
    recommendedCents: null,
    ...traits,
  };
}

const outcomes = (result: ReturnType<typeof simulate>) => Object.fromEntries(result.rows.map((row) => [row.id, row.outcome]));
const plain = (text: string | null) => text?.replace(/[\u202f\u00a0]/g, " ") ?? null;

describe("ranking", () => {
  it("ranks with the committee's order: score, then ARS score, population, submission time, reference", () => {
    const wave = rankForSimulation(
      [
        dossier("a", { consolidatedScore: 60_00 }),
        dossier("b", { consolidatedScore: 80_00 }),
        dossier("c", { consolidatedScore: 80_00, arsScore: 90_00 }),
        dossier("d", { consolidatedScore: 60_00, populationCovered: 20_000 }),
        dossier("e", { consolidatedScore: 60_00, submittedAt: new Date("2026-02-01T10:00:00Z") }),
      ],
      rules,
    );
    expect(wave.dossiers.map((d) => d.id)).toEqual(["c", "b", "d", "e", "a"]);
    expect(wave.positionById.get("e")).toBe(3);
  });

  it("marks the dossiers under a threshold (overall or per rubric), in French", () => {
    expect(thresholdProblem({ consolidatedScore: 49_99, arsScore: 60_00, anctScore: 60_00 }, rules.fundingThresholds)).toBe("Note consolidée 49,99 sous le seuil de 50,00.");
    expect(thresholdProblem({ consolidatedScore: 55_00, arsScore: 70_00, anctScore: 39_50 }, rules.fundingThresholds)).toBe("Note ANCT 39,50 sous le seuil de 40,00.");
    expect(thresholdProblem({ consolidatedScore: 50_00, arsScore: 40_00, anctScore: 40_00 }, rules.fundingThresholds)).toBeNull();
    expect(thresholdProblem({ consolidatedScore: null, arsScore: 40_00, anctScore: null }, rules.fundingThresholds)).toBe("Note consolidée manquante : le dossier n'est pas entièrement noté.");
    expect(CallRulesSchema.parse({ fundingThresholds: { overall: 60 } }).fundingThresholds).toEqual({ overall: 60, ars: 40, anct: 40 });
  });
});

describe("simulation", () => {
  const five = [
    dossier("a", { consolidatedScore: 90_00, regionCode: "28", populationCovered: 5_000 }),
    dossier("b", { consolidatedScore: 85_00, regionCode: "53", populationCovered: 7_000, recommendedCents: 70_000_00 }),
    dossier("c", { consolidatedScore: 80_00, regionCode: "28", requestedCents: 100_000_00, totalCostCents: 250_000_00 }),
    dossier("d", { consolidatedScore: 75_00, regionCode: "76", populationCovered: 3_000 }),
    dossier("e", { consolidatedScore: 45_00, regionCode: "11" }),
  ];
  const wave = rankForSimulation(five, rules);

  it("funds in ranking order until the first that does not fit, and draws the cut line there", () => {
    // €80k + €70k (recommended) = €150k; c asks €100k of the €90k left: the cut falls before c.
    const result = simulate(wave, { remainingCents: 240_000_00, remainingBuses: 10 });
    expect(outcomes(result)).toEqual({ a: "funded", b: "funded", c: "below_cut", d: "below_cut", e: "below_threshold" });
    expect(result.cut).toEqual({ lastFundedRank: 2, firstBelowRank: 3 });
    expect(result.totals).toEqual({ funded: 2, awardedCents: 150_000_00, buses: 2, populationCovered: 12_000, regionsCovered: ["28", "53"] });
    expect(result.remainingCents).toBe(90_000_00);
    expect(result.rows.map((row) => row.cumulativeCents)).toEqual([80_000_00, 150_000_00, 150_000_00, 150_000_00, 150_000_00]);
    expect(result.rows[4].reason).toBe("Note consolidée 45,00 sous le seuil de 50,00.");
  });

  it("stops at the bus target as at the budget", () => {
    const result = simulate(wave, { remainingCents: 10_000_000_00, remainingBuses: 3 });
    expect(outcomes(result)).toMatchObject({ a: "funded", b: "funded", c: "funded", d: "below_cut" });
    expect(result.remainingBuses).toBe(0);
  });

  it("applies overrides: an exclusion lets the next one in, an inclusion below the cut takes its place above it", () => {
    const overrides: SimulationOverride[] = [
      { applicationId: "b", mode: "exclude", awardedCents: null, justification: "Projet déjà financé par la région" },
      { applicationId: "d", mode: "include", awardedCents: null, justification: "Seul projet d'Occitanie : équilibre territorial" },
    ];
    const result = simulate(wave, { remainingCents: 240_000_00, remainingBuses: 10, overrides });
    // d (€80k) is funded first, then a (€80k); c (€100k) no longer fits in €80k: the cut moves up.
    expect(outcomes(result)).toEqual({ a: "funded", b: "excluded", c: "below_cut", d: "included", e: "below_threshold" });
    expect(result.rows.find((row) => row.id === "b")).toMatchObject({ override: "exclude", reason: "Projet déjà financé par la région" });
    expect(result.totals.regionsCovered).toEqual(["28", "76"]);
    expect(result.cut).toEqual({ lastFundedRank: 1, firstBelowRank: 3 });
  });

  it("changes an awarded amount, within the request and the co-financing band", () => {
    const lowered = simulate(wave, { remainingCents: 240_000_00, remainingBuses: 10, overrides: [{ applicationId: "c", mode: "amount", awardedCents: 90_000_00, justification: "Véhicule d'occasion" }] });
    expect(outcomes(lowered)).toMatchObject({ a: "funded", b: "funded", c: "funded", d: "below_cut" });
    expect(lowered.remainingCents).toBe(0);
    const tooLow = simulate(wave, { remainingCents: 240_000_00, remainingBuses: 10, overrides: [{ applicationId: "c", mode: "amount", awardedCents: 50_000_00, justification: "Réduction" }] });
    expect(tooLow.rows[2]).toMatchObject({ outcome: "amount_to_fix", awardedCents: 50_000_00 });
    expect(plain(tooLow.rows[2].reason)).toBe("Le montant attribué représente 20 % du coût total (250 000 €) : la part de l'État doit être comprise entre 30 % et 50 %.");
    // The line goes on past a dossier whose amount is to fix: d now fits.
    expect(outcomes(tooLow)).toMatchObject({ d: "funded" });
  });

  it("never includes a dossier under a threshold, nor an inclusion that does not fit, and ignores unjustified overrides", () => {
    const result = simulate(wave, {
      remainingCents: 160_000_00,
      remainingBuses: 10,
      overrides: [
        { applicationId: "e", mode: "include", awardedCents: null, justification: "Territoire prioritaire" },
        { applicationId: "d", mode: "include", awardedCents: null, justification: "   " },
        { applicationId: "zz", mode: "exclude", awardedCents: null, justification: "Inconnu" },
      ],
    });
    expect(result.rows[4]).toMatchObject({ outcome: "below_threshold", reason: "Inclusion impossible : Note consolidée 45,00 sous le seuil de 50,00." });
    expect(result.ignoredOverrides).toEqual([
      { applicationId: "d", reason: "Une dérogation doit être justifiée par écrit." },
      { applicationId: "zz", reason: "Ce dossier n'est pas dans le classement de la vague." },
    ]);
    const tooBig = simulate(wave, { remainingCents: 50_000_00, remainingBuses: 10, overrides: [{ applicationId: "d", mode: "include", awardedCents: null, justification: "Équilibre" }] });
    expect(tooBig.rows[3]).toMatchObject({ outcome: "below_cut", reason: "Inclusion impossible : le reste à engager (euros ou médicobus) ne suffit pas." });
  });
});

/** Mostly fundable dossiers (scores above the thresholds, State share within the band), some not. */
const dossierArb = fc.record({
  consolidatedScore: fc.option(fc.integer({ min: 40_00, max: 100_00 }), { freq: 20 }),
  arsScore: fc.option(fc.integer({ min: 35_00, max: 100_00 }), { freq: 20 }),
  anctScore: fc.integer({ min: 35_00, max: 100_00 }),
  populationCovered: fc.nat({ max: 50_000 }),
  regionCode: fc.option(fc.constantFrom("28", "53", "76", "11"), { freq: 10 }),
  requestedCents: fc.integer({ min: 30_000_00, max: 200_000_00 }),
  sharePercent: fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 30, max: 50 }) }, { weight: 1, arbitrary: fc.integer({ min: 25, max: 55 }) }),
  recommendedShare: fc.option(fc.integer({ min: 75, max: 100 })),
});

describe("simulation properties", () => {
  it("never exceeds what remains, funds a prefix of the fundable ranking, and its totals add up", () => {
    fc.assert(
      fc.property(
        fc.array(dossierArb, { maxLength: 60 }),
        fc.integer({ min: 0, max: 1_500_000_00 }),
        fc.integer({ min: 0, max: 40 }),
        fc.array(fc.record({ index: fc.nat(), mode: fc.constantFrom("include" as const, "exclude" as const, "amount" as const), amountShare: fc.integer({ min: 40, max: 110 }) }), { maxLength: 6 }),
        (generated, remainingCents, remainingBuses, overrideSpecs) => {
          const dossiers = generated.map((traits, index) =>
            dossier(`d${index}`, {
              ...traits,
              totalCostCents: Math.round((traits.requestedCents * 100) / traits.sharePercent),
              recommendedCents: traits.recommendedShare === null ? null : Math.round((traits.requestedCents * traits.recommendedShare) / 100),
              submittedAt: new Date(Date.UTC(2026, 2, 1, 0, index)),
            }),
          );
          const overrides: SimulationOverride[] =
            dossiers.length === 0
              ? []
              : [...new Map(overrideSpecs.map((spec) => [spec.index % dossiers.length, spec])).entries()].map(([index, spec]) => ({
                  applicationId: dossiers[index].id,
                  mode: spec.mode,
                  awardedCents: spec.mode === "exclude" ? null : Math.round((dossiers[index].requestedCents * spec.amountShare) / 100),
                  justification: "Justification écrite",
                }));
          const wave = rankForSimulation(dossiers, rules);
          for (let i = 1; i < wave.dossiers.length; i++) expect(compareForRanking(wave.dossiers[i - 1], wave.dossiers[i])).toBeLessThan(0);
          const result = simulate(wave, { remainingCents, remainingBuses, overrides });

          const funded = result.rows.filter((row) => row.outcome === "funded" || row.outcome === "included");
          const awarded = funded.reduce((sum, row) => sum + row.awardedCents, 0);
          expect(result.totals.awardedCents).toBe(awarded);
          expect(awarded).toBeLessThanOrEqual(remainingCents);
          expect(result.totals.buses).toBeLessThanOrEqual(remainingBuses);
          expect(result.remainingCents).toBe(remainingCents - awarded);
          expect(result.totals.funded).toBe(funded.length);
          expect(result.totals.populationCovered).toBe(funded.reduce((sum, row) => sum + wave.dossiers[row.rank - 1].populationCovered, 0));
          expect(result.totals.regionsCovered).toEqual([...new Set(funded.map((row) => wave.dossiers[row.rank - 1].regionCode).filter((code) => code !== null))].sort());
          for (const row of funded) {
            expect(thresholdProblem(wave.dossiers[row.rank - 1], rules.fundingThresholds)).toBeNull();
            expect(row.awardedCents).toBeLessThanOrEqual(wave.dossiers[row.rank - 1].requestedCents);
          }
          // Strict order: every dossier funded in order ranks above every dossier left below the cut.
          const inOrder = result.rows.filter((row) => row.outcome === "funded").map((row) => row.rank);
          const belowCut = result.rows.filter((row) => row.outcome === "below_cut" && row.override !== "include").map((row) => row.rank);
          if (inOrder.length > 0 && belowCut.length > 0) expect(Math.max(...inOrder)).toBeLessThan(Math.min(...belowCut));
          expect(result.cut.firstBelowRank).toBe(belowCut.length > 0 ? Math.min(...belowCut) : null);
          // The first dossier below the cut really did not fit in what was left after the ones above it.
          if (result.cut.firstBelowRank !== null) {
            const first = result.rows[result.cut.firstBelowRank - 1];
            const before = funded.filter((row) => row.outcome === "included" || row.rank < first.rank);
            const left = remainingCents - before.reduce((sum, row) => sum + row.awardedCents, 0);
            expect(first.awardedCents > left || before.length >= remainingBuses).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
