import { describe, expect, it } from "vitest";
import { CallRulesSchema } from "~/modules/calls/schema";
import { compareForRanking, consolidate, consolidatedScore, evaluationScore, formatScore, rubricScore, scoreGapFlag, type RankedDossier } from "./scoring";

const rules = CallRulesSchema.parse({});
const ars = rules.rubrics.ars;
const allMarks = (mark: number) => Object.fromEntries(ars.map((criterion) => [criterion.code, mark]));

describe("evaluation score", () => {
  it("is 0 when every mark is 0 and 100 when every mark is 5", () => {
    expect(evaluationScore(ars, allMarks(0))).toBe(0);
    expect(evaluationScore(ars, allMarks(5))).toBe(100_00);
  });

  it("is the mark over 5 for a single criterion, whatever its weight", () => {
    for (const weight of [1, 7, 1000]) {
      expect(evaluationScore([{ code: "seul", weight }], { seul: 3 })).toBe(60_00);
      expect(evaluationScore([{ code: "seul", weight }], { seul: 1 })).toBe(20_00);
    }
  });

  it("depends on the weights' ratios, not on their sum", () => {
    const marks = { a: 5, b: 2, c: 0 };
    const small = evaluationScore([{ code: "a", weight: 3 }, { code: "b", weight: 2 }, { code: "c", weight: 1 }], marks);
    const large = evaluationScore([{ code: "a", weight: 30 }, { code: "b", weight: 20 }, { code: "c", weight: 10 }], marks);
    // (3×5 + 2×2 + 1×0) / (5 × 6) = 19/30 = 63,333…
    expect(small).toBe(63_33);
    expect(large).toBe(small);
  });

  it("rounds half up to the hundredth", () => {
    // Weights 7 and 1, marks 0 and 1: 1 / (5 × 8) × 100 = 2,5 exactly.
    expect(evaluationScore([{ code: "a", weight: 7 }, { code: "b", weight: 1 }], { a: 0, b: 1 })).toBe(2_50);
    // 2/3 of 100 = 66,666… → 66,67 ; 1/3 → 33,33.
    expect(evaluationScore([{ code: "a", weight: 1 }, { code: "b", weight: 1 }, { code: "c", weight: 1 }], { a: 5, b: 5, c: 0 })).toBe(66_67);
    expect(evaluationScore([{ code: "a", weight: 1 }, { code: "b", weight: 1 }, { code: "c", weight: 1 }], { a: 5, b: 0, c: 0 })).toBe(33_33);
    // 1/800 of 100 points = 0,125 → 0,13 (half up).
    expect(evaluationScore([{ code: "a", weight: 159 }, { code: "b", weight: 1 }], { a: 0, b: 1 })).toBe(13);
  });

  it("refuses a missing or out-of-range mark and unusable weights", () => {
    expect(() => evaluationScore(ars, { ...allMarks(3), projet_medical: 6 })).toThrow(RangeError);
    expect(() => evaluationScore(ars, { ...allMarks(3), projet_medical: -1 })).toThrow(RangeError);
    expect(() => evaluationScore(ars, { ...allMarks(3), projet_medical: 2.5 })).toThrow(RangeError);
    const { besoin_territorial: _dropped, ...missing } = allMarks(3);
    expect(() => evaluationScore(ars, missing)).toThrow(RangeError);
    expect(() => evaluationScore([{ code: "a", weight: 0 }], { a: 3 })).toThrow(RangeError);
    expect(() => evaluationScore([], {})).toThrow(RangeError);
  });
});

describe("rubric score (several evaluators)", () => {
  it("is the mean of the evaluations' scores, rounded half up, or null when none is submitted", () => {
    expect(rubricScore([])).toBeNull();
    expect(rubricScore([73_33])).toBe(73_33);
    expect(rubricScore([70_00, 80_01])).toBe(75_01); // 75,005 → 75,01
    expect(rubricScore([0, 0, 1])).toBe(0); // 0,0033… → 0
    expect(rubricScore([100_00, 100_00])).toBe(100_00);
  });
});

