import { Badge } from "@codegouvfr/react-dsfr/Badge";
import type { ReactNode } from "react";
import type { EvaluationAvis, EvaluationScores, Rubric } from "~db/schema";
import { formatDateTime } from "~/modules/calls/time";
import { AVIS_LABELS, RUBRIC_LABELS } from "~/modules/instruction/schema";
import { formatEuros } from "~/utils/format";
import { ScoreText } from "./DossierScores";

export interface RubricAssignment {
  rubric: Rubric;
  evaluatorId: string;
  evaluatorName: string;
  assignedAt: string;
  dueAt: string;
  overdue: boolean;
  submitted: boolean;
}

export interface VisibleEvaluation {
  id: string;
  rubric: Rubric;
  evaluatorId: string;
  evaluatorName: string;
  scores: EvaluationScores;
  avis: EvaluationAvis | null;
  recommendedCents: number | null;
  status: "draft" | "submitted";
  weightedScore: number | null;
  submittedAt: string | null;
  amendedAt: string | null;
  mine: boolean;
}

export interface RubricCriterion {
  code: string;
  label: string;
  weight: number;
}

/** « grille ARS », for the middle of a sentence. */
export function rubricName(rubric: Rubric) {
  return RUBRIC_LABELS[rubric].replace(/^Grille/, "grille");
}

/** Where the evaluation form of a rubric is (app/routes/instruction.dossiers.$reference.evaluations.$rubric.tsx). */
export const evaluationFormHref = (reference: string, rubric: Rubric) => `/instruction/dossiers/${encodeURIComponent(reference)}/evaluations/${rubric}`;

function AssignmentState({ assignment, evaluation }: { assignment: RubricAssignment; evaluation: VisibleEvaluation | undefined }) {
  if (assignment.submitted) {
    const at = evaluation?.submittedAt;
    return (
      <Badge severity="success" small as="span">
        {at ? `Soumise le ${formatDateTime(new Date(at))}` : "Soumise"}
      </Badge>
    );
  }
  if (assignment.overdue) {
    return (
      <Badge severity="error" small as="span">
        En retard
      </Badge>
    );
  }
  return (
    <Badge severity="info" small as="span" noIcon>
      {evaluation?.mine && evaluation.status === "draft" ? "Brouillon en cours" : "À faire"}
    </Badge>
  );
}

