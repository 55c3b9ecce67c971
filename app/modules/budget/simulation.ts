import type { OverrideMode } from "~db/schema";
import type { CallRules } from "~/modules/calls/schema";
import { compareForRanking } from "~/modules/instruction/scoring";
import { awardProblem } from "./award";

/**
 * The ranking of a wave's reviewed dossiers and the simulator of the cut line, pure.
 *
 * Two steps, so that the simulator answers within 100 ms over 10,000 dossiers while the
 * manager adjusts overrides: `rankForSimulation` sorts once (compareForRanking, the committee's
 * documented tie-breaks) and precomputes everything that depends only on the dossiers and the
 * call's rules — threshold verdicts, default awards and their validity, région indexes — into
 * flat arrays; `simulate` then walks those arrays in one pass per call, with no sorting and no
 * allocation per dossier beyond its result row.
 *
 * Funding rule: dossiers included by an override are funded first (that is what an inclusion
 * for territorial balance means: it takes its place above the cut), then the others strictly in
 * ranking order until the first that does not fit in the remaining euros or buses — that one
 * marks the cut line, and everything ranked after it stays below the cut even if it would fit
 * (the order is the committee's; a smaller dossier further down is brought in by an inclusion,
 * with a written justification, never silently). Dossiers under a threshold or excluded are
 * passed over without stopping the line.
 */

export interface SimulationDossier {
  id: string;
  reference: string;
  title?: string;
  consolidatedScore: number | null;
  arsScore: number | null;
  anctScore: number | null;
  populationCovered: number;
  submittedAt: Date | null;
  regionCode: string | null;
  requestedCents: number;
  totalCostCents: number;
  /** The evaluators' recommended amount (null: none given; the request is proposed instead). */
  recommendedCents: number | null;
  /** Buses the dossier funds (one médicobus per dossier unless said otherwise). */
  buses?: number;
  scoreGapFlag?: boolean;
}

export interface SimulationOverride {
  applicationId: string;
  mode: OverrideMode;
  /** The amount to award instead of the default (mode `amount`, or `include` at another amount). */
  awardedCents: number | null;
  justification: string;
}

export const SIMULATION_OUTCOMES = ["funded", "included", "below_cut", "below_threshold", "excluded", "amount_to_fix"] as const;
export type SimulationOutcome = (typeof SIMULATION_OUTCOMES)[number];

export const SIMULATION_OUTCOME_LABELS: Record<SimulationOutcome, string> = {
  funded: "Financé",
  included: "Inclus par dérogation",
  below_cut: "Sous la ligne de coupure",
  below_threshold: "Sous le seuil",
  excluded: "Exclu par dérogation",
  amount_to_fix: "Montant à corriger",
};

export type Thresholds = CallRules["fundingThresholds"];

/**
 * « 49,99 » for 4 999 hundredths, as formatScore writes it, without building an Intl formatter
 * per call: the ranking formats thousands of these (scores are 0–100, no digit grouping).
 */
const points = (hundredths: number) => (hundredths / 100).toFixed(2).replace(".", ",");

/** Why a dossier cannot be funded given the call's minimum scores, or null. */
export function thresholdProblem(dossier: Pick<SimulationDossier, "consolidatedScore" | "arsScore" | "anctScore">, thresholds: Thresholds): string | null {
  const checks = [
    { score: dossier.consolidatedScore, minimum: thresholds.overall, label: "Note consolidée" },
    { score: dossier.arsScore, minimum: thresholds.ars, label: "Note ARS" },
    { score: dossier.anctScore, minimum: thresholds.anct, label: "Note ANCT" },
  ];
  for (const { score, minimum, label } of checks) {
    if (score === null) return `${label} manquante : le dossier n'est pas entièrement noté.`;
    // Scores are integer hundredths of a point; the minimum is typed in points.
    if (score < Math.round(minimum * 100)) return `${label} ${points(score)} sous le seuil de ${points(Math.round(minimum * 100))}.`;
  }
  return null;
}

