import { scoreBinLabel } from "~/modules/programme/dashboard";
import { formatInteger } from "~/utils/format";

const plural = (value: number) => `${formatInteger(value)} dossier${value > 1 ? "s" : ""}`;

/**
 * The distribution of consolidated scores in bins of 10 points: vertical bars drawn in HTML,
 * each with its count written above it and its bin under it. The figure is for the eye; the
 * table under it (« Voir les données ») carries the same counts for screen readers.
 */
export function ScoreChart({ counts, scope }: { counts: readonly number[]; scope: string }) {
  const total = counts.reduce((sum, count) => sum + count, 0);
  const max = Math.max(0, ...counts);
  return (
    <>
      {total === 0 ? (
        <p>Aucun dossier instruit {scope} pour l'instant : la distribution des notes apparaîtra avec les premières évaluations consolidées.</p>
      ) : (
        <figure className="fr-m-0 fr-mb-2w" aria-hidden="true">
          <figcaption className="fr-text--bold fr-mb-1w">
            Notes consolidées sur 100 des {plural(total)} instruits {scope}, par tranche de 10 points
          </figcaption>
          <div style={{ display: "grid", gridTemplateColumns: `repeat(${counts.length}, minmax(0, 1fr))`, columnGap: "0.25rem", alignItems: "end", height: "11rem", borderBottom: "1px solid var(--border-plain-grey)" }}>
            {counts.map((count, bin) => (
              <div key={bin} style={{ display: "flex", flexDirection: "column", justifyContent: "flex-end", alignItems: "stretch", height: "100%" }}>
                <span className="fr-text--xs fr-mb-0" style={{ textAlign: "center", fontWeight: 700 }}>
                  {formatInteger(count)}
                </span>
                <span style={{ height: `calc((100% - 1.5rem) * ${max > 0 ? count / max : 0})`, minHeight: count > 0 ? "2px" : 0, background: "var(--background-action-high-blue-france)" }} />
              </div>
            ))}
          </div>
          <div style={{ display: "grid", gridTemplateColumns: `repeat(${counts.length}, minmax(0, 1fr))`, columnGap: "0.25rem" }}>
            {counts.map((_, bin) => (
              <span key={bin} className="fr-text--xs fr-mb-0" style={{ textAlign: "center", lineHeight: 1.1, paddingTop: "0.25rem" }}>
                {bin * 10}–{bin * 10 + 10}
              </span>
            ))}
          </div>
        </figure>
      )}
      <details className="fr-mb-2w">
        <summary className="fr-link">Voir les données de la distribution</summary>
        <div className="fr-table fr-table--sm fr-table--bordered fr-mt-1w">
          <div className="fr-table__wrapper">
            <div className="fr-table__container">
              <div className="fr-table__content">
                <table>
                  <caption>Nombre de dossiers instruits {scope} par tranche de note consolidée (sur 100)</caption>
                  <thead>
                    <tr>
                      <th scope="col">Note consolidée</th>
                      <th scope="col">Dossiers</th>
                    </tr>
                  </thead>
                  <tbody>
                    {counts.map((count, bin) => (
                      <tr key={bin}>
                        <th scope="row">De {scoreBinLabel(bin)}</th>
                        <td>{formatInteger(count)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          </div>
        </div>
      </details>
    </>
  );
}