/** One submitted (or own draft) evaluation: its marks per criterion with their justification. */
function EvaluationDetail({ evaluation, criteria }: { evaluation: VisibleEvaluation; criteria: readonly RubricCriterion[] }) {
  const id = `evaluation-${evaluation.id}`;
  return (
    <section aria-labelledby={id} className="fr-mb-4w">
      <h4 id={id} className="fr-h6 fr-mb-1w">
        {evaluation.status === "submitted" ? "Évaluation" : "Brouillon d'évaluation"} de {evaluation.evaluatorName}
        {evaluation.mine ? " (vous)" : ""}
      </h4>
      <p className="fr-text--sm fr-mb-1w">
        Note : <strong>{evaluation.weightedScore === null ? "non calculée (brouillon)" : <ScoreText hundredths={evaluation.weightedScore} />}</strong>
        {" · "}Avis : <strong>{evaluation.avis ? AVIS_LABELS[evaluation.avis] : "non renseigné"}</strong>
        {" · "}Montant recommandé : <strong>{evaluation.recommendedCents === null ? "non renseigné" : formatEuros(evaluation.recommendedCents)}</strong>
        {evaluation.amendedAt ? ` · Modifiée le ${formatDateTime(new Date(evaluation.amendedAt))} (motif dans l'historique)` : ""}
      </p>
      <div className="fr-table fr-table--sm fr-table--multiline">
        <div className="fr-table__wrapper">
          <div className="fr-table__container">
            <div className="fr-table__content">
              <table>
                <caption className="fr-sr-only">Notes par critère de l'évaluation de {evaluation.evaluatorName}</caption>
                <thead>
                  <tr>
                    <th scope="col">Critère (poids)</th>
                    <th scope="col">Note sur 5</th>
                    <th scope="col">Justification</th>
                  </tr>
                </thead>
                <tbody>
                  {criteria.map((criterion) => {
                    const mark = evaluation.scores[criterion.code];
                    return (
                      <tr key={criterion.code}>
                        <th scope="row">
                          {criterion.label} ({criterion.weight})
                        </th>
                        <td>{mark?.score ?? "—"}</td>
                        <td style={{ whiteSpace: "pre-wrap" }}>{mark?.justification || "—"}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </div>
        </div>
      </div>
    </section>
  );
}

/**
 * One rubric of the dossier: its weight, its score, who evaluates it and where they stand, the
 * evaluations this agent may read (the server already removed the others), and the actions
 * the page passes in (assign form, remove buttons, links to the evaluation form).
 */
export function DossierRubricPanel({
  rubric,
  weightPercent,
  score,
  criteria,
  assignments,
  evaluations,
  agentId,
  evaluationLink,
  unassignButton,
  assignForm,
}: {
  rubric: Rubric;
  weightPercent: number;
  score: number | null | undefined;
  criteria: readonly RubricCriterion[];
  assignments: readonly RubricAssignment[];
  evaluations: readonly VisibleEvaluation[];
  agentId: string;
  evaluationLink: ReactNode;
  unassignButton: (assignment: RubricAssignment) => ReactNode;
  assignForm: ReactNode;
}) {
  const id = `grille-${rubric}`;
  const byEvaluator = new Map(evaluations.map((evaluation) => [evaluation.evaluatorId, evaluation]));
  return (
    <section aria-labelledby={id} className="fr-mb-6w">
      <h3 id={id}>{RUBRIC_LABELS[rubric]}</h3>
      <p>
        {new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 }).format(weightPercent)} % de la note consolidée
        {score !== undefined ? (
          <>
            {" · "}Note de la grille : {score === null ? "calculée quand les deux grilles sont entièrement notées" : <strong><ScoreText hundredths={score} /></strong>}
          </>
        ) : null}
        {" · "}
        {criteria.length} critères : {criteria.map((criterion) => `${criterion.label} (${criterion.weight})`).join(", ")}.
      </p>
      {evaluationLink}
      {assignments.length === 0 ? (
        <p>Aucun évaluateur n'est encore désigné pour cette grille.</p>
      ) : (
        <div className="fr-table">
          <div className="fr-table__wrapper">
            <div className="fr-table__container">
              <div className="fr-table__content">
                <table>
                  <caption>Évaluateurs de la {rubricName(rubric)}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Évaluateur</th>
                      <th scope="col">Échéance</th>
                      <th scope="col">État</th>
                      <th scope="col">Note</th>
                      <th scope="col">Avis</th>
                      <th scope="col">Action</th>
                    </tr>
                  </thead>
                  <tbody>
                    {assignments.map((assignment) => {
                      const evaluation = byEvaluator.get(assignment.evaluatorId);
                      const readable = evaluation && evaluation.status === "submitted" ? evaluation : undefined;
                      return (
                        <tr key={assignment.evaluatorId}>
                          <td>
                            {assignment.evaluatorName}
                            {assignment.evaluatorId === agentId ? " (vous)" : ""}
                          </td>
                          <td>{formatDateTime(new Date(assignment.dueAt))}</td>
                          <td>
                            <AssignmentState assignment={assignment} evaluation={evaluation} />
                          </td>
                          <td>{readable ? <ScoreText hundredths={readable.weightedScore} /> : assignment.submitted ? "Non visible" : "—"}</td>
                          <td>{readable?.avis ? AVIS_LABELS[readable.avis] : "—"}</td>
                          <td>{assignment.submitted ? "—" : unassignButton(assignment)}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            </div>
          </div>
        </div>
      )}
      {evaluations.map((evaluation) => (
        <EvaluationDetail key={evaluation.id} evaluation={evaluation} criteria={criteria} />
      ))}
      {assignForm}
    </section>
  );
}