/** The ranking with everything the simulator needs precomputed, position by position. */
export interface RankedWave {
  /** The dossiers in ranking order (position 0 is ranked first). */
  readonly dossiers: readonly SimulationDossier[];
  readonly positionById: ReadonlyMap<string, number>;
  /** Null when fundable; otherwise why not (a threshold). */
  readonly thresholdProblems: readonly (string | null)[];
  /** The amount proposed without override: recommended, else requested. */
  readonly defaultAwards: Float64Array;
  readonly defaultAwardProblems: readonly (string | null)[];
  readonly buses: Int32Array;
  /** Index into `regionCodes`, −1 when the dossier has no région. */
  readonly regionIndexes: Int32Array;
  readonly regionCodes: readonly string[];
  readonly rules: Pick<CallRules, "fundingThresholds" | "stateSharePercent">;
}

export function rankForSimulation(dossiers: readonly SimulationDossier[], rules: Pick<CallRules, "fundingThresholds" | "stateSharePercent">): RankedWave {
  const ranked = [...dossiers].sort(compareForRanking);
  const count = ranked.length;
  const positionById = new Map<string, number>();
  const thresholdProblems: (string | null)[] = new Array(count);
  const defaultAwards = new Float64Array(count);
  const defaultAwardProblems: (string | null)[] = new Array(count);
  const buses = new Int32Array(count);
  const regionIndexes = new Int32Array(count);
  const regionCodes: string[] = [];
  const regionIndexByCode = new Map<string, number>();
  for (let position = 0; position < count; position++) {
    const dossier = ranked[position];
    positionById.set(dossier.id, position);
    thresholdProblems[position] = thresholdProblem(dossier, rules.fundingThresholds);
    const award = dossier.recommendedCents ?? dossier.requestedCents;
    defaultAwards[position] = award;
    defaultAwardProblems[position] = awardProblem(dossier, award, rules.stateSharePercent);
    buses[position] = dossier.buses ?? 1;
    if (dossier.regionCode === null) regionIndexes[position] = -1;
    else {
      let index = regionIndexByCode.get(dossier.regionCode);
      if (index === undefined) {
        index = regionCodes.length;
        regionCodes.push(dossier.regionCode);
        regionIndexByCode.set(dossier.regionCode, index);
      }
      regionIndexes[position] = index;
    }
  }
  return { dossiers: ranked, positionById, thresholdProblems, defaultAwards, defaultAwardProblems, buses, regionIndexes, regionCodes, rules };
}

export interface SimulationRow {
  /** 1 for the dossier ranked first. */
  rank: number;
  id: string;
  reference: string;
  outcome: SimulationOutcome;
  /** The amount proposed (funded or not): the override's, else the default award. */
  awardedCents: number;
  /** Euros committed from the first row down to this one (included), for the running total. */
  cumulativeCents: number;
  override: OverrideMode | null;
  /** Why the dossier is not funded when it is not (threshold, amount, cut, inclusion that does not fit). */
  reason: string | null;
}

export interface SimulationResult {
  rows: SimulationRow[];
  totals: { funded: number; awardedCents: number; buses: number; populationCovered: number; regionsCovered: string[] };
  remainingCents: number;
  remainingBuses: number;
  /** The cut line: the last dossier funded in ranking order, the first one left below it (ranks). */
  cut: { lastFundedRank: number | null; firstBelowRank: number | null };
  /** Overrides that were not applied, and why (unknown dossier, no justification). */
  ignoredOverrides: Array<{ applicationId: string; reason: string }>;
}

const OUTCOME_CODES: Record<SimulationOutcome, number> = { funded: 1, included: 2, below_cut: 3, below_threshold: 4, excluded: 5, amount_to_fix: 6 };
const OUTCOME_BY_CODE = Object.fromEntries(Object.entries(OUTCOME_CODES).map(([outcome, code]) => [code, outcome])) as Record<number, SimulationOutcome>;

