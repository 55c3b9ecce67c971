import type { Rubric } from "~db/schema";
import type { CallRules, Criterion } from "~/modules/calls/schema";

/**
 * Scores of the instruction, all out of 100 and all kept as integer hundredths of a point
 * (7 333 means 73,33 / 100), so that storage, sorting and comparisons are exact.
 *
 * Rounding: every figure is computed from the figures shown one level below it, and rounded
 * once, half up, to the hundredth: an evaluation's score from its marks; a rubric's score from
 * its evaluations' scores; the consolidated score from the two rubric scores. Anyone can redo
 * the sums by hand from what the pages show. Integer arithmetic throughout (weights are
 * integers): no floating-point drift, no banker's rounding.
 */

export const MAX_MARK = 5;
/** 100 points × 100 hundredths. */
const FULL_SCORE = 100 * 100;

/** a / b rounded half up, for integers a ≥ 0 and b > 0. */
function divideRoundHalfUp(numerator: number, denominator: number) {
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

function assertWeights(weights: readonly number[]) {
  if (weights.length === 0 || weights.some((weight) => !Number.isInteger(weight) || weight < 0) || weights.every((weight) => weight === 0)) {
    throw new RangeError("Weights must be non-negative integers, at least one of them positive");
  }
}

/**
 * The score of one evaluation: Σ weight × mark / (5 × Σ weight) × 100, in hundredths. Every
 * criterion must carry an integer mark from 0 to 5 (the service validates before calling).
 */
export function evaluationScore(criteria: readonly Pick<Criterion, "code" | "weight">[], marks: Readonly<Record<string, number>>): number {
  assertWeights(criteria.map((criterion) => criterion.weight));
  let weighted = 0;
  let totalWeight = 0;
  for (const criterion of criteria) {
    const mark = marks[criterion.code];
    if (!Number.isInteger(mark) || mark < 0 || mark > MAX_MARK) throw new RangeError(`Mark of ${criterion.code} must be an integer from 0 to ${MAX_MARK}`);
    weighted += criterion.weight * mark;
    totalWeight += criterion.weight;
  }
  return divideRoundHalfUp(weighted * FULL_SCORE, MAX_MARK * totalWeight);
}

/**
 * A rubric's score when several evaluators scored it with the same grid: the plain mean of
 * their scores (each evaluator counts the same; the call's weights are per criterion, not per
 * person), rounded half up. Null when nobody has submitted yet.
 */
export function rubricScore(scores: readonly number[]): number | null {
  if (scores.length === 0) return null;
  return divideRoundHalfUp(scores.reduce((total, score) => total + score, 0), scores.length);
}

/** The consolidated score: the two rubric scores weighted by the call's rubric weights. */
export function consolidatedScore(scores: Record<Rubric, number>, weights: CallRules["rubricWeights"]): number {
  assertWeights([weights.ars, weights.anct]);
  return divideRoundHalfUp(scores.ars * weights.ars + scores.anct * weights.anct, weights.ars + weights.anct);
}

/**
 * Whether the ARS and ANCT scores diverge enough for the committee to look at it: a gap
 * strictly greater than the call's threshold (in points). Exactly at the threshold: not flagged.
 */
export function scoreGapFlag(scores: Record<Rubric, number>, thresholdPoints: number): boolean {
  return Math.abs(scores.ars - scores.anct) > thresholdPoints * 100;
}

/** Everything the consolidation stores on the dossier. */
export function consolidate(evaluationScores: Record<Rubric, readonly number[]>, rules: Pick<CallRules, "rubricWeights" | "scoreGapThreshold">) {
  const ars = rubricScore(evaluationScores.ars);
  const anct = rubricScore(evaluationScores.anct);
  if (ars === null || anct === null) return null;
  const scores = { ars, anct };
  return { arsScore: ars, anctScore: anct, consolidatedScore: consolidatedScore(scores, rules.rubricWeights), scoreGapFlag: scoreGapFlag(scores, rules.scoreGapThreshold) };
}

export interface RankedDossier {
  reference: string;
  consolidatedScore: number | null;
  arsScore: number | null;
  populationCovered: number;
  submittedAt: Date | null;
}

/** Higher first, unknown last. */
function byScoreDescending(a: number | null, b: number | null) {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return b - a;
}

/** Earlier first, unknown last. */
function byTimeAscending(a: Date | null, b: Date | null) {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return a.getTime() - b.getTime();
}

/**
 * The committee's ranking order, total and deterministic. Ties on the consolidated score are
 * broken by, in turn: the ARS score (the regional assessment of the project's need and
 * quality weighs more in the call), the population covered (more patients reached), the
 * submission time (first come, first ranked) and finally the reference (unique), so two
 * dossiers never compare equal. Dossiers not scored yet come last.
 * listDossiersForAgent sorts « by score » in SQL with the same keys.
 */
export function compareForRanking(a: RankedDossier, b: RankedDossier): number {
  return (
    byScoreDescending(a.consolidatedScore, b.consolidatedScore) ||
    byScoreDescending(a.arsScore, b.arsScore) ||
    b.populationCovered - a.populationCovered ||
    byTimeAscending(a.submittedAt, b.submittedAt) ||
    (a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0)
  );
}

const scores = new Intl.NumberFormat("fr-FR", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** « 73,33 » for 7 333 hundredths. */
export function formatScore(hundredths: number | null): string {
  if (hundredths === null) return "—";
  return scores.format(hundredths / 100);
}
