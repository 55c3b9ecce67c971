import { CallRulesSchema } from "~/modules/calls/schema";
import { evaluationScore } from "~/modules/instruction/scoring";
import type { EvaluationSheetData, EvaluationSheetEvaluation, EvaluationSheetRubric } from "./evaluation-sheet";

const rules = CallRulesSchema.parse({});

function evaluation(rubric: "ars" | "anct", evaluatorName: string, marks: number[], extra: Partial<EvaluationSheetEvaluation> = {}): EvaluationSheetEvaluation {
  const criteria = rules.rubrics[rubric];
  return {
    evaluatorName,
    submittedAt: "2024-04-10T08:30:00.000Z",
    amendedAt: null,
    avisLabel: "Favorable",
    recommendedCents: 70_000_00,
    weightedScore: evaluationScore(criteria, Object.fromEntries(criteria.map((criterion, index) => [criterion.code, marks[index]]))),
    marks: Object.fromEntries(criteria.map((criterion, index) => [criterion.code, { score: marks[index], justification: `${criterion.label} : appréciation argumentée au vu des pièces du dossier et du territoire desservi.` }])),
    amendments: 0,
    ...extra,
  };
}

/**
 * A realistic sheet (the Orne Est reference project, both grids scored by the demo call's
 * rubrics), for the tests and for anyone who wants to look at the layout.
 */
export function sampleEvaluationSheet(overrides: Partial<EvaluationSheetData> = {}): EvaluationSheetData {
  const ars: EvaluationSheetRubric = {
    label: "Grille ARS",
    weightPercent: 60,
    score: 6800,
    criteria: rules.rubrics.ars,
    evaluations: [evaluation("ars", "Dominique Instructeur", [5, 4, 3, 2, 1])],
    pending: [],
  };
  const anct: EvaluationSheetRubric = {
    label: "Grille ANCT",
    weightPercent: 40,
    score: 8000,
    criteria: rules.rubrics.anct,
    evaluations: [evaluation("anct", "Claude Évaluateur", [4, 4, 4, 4], { avisLabel: "Réservé", recommendedCents: 60_000_00, amendedAt: "2024-04-12T14:05:00.000Z", amendments: 1 })],
    pending: [],
  };
  return {
    reference: "MB-2024-NOR-00042",
    callTitle: "Appel à projets « 100 médicobus »",
    waveTitle: "Vague 1 — premier trimestre 2024",
    statusLabel: "Instruit",
    submittedAt: "2024-03-15T10:42:17.000Z",
    organisation: { name: "Communauté de communes des Vallées d’Auge et du Merlerault", kindLabel: "EPCI (intercommunalité)", siret: "20006999900017" },
    projectTitle: "Médicobus des Vallées d’Auge",
    regionName: "Normandie",
    departements: ["Orne (61)", "Calvados (14)"],
    totalCostCents: 200_000_00,
    requestedCents: 80_000_00,
    generatedAt: "2024-04-15T09:00:00.000Z",
    generatedBy: "Alex Programme",
    rubrics: [ars, anct],
    consolidated: { score: 7280, gap: 1200, gapFlag: false, threshold: 20 },
    ...overrides,
  };
}
