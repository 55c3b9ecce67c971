import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Link } from "@remix-run/react";
import type { ApplicationStatus, Rubric } from "~db/schema";
import { DossierStatusBadge } from "~/components/dossier/DossierStatusBadge";
import { regionName } from "~/modules/geo/regions";
import { RUBRIC_LABELS } from "~/modules/instruction/schema";
import { dossierTab } from "./DossierData";
import { formatScore } from "~/modules/instruction/scoring";

export interface ListRow {
  id: string;
  reference: string;
  title: string;
  status: ApplicationStatus;
  regionCode: string | null;
  departementCodes: string[];
  submittedAt: string | null;
  organisationName: string;
  waveTitle: string;
  consolidatedScore: number | null;
  arsScore: number | null;
  anctScore: number | null;
  scoreGapFlag: boolean;
  conflictDeclared: boolean;
  myRubrics: Rubric[];
}

const shortDate = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", day: "2-digit", month: "2-digit", year: "numeric" });

/** A score in a cell whose header says « sur 100 »; none yet reads as a dash, « pas de note » for screen readers. */
function score(hundredths: number | null) {
  return hundredths === null ? (
    <>
      <span aria-hidden="true">—</span>
      <span className="fr-sr-only">pas de note</span>
    </>
  ) : (
    formatScore(hundredths)
  );
}

/** Which column the list is sorted on, for aria-sort on its header. */
const SORTED_COLUMN: Record<string, string> = { reference: "reference", organisation: "organisation", submitted: "submitted", score: "consolidated" };

/**
 * The dossiers of one page of the list. Flags are badges with words; scores the agent may not
 * see (a declared conflict) come as null from the server: the cell says « Masquées ».
 */
export function ListTable({ rows, sort, direction, caption }: { rows: readonly ListRow[]; sort: string; direction: "asc" | "desc"; caption: string }) {
  const ariaSort = (column: string) => (SORTED_COLUMN[sort] === column ? (direction === "asc" ? "ascending" : "descending") : undefined);
  return (
    <div className="fr-table fr-table--sm fr-table--bordered">
      <div className="fr-table__wrapper">
        <div className="fr-table__container">
          <div className="fr-table__content">
            <table>
              <caption>{caption}</caption>
              <thead>
                <tr>
                  <th scope="col" aria-sort={ariaSort("reference")}>
                    Référence
                  </th>
                  <th scope="col" className="fr-col--md" aria-sort={ariaSort("organisation")}>
                    Porteur et projet
                  </th>
                  <th scope="col">Territoire</th>
                  <th scope="col">Statut</th>
                  <th scope="col" aria-sort={ariaSort("submitted")}>
                    Déposé le
                  </th>
                  <th scope="col" aria-sort={ariaSort("consolidated")}>
                    Notes sur 100
                  </th>
                  <th scope="col">Signalements</th>
                  <th scope="col">Confié à moi</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.id}>
                    <th scope="row">
                      <Link to={dossierTab(row.reference, "")}>{row.reference}</Link>
                    </th>
                    <td className="fr-col--md">
                      <strong>{row.organisationName}</strong>
                      <br />
                      {row.title || "Sans intitulé"}
                      <br />
                      <span className="fr-text--xs">{row.waveTitle}</span>
                    </td>
                    <td>
                      {row.regionCode ? regionName(row.regionCode) : "—"}
                      {row.departementCodes.length > 0 ? (
                        <>
                          <br />
                          <span className="fr-text--xs">
                            {row.departementCodes.length > 1 ? "Départements" : "Département"} {row.departementCodes.join(", ")}
                          </span>
                        </>
                      ) : null}
                    </td>
                    <td>
                      <DossierStatusBadge status={row.status} small as="span" />
                    </td>
                    <td>{row.submittedAt ? shortDate.format(new Date(row.submittedAt)) : "—"}</td>
                    <td>
                      {row.conflictDeclared ? (
                        "Masquées"
                      ) : (
                        <>
                          Consolidée : <strong>{score(row.consolidatedScore)}</strong>
                          <br />
                          <span className="fr-text--xs">
                            ARS : {score(row.arsScore)} · ANCT : {score(row.anctScore)}
                          </span>
                        </>
                      )}
                    </td>
                    <td>
                      {row.scoreGapFlag ? (
                        <Badge severity="warning" small as="span">
                          Écart de notation
                        </Badge>
                      ) : null}
                      {row.conflictDeclared ? (
                        <Badge severity="error" small as="span">
                          Conflit d'intérêts déclaré
                        </Badge>
                      ) : null}
                      {!row.scoreGapFlag && !row.conflictDeclared ? "—" : null}
                    </td>
                    <td>{row.myRubrics.length > 0 ? row.myRubrics.map((rubric) => RUBRIC_LABELS[rubric]).join(", ") : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </div>
    </div>
  );
}
