import { Link } from "@remix-run/react";
import { useEffect, useRef } from "react";
import type { Rubric } from "~db/schema";
import { formatInteger } from "~/utils/format";
import { dossierTab } from "./DossierData";
import { rubricName } from "./DossierEvaluations";

export interface AutoAssignReportView {
  rubric: Rubric;
  waveLabel: string | null;
  byEvaluator: Array<{ evaluatorId: string; evaluatorName: string; references: string[] }>;
  unassigned: Array<{ reference: string; message: string }>;
  assignedCount: number;
}

const dossiers = (count: number) => `${formatInteger(count)} dossier${count > 1 ? "s" : ""}`;

/**
 * What an « assign automatically » run did: how many dossiers went to whom, and those nobody
 * could take, with the reason. Focused when it appears, so it is read first.
 */
export function AssignReport({ report }: { report: AutoAssignReportView }) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => ref.current?.focus(), [report]);
  const nothing = report.assignedCount === 0 && report.unassigned.length === 0;
  return (
    <section ref={ref} tabIndex={-1} className="fr-mb-5w" aria-labelledby="rapport-titre">
      <div className={`fr-alert ${report.unassigned.length > 0 ? "fr-alert--warning" : "fr-alert--success"} fr-mb-3w`}>
        <h2 id="rapport-titre" className="fr-alert__title">
          {nothing
            ? `Aucun dossier n'attendait d'évaluateur pour la ${rubricName(report.rubric)}`
            : `${dossiers(report.assignedCount)} confié${report.assignedCount > 1 ? "s" : ""} — ${rubricName(report.rubric)}`}
        </h2>
        <p>
          {report.waveLabel ? `${report.waveLabel}. ` : "Toutes les vagues. "}
          {report.unassigned.length > 0 ? `${dossiers(report.unassigned.length)} sans évaluateur possible : voir la liste ci-dessous.` : nothing ? "Tous les dossiers déposés ou en instruction de votre périmètre ont déjà un évaluateur pour cette grille." : "Chaque dossier en attente a reçu un évaluateur."}
        </p>
      </div>
      {report.byEvaluator.length > 0 ? (
        <div className="fr-table fr-table--sm fr-table--multiline">
          <div className="fr-table__wrapper">
            <div className="fr-table__container">
              <div className="fr-table__content">
                <table>
                  <caption>Dossiers confiés par évaluateur</caption>
                  <thead>
                    <tr>
                      <th scope="col">Évaluateur</th>
                      <th scope="col">Dossiers confiés</th>
                      <th scope="col">Références</th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.byEvaluator.map((row) => (
                      <tr key={row.evaluatorId}>
                        <th scope="row">{row.evaluatorName}</th>
                        <td>{formatInteger(row.references.length)}</td>
                        <td>{row.references.join(", ")}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          </div>
        </div>
      ) : null}
      {report.unassigned.length > 0 ? (
        <>
          <h3>Dossiers sans évaluateur</h3>
          <ul>
            {report.unassigned.map((row) => (
              <li key={row.reference}>
                <Link to={dossierTab(row.reference, "evaluations")}>{row.reference}</Link> — {row.message}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
