import type { CSSProperties } from "react";
import type { RegionRow } from "~/modules/programme/dashboard";
import { formatEuros, formatInteger } from "~/utils/format";

/**
 * Horizontal bar charts drawn in HTML on the server (no chart library, nothing to load). Each
 * bar has its value written right after it, with its word (« 12 déposés »), and each series its
 * own texture: the colours only help. The charts are images for the eye; screen readers get the
 * same figures in the table under them (« Voir les données »), so the bars are hidden from them.
 */

export interface BarSeries {
  key: string;
  label: string;
  style: CSSProperties;
  /** The value as written next to its bar. */
  describe: (value: number) => string;
}

const SERIES_STYLES = {
  light: { background: "var(--background-action-low-blue-france)", border: "1px solid var(--border-action-high-blue-france)" },
  hatched: { background: "repeating-linear-gradient(135deg, var(--background-action-high-blue-france) 0 3px, var(--background-action-low-blue-france) 3px 8px)" },
  solid: { background: "var(--background-action-high-blue-france)" },
} as const satisfies Record<string, CSSProperties>;

export function BarChart({ title, series, rows, sharedScale }: { title: string; series: readonly BarSeries[]; rows: ReadonlyArray<{ label: string; values: readonly number[] }>; sharedScale: boolean }) {
  const seriesMax = series.map((_, index) => Math.max(0, ...rows.map((row) => row.values[index])));
  const overallMax = Math.max(0, ...seriesMax);
  return (
    <figure className="fr-m-0 fr-mb-3w" aria-hidden="true">
      <figcaption className="fr-text--bold fr-mb-1w">{title}</figcaption>
      {series.length > 1 ? (
        <p className="fr-text--sm fr-mb-1w" style={{ display: "flex", flexWrap: "wrap", columnGap: "1.25rem" }}>
          {series.map((item) => (
            <span key={item.key}>
              <span style={{ ...item.style, display: "inline-block", width: "1rem", height: "0.75rem", marginRight: "0.35rem" }} />
              {item.label}
            </span>
          ))}
        </p>
      ) : null}
      {rows.map((row) => (
        <div key={row.label} className="fr-grid-row fr-mb-1w" style={{ alignItems: "center" }}>
          <span className="fr-col-12 fr-col-sm-4 fr-text--sm fr-mb-0 fr-pr-1w" style={{ lineHeight: 1.2 }}>
            {row.label}
          </span>
          <div className="fr-col-12 fr-col-sm-8" style={{ display: "grid", rowGap: "2px" }}>
            {series.map((item, index) => {
              const max = sharedScale ? overallMax : seriesMax[index];
              const value = row.values[index];
              return (
                <div key={item.key} style={{ display: "flex", alignItems: "center", gap: "0.4rem", minWidth: 0 }}>
                  {value > 0 ? <span style={{ ...item.style, height: "0.85rem", width: `calc((100% - 8rem) * ${max > 0 ? value / max : 0})`, minWidth: "2px", flex: "none" }} /> : null}
                  <span className="fr-text--xs fr-mb-0" style={{ whiteSpace: "nowrap", lineHeight: 1.1 }}>
                    {item.describe(value)}
                  </span>
                </div>
              );
            })}
          </div>
        </div>
      ))}
    </figure>
  );
}

const plural = (value: number, one: string, many: string) => `${formatInteger(value)} ${value > 1 ? many : one}`;

const DOSSIER_SERIES: BarSeries[] = [
  { key: "filed", label: "Déposés", style: SERIES_STYLES.light, describe: (value) => plural(value, "déposé", "déposés") },
  { key: "reviewed", label: "Instruits", style: SERIES_STYLES.hatched, describe: (value) => plural(value, "instruit", "instruits") },
  { key: "selected", label: "Retenus", style: SERIES_STYLES.solid, describe: (value) => plural(value, "retenu", "retenus") },
];

const MONEY_SERIES: BarSeries[] = [
  { key: "committed", label: "Montant engagé", style: SERIES_STYLES.solid, describe: (value) => `${formatEuros(value)} engagés` },
  { key: "buses", label: "Médicobus financés", style: SERIES_STYLES.hatched, describe: (value) => plural(value, "médicobus", "médicobus") },
];

/**
 * The per-région view: dossiers filed, reviewed and selected on one scale; euros committed and
 * buses funded (from the ledger) each on its own scale. Charts show the régions with something
 * to show; the table lists all of them.
 */
export function RegionCharts({ regions }: { regions: readonly RegionRow[] }) {
  const active = regions.filter((row) => row.filed > 0 || row.committedCents > 0 || row.busesCommitted > 0);
  const funded = regions.filter((row) => row.committedCents > 0 || row.busesCommitted > 0);
  return (
    <>
      {active.length === 0 ? (
        <p>Aucun dossier déposé pour l'instant : les graphiques par région apparaîtront avec les premiers dépôts.</p>
      ) : (
        <>
          <BarChart title="Dossiers par région : déposés, instruits, retenus" series={DOSSIER_SERIES} rows={active.map((row) => ({ label: row.regionName, values: [row.filed, row.reviewed, row.selected] }))} sharedScale />
          {funded.length === 0 ? (
            <p className="fr-text--sm">Aucun engagement pour l'instant : les montants engagés et les médicobus financés par région apparaîtront avec les premières décisions.</p>
          ) : (
            <BarChart title="Engagements par région : montant engagé et médicobus financés (chaque mesure à sa propre échelle)" series={MONEY_SERIES} rows={funded.map((row) => ({ label: row.regionName, values: [row.committedCents, row.busesCommitted] }))} sharedScale={false} />
          )}
        </>
      )}
      <details className="fr-mb-2w">
        <summary className="fr-link">Voir les données par région</summary>
        <div className="fr-table fr-table--sm fr-table--bordered fr-mt-1w">
          <div className="fr-table__wrapper">
            <div className="fr-table__container">
              <div className="fr-table__content">
                <table>
                  <caption>Dossiers, montants engagés et versés, médicobus financés, par région</caption>
                  <thead>
                    <tr>
                      <th scope="col">Région</th>
                      <th scope="col">Dossiers déposés</th>
                      <th scope="col">Dossiers instruits</th>
                      <th scope="col">Dossiers retenus</th>
                      <th scope="col">Montant engagé</th>
                      <th scope="col">Montant versé</th>
                      <th scope="col">Médicobus financés</th>
                    </tr>
                  </thead>
                  <tbody>
                    {regions.map((row) => (
                      <tr key={row.regionCode}>
                        <th scope="row">{row.regionName}</th>
                        <td>{formatInteger(row.filed)}</td>
                        <td>{formatInteger(row.reviewed)}</td>
                        <td>{formatInteger(row.selected)}</td>
                        <td>{formatEuros(row.committedCents)}</td>
                        <td>{formatEuros(row.paidCents)}</td>
                        <td>{formatInteger(row.busesCommitted)}</td>
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