describe("consolidated score and divergence flag", () => {
  it("weights the two rubrics with the call's weights", () => {
    expect(consolidatedScore({ ars: 80_00, anct: 50_00 }, { ars: 60, anct: 40 })).toBe(68_00);
    expect(consolidatedScore({ ars: 80_00, anct: 50_00 }, { ars: 3, anct: 2 })).toBe(68_00);
    expect(consolidatedScore({ ars: 80_00, anct: 50_00 }, { ars: 1, anct: 0 })).toBe(80_00);
    expect(consolidatedScore({ ars: 0, anct: 0 }, { ars: 60, anct: 40 })).toBe(0);
    expect(consolidatedScore({ ars: 100_00, anct: 100_00 }, { ars: 60, anct: 40 })).toBe(100_00);
    // (33,33 + 33,34) / 2 = 33,335 → 33,34
    expect(consolidatedScore({ ars: 33_33, anct: 33_34 }, { ars: 1, anct: 1 })).toBe(33_34);
    expect(() => consolidatedScore({ ars: 1, anct: 1 }, { ars: 0, anct: 0 })).toThrow(RangeError);
  });

  it("flags a gap strictly above the threshold, not a gap exactly at it", () => {
    expect(scoreGapFlag({ ars: 70_00, anct: 50_00 }, 20)).toBe(false);
    expect(scoreGapFlag({ ars: 50_00, anct: 70_00 }, 20)).toBe(false);
    expect(scoreGapFlag({ ars: 70_01, anct: 50_00 }, 20)).toBe(true);
    expect(scoreGapFlag({ ars: 49_99, anct: 70_00 }, 20)).toBe(true);
    expect(scoreGapFlag({ ars: 50_00, anct: 50_00 }, 0)).toBe(false);
    expect(scoreGapFlag({ ars: 50_01, anct: 50_00 }, 0)).toBe(true);
  });

  it("consolidates only when both rubrics have scores", () => {
    expect(consolidate({ ars: [80_00], anct: [] }, rules)).toBeNull();
    expect(consolidate({ ars: [90_00, 70_00], anct: [40_00] }, rules)).toEqual({ arsScore: 80_00, anctScore: 40_00, consolidatedScore: 64_00, scoreGapFlag: true });
  });
});

describe("ranking", () => {
  const base: RankedDossier = { reference: "MB-2026-AAAAAA", consolidatedScore: 70_00, arsScore: 70_00, populationCovered: 10_000, submittedAt: new Date("2026-03-01T10:00:00Z") };
  const rank = (dossiers: RankedDossier[]) => [...dossiers].sort(compareForRanking).map((dossier) => dossier.reference);

  it("orders by consolidated score, then ARS score, population, submission time and reference", () => {
    const dossiers: RankedDossier[] = [
      { ...base, reference: "F-unscored", consolidatedScore: null, arsScore: null },
      { ...base, reference: "E-reference-b" },
      { ...base, reference: "D-reference-a" },
      { ...base, reference: "C-later", submittedAt: new Date("2026-03-02T10:00:00Z") },
      { ...base, reference: "B-smaller", populationCovered: 9_999 },
      { ...base, reference: "A-lower-ars", arsScore: 69_99 },
      { ...base, reference: "Z-best", consolidatedScore: 70_01, arsScore: 0 },
    ];
    expect(rank(dossiers)).toEqual(["Z-best", "D-reference-a", "E-reference-b", "C-later", "B-smaller", "A-lower-ars", "F-unscored"]);
  });

  it("is a total order: the ranking does not depend on the input order", () => {
    const dossiers = Array.from({ length: 40 }, (_, index): RankedDossier => ({
      reference: `MB-${String(index).padStart(3, "0")}`,
      consolidatedScore: index % 5 === 0 ? null : (index % 3) * 10_00,
      arsScore: (index % 2) * 10_00,
      populationCovered: index % 4,
      submittedAt: index % 7 === 0 ? null : new Date(Date.UTC(2026, 2, 1 + (index % 2))),
    }));
    const reversed = [...dossiers].reverse();
    expect(rank(reversed)).toEqual(rank(dossiers));
    for (const a of dossiers) {
      expect(compareForRanking(a, a)).toBe(0);
      for (const b of dossiers) if (a !== b) expect(Math.sign(compareForRanking(a, b))).toBe(-Math.sign(compareForRanking(b, a)));
    }
  });
});

it("formats hundredths the French way", () => {
  expect(formatScore(7_333)).toBe("73,33");
  expect(formatScore(100_00)).toBe("100,00");
  expect(formatScore(null)).toBe("—");
});