export function simulate(wave: RankedWave, input: { remainingCents: number; remainingBuses: number; overrides?: readonly SimulationOverride[] }): SimulationResult {
  const count = wave.dossiers.length;
  const outcomes = new Uint8Array(count);
  const awards = Float64Array.from(wave.defaultAwards);
  const reasons: (string | null)[] = new Array(count).fill(null);
  const amountProblems = wave.defaultAwardProblems.slice();
  const overrideModes: (OverrideMode | null)[] = new Array(count).fill(null);
  const ignoredOverrides: SimulationResult["ignoredOverrides"] = [];
  const included: number[] = [];

  for (const override of input.overrides ?? []) {
    const position = wave.positionById.get(override.applicationId);
    if (position === undefined) {
      ignoredOverrides.push({ applicationId: override.applicationId, reason: "Ce dossier n'est pas dans le classement de la vague." });
      continue;
    }
    if (!override.justification.trim()) {
      ignoredOverrides.push({ applicationId: override.applicationId, reason: "Une dérogation doit être justifiée par écrit." });
      continue;
    }
    overrideModes[position] = override.mode;
    if (override.mode === "exclude") {
      outcomes[position] = OUTCOME_CODES.excluded;
      reasons[position] = override.justification.trim();
      continue;
    }
    if (override.awardedCents !== null) {
      awards[position] = override.awardedCents;
      amountProblems[position] = awardProblem(wave.dossiers[position], override.awardedCents, wave.rules.stateSharePercent);
    }
    if (override.mode === "include") included.push(position);
  }

  let remainingCents = input.remainingCents;
  let remainingBuses = input.remainingBuses;
  const regionCounts = new Int32Array(wave.regionCodes.length);
  let funded = 0;
  let awardedCents = 0;
  let busesFunded = 0;
  let populationCovered = 0;
  const fund = (position: number, outcome: number) => {
    outcomes[position] = outcome;
    remainingCents -= awards[position];
    remainingBuses -= wave.buses[position];
    funded += 1;
    awardedCents += awards[position];
    busesFunded += wave.buses[position];
    populationCovered += wave.dossiers[position].populationCovered;
    if (wave.regionIndexes[position] >= 0) regionCounts[wave.regionIndexes[position]] += 1;
  };
  const fits = (position: number) => awards[position] <= remainingCents && wave.buses[position] <= remainingBuses;
  /** Marks a dossier that no budget could fund (threshold, amount); false when it is fundable. */
  const markUnfundable = (position: number, prefix: string) => {
    const threshold = wave.thresholdProblems[position];
    const problem = threshold ?? amountProblems[position];
    if (!problem) return false;
    outcomes[position] = threshold ? OUTCOME_CODES.below_threshold : OUTCOME_CODES.amount_to_fix;
    reasons[position] = `${prefix}${problem}`;
    return true;
  };

  // Inclusions first, in ranking order among themselves (a few overrides: sorting them is cheap).
  included.sort((a, b) => a - b);
  for (const position of included) {
    if (markUnfundable(position, "Inclusion impossible : ")) continue;
    if (fits(position)) fund(position, OUTCOME_CODES.included);
    else {
      outcomes[position] = OUTCOME_CODES.below_cut;
      reasons[position] = "Inclusion impossible : le reste à engager (euros ou médicobus) ne suffit pas.";
    }
  }

  let lastFundedRank: number | null = null;
  let firstBelowRank: number | null = null;
  for (let position = 0; position < count; position++) {
    if (outcomes[position] !== 0 || markUnfundable(position, "")) continue;
    if (firstBelowRank === null && fits(position)) {
      fund(position, OUTCOME_CODES.funded);
      lastFundedRank = position + 1;
    } else {
      firstBelowRank ??= position + 1;
      outcomes[position] = OUTCOME_CODES.below_cut;
    }
  }

  const rows: SimulationRow[] = new Array(count);
  let cumulativeCents = 0;
  for (let position = 0; position < count; position++) {
    const outcome = OUTCOME_BY_CODE[outcomes[position]];
    if (outcome === "funded" || outcome === "included") cumulativeCents += awards[position];
    rows[position] = {
      rank: position + 1,
      id: wave.dossiers[position].id,
      reference: wave.dossiers[position].reference,
      outcome,
      awardedCents: awards[position],
      cumulativeCents,
      override: overrideModes[position],
      reason: reasons[position],
    };
  }
  const regionsCovered: string[] = [];
  for (let index = 0; index < regionCounts.length; index++) if (regionCounts[index] > 0) regionsCovered.push(wave.regionCodes[index]);
  return {
    rows,
    totals: { funded, awardedCents, buses: busesFunded, populationCovered, regionsCovered: regionsCovered.sort() },
    remainingCents,
    remainingBuses,
    cut: { lastFundedRank, firstBelowRank },
    ignoredOverrides,
  };
}
