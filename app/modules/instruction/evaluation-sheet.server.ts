import { RUBRICS } from "~db/schema";
import type { SessionUser } from "~/modules/auth/roles";
import { STATUS_LABELS } from "~/modules/applications/lifecycle";
import { ORGANISATION_KIND_LABELS } from "~/modules/organisations/labels";
import { DomainError } from "~/utils/errors";
import type { EvaluationSheetData } from "~templates/evaluation-sheet";
import { getInstructionView } from "./queries.server";
import { AVIS_LABELS, RUBRIC_LABELS } from "./schema";

/**
 * The evaluation sheet of a dossier: identity, then per grid and per evaluator the submitted
 * marks with their justification, avis and amount, each grid's score and the consolidated one.
 * Built from the agent's instruction view, so it shows what that agent may see: 404 outside its
 * scope; a conflicted agent sees nobody's scores, hence no sheet (403). Drafts never appear.
 */
export async function evaluationSheetFor(agent: SessionUser, reference: string, now = new Date()): Promise<EvaluationSheetData> {
  const view = await getInstructionView(agent, reference, now);
  if (view.conflictDeclared || !view.scores) {
    throw new DomainError("conflict_of_interest", 403, "Vous avez déclaré un conflit d'intérêts sur ce dossier : la fiche d'évaluation, qui montre les notes de chacun, ne vous est pas accessible.");
  }
  const { dossier, organisation, territory, budget, rubrics, scores } = view;
  const totalWeight = rubrics.weights.ars + rubrics.weights.anct;
  const submitted = view.evaluations.filter((evaluation) => evaluation.status === "submitted");
  return {
    reference: dossier.reference,
    callTitle: view.call.title,
    waveTitle: view.wave.title,
    statusLabel: STATUS_LABELS[dossier.status],
    submittedAt: dossier.submittedAt,
    organisation: { name: organisation.name, kindLabel: ORGANISATION_KIND_LABELS[organisation.kind], siret: organisation.siret },
    projectTitle: dossier.title,
    regionName: territory.regionName ?? "",
    departements: territory.departements,
    totalCostCents: budget.figures.totalCostCents,
    requestedCents: budget.figures.requestedCents,
    generatedAt: now.toISOString(),
    generatedBy: agent.name,
    rubrics: RUBRICS.map((rubric) => ({
      label: RUBRIC_LABELS[rubric],
      weightPercent: totalWeight === 0 ? 0 : (rubrics.weights[rubric] * 100) / totalWeight,
      score: scores[rubric],
      criteria: rubrics.criteria[rubric],
      evaluations: submitted
        .filter((evaluation) => evaluation.rubric === rubric)
        .map((evaluation) => ({
          evaluatorName: evaluation.evaluatorName,
          submittedAt: evaluation.submittedAt,
          amendedAt: evaluation.amendedAt,
          avisLabel: evaluation.avis ? AVIS_LABELS[evaluation.avis] : null,
          recommendedCents: evaluation.recommendedCents,
          weightedScore: evaluation.weightedScore,
          marks: evaluation.scores,
          amendments: evaluation.amendments.length,
        })),
      pending: view.assignments.filter((assignment) => assignment.rubric === rubric && !assignment.submitted).map((assignment) => assignment.evaluatorName),
    })),
    consolidated: {
      score: scores.consolidated,
      gap: scores.ars !== null && scores.anct !== null ? Math.abs(scores.ars - scores.anct) : null,
      gapFlag: scores.gapFlag,
      threshold: rubrics.scoreGapThreshold,
    },
  };
}

/** The sheet as a PDF download, named after the dossier. */
export async function renderEvaluationSheetFor(agent: SessionUser, reference: string, now = new Date()) {
  const data = await evaluationSheetFor(agent, reference, now);
  // The PDF renderer is loaded on the first document, not with the server.
  const { renderEvaluationSheet } = await import("~templates/evaluation-sheet");
  return { fileName: `fiche-evaluation-${data.reference}.pdf`, pdf: await renderEvaluationSheet(data) };
}
