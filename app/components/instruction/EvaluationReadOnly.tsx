import type { EvaluationAvis, EvaluationScores } from "~db/schema";
import type { Criterion } from "~/modules/calls/schema";
import { formatDateTime } from "~/modules/calls/time";
import { AVIS_LABELS } from "~/modules/instruction/schema";
import { formatScore, MAX_MARK } from "~/modules/instruction/scoring";
import { formatEuros } from "~/utils/format";
import { formatShare, weightShares } from "./EvaluationLiveScore";

export interface EvaluationRecord {
  scores: EvaluationScores;
  avis: EvaluationAvis | null;
  recommendedCents: number | null;
  weightedScore: number | null;
  submittedAt: string | null;
  amendedAt: string | null;
}

/** A past state of the evaluation, kept when it was amended, with who changed it and why. */
export interface EvaluationAmendmentRecord {
  at: string;
  reason: string;
  amendedByName: string | null;
  previous: { weightedScore: number | null; avis: EvaluationAvis | null; recommendedCents: number | null };
}

const orDash = (value: string | null) => value ?? "non renseigné";

/**
 * A submitted evaluation as it stands: the marks with the descriptor of each level, the
 * justifications, the avis, the amount and the weighted score; then the amendments, newest
 * first, each with its reason and what it replaced.
 */
export function EvaluationReadOnly({ criteria, evaluation, amendments }: { criteria: readonly Criterion[]; evaluation: EvaluationRecord; amendments: readonly EvaluationAmendmentRecord[] }) {
  const shares = weightShares(criteria);
  return (
    <>
      <ul className="fr-raw-list fr-grid-row fr-grid-row--gutters fr-mb-3w" aria-label="Résultat de l'évaluation">
        <li className="fr-col-12 fr-col-md-4">
          <p className="fr-mb-0 fr-text--sm">Note pondérée</p>
          <p className="fr-mb-0 fr-text--lead fr-text--bold">{evaluation.weightedScore === null ? "—" : `${formatScore(evaluation.weightedScore)}\u00a0/\u00a0100`}</p>
        </li>
        <li className="fr-col-12 fr-col-md-4">
          <p className="fr-mb-0 fr-text--sm">Avis</p>
          <p className="fr-mb-0 fr-text--lead fr-text--bold">{orDash(evaluation.avis && AVIS_LABELS[evaluation.avis])}</p>
        </li>
        <li className="fr-col-12 fr-col-md-4">
          <p className="fr-mb-0 fr-text--sm">Montant recommandé</p>
          <p className="fr-mb-0 fr-text--lead fr-text--bold">{orDash(evaluation.recommendedCents === null ? null : formatEuros(evaluation.recommendedCents))}</p>
        </li>
      </ul>
      {/* Multiline: justifications wrap in their cell instead of widening the table into a scrolling region. */}
      <div className="fr-table fr-table--multiline">
        <div className="fr-table__wrapper">
          <div className="fr-table__container">
            <div className="fr-table__content">
              <table>
                <caption>Notes par critère</caption>
                <thead>
                  <tr>
                    <th scope="col">Critère (poids)</th>
                    <th scope="col">Note</th>
                    <th scope="col">Justification</th>
                  </tr>
                </thead>
                <tbody>
                  {criteria.map((criterion) => {
                    const mark = evaluation.scores[criterion.code];
                    const score = mark?.score ?? null;
                    return (
                      <tr key={criterion.code}>
                        <th scope="row">
                          {criterion.label}
                          <br />
                          <span className="fr-text--xs">
                            poids {criterion.weight} ({formatShare(shares[criterion.code])})
                          </span>
                        </th>
                        <td>
                          {score === null ? (
                            "non noté"
                          ) : (
                            <>
                              <strong>
                                {score}&nbsp;sur&nbsp;{MAX_MARK}
                              </strong>
                              <br />
                              <span className="fr-text--xs">{criterion.descriptors[score]}</span>
                            </>
                          )}
                        </td>
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
      {amendments.length > 0 ? (
        <section aria-labelledby="amendements" className="fr-mb-4w">
          <h3 id="amendements" className="fr-h5">
            Amendements ({amendments.length})
          </h3>
          <ol className="fr-raw-list">
            {[...amendments].reverse().map((amendment, index) => (
              <li key={`${amendment.at}-${index}`} className="fr-p-2w fr-mb-2w" style={{ borderLeft: "3px solid var(--border-default-blue-france)" }}>
                <p className="fr-text--sm fr-mb-1w">
                  <strong>
                    Le <time dateTime={amendment.at}>{formatDateTime(new Date(amendment.at))}</time>
                  </strong>
                  {amendment.amendedByName ? ` par ${amendment.amendedByName}` : ""}
                </p>
                <p className="fr-mb-1w" style={{ whiteSpace: "pre-wrap" }}>
                  Motif : {amendment.reason}
                </p>
                <p className="fr-text--sm fr-mb-0">
                  Avant : note {amendment.previous.weightedScore === null ? "—" : `${formatScore(amendment.previous.weightedScore)}\u00a0/\u00a0100`}, avis{" "}
                  {orDash(amendment.previous.avis && AVIS_LABELS[amendment.previous.avis]).toLowerCase()}, montant recommandé{" "}
                  {orDash(amendment.previous.recommendedCents === null ? null : formatEuros(amendment.previous.recommendedCents))}.
                </p>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </>
  );
}
