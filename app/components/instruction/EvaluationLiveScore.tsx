import type { Criterion } from "~/modules/calls/schema";
import { evaluationScore, formatScore, MAX_MARK } from "~/modules/instruction/scoring";

export type Marks = Record<string, number | null>;

/**
 * The weighted score out of 100 from the marks chosen so far, with the call's formula
 * (scoring.ts: the one the service stores). While some criteria are not marked, they count 0:
 * the figure is then what is already earned, and says so.
 */
export function liveScore(criteria: readonly Pick<Criterion, "code" | "weight">[], marks: Marks) {
  const marked = criteria.filter((criterion) => marks[criterion.code] !== null && marks[criterion.code] !== undefined).length;
  const score = evaluationScore(criteria, Object.fromEntries(criteria.map((criterion) => [criterion.code, marks[criterion.code] ?? 0])));
  return { score, marked, complete: marked === criteria.length };
}

/** Each criterion's share of the score, in percent: the weights are relative (30-25-15… or 3-2-1). */
export function weightShares(criteria: readonly Pick<Criterion, "code" | "weight">[]) {
  const total = criteria.reduce((sum, criterion) => sum + criterion.weight, 0);
  return Object.fromEntries(criteria.map((criterion) => [criterion.code, (criterion.weight * 100) / total]));
}

const percent = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });
export const formatShare = (share: number) => `${percent.format(share)}\u00a0%`;

/**
 * The score panel beside the form. It is a polite live region: a screen reader hears the new
 * score after each mark chosen, without losing its place in the form.
 */
export function EvaluationLiveScore({ criteria, marks }: { criteria: readonly Pick<Criterion, "code" | "label" | "weight">[]; marks: Marks }) {
  const { score, marked, complete } = liveScore(criteria, marks);
  const shares = weightShares(criteria);
  return (
    <div className="fr-p-3w mb-evaluation-score" style={{ background: "var(--background-alt-blue-france)" }}>
      <p className="fr-text--sm fr-mb-1v" id="note-ponderee-titre">
        {complete ? "Note pondérée" : "Note pondérée provisoire"}
      </p>
      <div role="status" aria-live="polite" aria-atomic="true" aria-labelledby="note-ponderee-titre">
        <p className="fr-h3 fr-mb-1v">
          {formatScore(score)}&nbsp;/&nbsp;100
        </p>
        <p className="fr-text--sm fr-mb-2w">
          {complete
            ? `Les ${criteria.length} critères sont notés.`
            : `${marked} critère${marked > 1 ? "s" : ""} noté${marked > 1 ? "s" : ""} sur ${criteria.length} : ceux qui ne le sont pas comptent 0.`}
        </p>
      </div>
      <table className="fr-text--xs mb-evaluation-score__table">
        <caption className="fr-sr-only">Notes par critère et poids dans la note</caption>
        <thead className="fr-sr-only">
          <tr>
            <th scope="col">Critère</th>
            <th scope="col">Note</th>
            <th scope="col">Poids</th>
          </tr>
        </thead>
        <tbody>
          {criteria.map((criterion) => (
            <tr key={criterion.code}>
              <th scope="row" style={{ fontWeight: "normal", textAlign: "left", paddingRight: "0.5rem" }}>
                {criterion.label}
              </th>
              <td style={{ whiteSpace: "nowrap", paddingRight: "0.5rem" }}>
                {marks[criterion.code] ?? "—"}&nbsp;/&nbsp;{MAX_MARK}
              </td>
              <td style={{ whiteSpace: "nowrap" }}>{formatShare(shares[criterion.code])}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
