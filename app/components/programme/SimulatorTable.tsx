import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Form, Link } from "@remix-run/react";
import { Fragment, type ReactNode } from "react";
import type { OverrideMode } from "~db/schema";
import { SIMULATION_OUTCOME_LABELS, type SimulationDossier, type SimulationOutcome, type SimulationResult } from "~/modules/budget/simulation";
import { regionName } from "~/modules/geo/regions";
import { formatScore } from "~/modules/instruction/scoring";
import { formatEuros, formatInteger } from "~/utils/format";

export type RankedRow = SimulationDossier & { title: string; organisationName: string };

const OUTCOME_SEVERITY: Record<SimulationOutcome, "success" | "info" | "warning" | "error" | "new"> = {
  funded: "success",
  included: "success",
  below_cut: "info",
  below_threshold: "error",
  excluded: "warning",
  amount_to_fix: "warning",
};

const OVERRIDE_LABELS: Record<OverrideMode, string> = { include: "Inclusion", exclude: "Exclusion", amount: "Montant modifié" };

const share = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });
const COLUMNS = 6;

/**
 * The wave's dossiers in ranking order with the simulation's verdict on each. The cut line is a
 * row of its own, with words, between the last dossier funded in ranking order and the first
 * left below it. The dossier being adjusted gets its override form in a row right under it.
 */
export function SimulatorTable({
  caption,
  dossiers,
  simulation,
  overrides,
  editing,
  draftReference,
  adjustHref,
  renderForm,
}: {
  caption: string;
  dossiers: readonly RankedRow[];
  simulation: SimulationResult;
  overrides: ReadonlyMap<string, { mode: OverrideMode; justification: string; authorName: string }>;
  editing: string | null;
  draftReference: string | null;
  adjustHref: (reference: string) => string;
  renderForm: (dossier: RankedRow) => ReactNode;
}) {
  const { cut, totals } = simulation;
  const included = simulation.rows.filter((row) => row.outcome === "included").length;
  const cutBefore = cut.firstBelowRank;
  const cutAfter = cutBefore === null ? cut.lastFundedRank : null;
  const cutRow = (
    <tr className="mb-cut-line">
      <td colSpan={COLUMNS}>
        Ligne de coupure — au-dessus : {formatInteger(totals.funded)} dossier{totals.funded > 1 ? "s" : ""} financé{totals.funded > 1 ? "s" : ""} pour {formatEuros(totals.awardedCents)}
        {included > 0 ? ` (dont ${formatInteger(included)} inclus par dérogation, plus bas dans le classement)` : ""}
        {cutBefore === null ? " ; tous les dossiers finançables tiennent dans le reste à engager." : " ; au-dessous : dossiers qui ne tiennent plus dans le reste à engager (liste complémentaire)."}
      </td>
    </tr>
  );
  return (
    <div className="fr-table fr-table--no-scroll mb-simulator" id="classement">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Rang</th>
            <th scope="col">Dossier, région et population couverte</th>
            <th scope="col">Notes sur 100</th>
            <th scope="col">Montant proposé, demandé et part de l'État</th>
            <th scope="col">Simulation</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {simulation.rows.map((row, index) => {
            const dossier = dossiers[index];
            const override = overrides.get(dossier.id);
            const isEditing = editing === dossier.reference;
            const statePercent = dossier.totalCostCents > 0 ? (row.awardedCents / dossier.totalCostCents) * 100 : null;
            return (
              <Fragment key={dossier.id}>
                {cutBefore === row.rank ? cutRow : null}
                <tr className={isEditing ? "mb-editing" : undefined}>
                  <th scope="row">{row.rank}</th>
                  <td>
                    <Link to={`/instruction/dossiers/${dossier.reference}`}>{dossier.reference}</Link>
                    <br />
                    {dossier.organisationName}
                    <span className="fr-hint-text">
                      {dossier.regionCode ? regionName(dossier.regionCode) : "Région inconnue"} · {formatInteger(dossier.populationCovered)} habitants
                    </span>
                  </td>
                  <td>
                    <strong>{formatScore(dossier.consolidatedScore)}</strong>
                    <span className="fr-hint-text mb-nowrap">ARS {formatScore(dossier.arsScore)}</span>
                    <span className="fr-hint-text mb-nowrap">ANCT {formatScore(dossier.anctScore)}</span>
                    {dossier.scoreGapFlag ? (
                      <Badge severity="warning" small noIcon as="span">
                        Écart ARS / ANCT
                      </Badge>
                    ) : null}
                  </td>
                  <td>
                    <strong className="mb-nowrap">{formatEuros(row.awardedCents)}</strong>
                    <span className="fr-hint-text mb-nowrap">demandé : {formatEuros(dossier.requestedCents)}</span>
                    <span className="fr-hint-text mb-nowrap">{dossier.recommendedCents !== null ? `recommandé : ${formatEuros(dossier.recommendedCents)}` : "pas de recommandation"}</span>
                    <span className="fr-hint-text mb-nowrap">part de l'État : {statePercent === null ? "—" : `${share.format(statePercent)} %`}</span>
                  </td>
                  <td>
                    <Badge severity={OUTCOME_SEVERITY[row.outcome]} small noIcon as="span">
                      {SIMULATION_OUTCOME_LABELS[row.outcome]}
                    </Badge>
                    {row.outcome === "funded" || row.outcome === "included" ? <span className="fr-hint-text mb-nowrap">cumul : {formatEuros(row.cumulativeCents)}</span> : null}
                    {draftReference === dossier.reference ? <span className="fr-hint-text">Aperçu de la dérogation en cours de saisie</span> : null}
                    {override && draftReference !== dossier.reference ? (
                      <span className="fr-hint-text">
                        {OVERRIDE_LABELS[override.mode]} par {override.authorName} : « {override.justification} »
                      </span>
                    ) : null}
                    {row.reason && row.outcome !== "excluded" ? <span className="fr-hint-text">{row.reason}</span> : null}
                  </td>
                  <td>
                    {row.outcome === "below_threshold" ? (
                      <span className="fr-hint-text">Non finançable</span>
                    ) : (
                      <Link className="fr-link fr-text--sm" to={adjustHref(dossier.reference)} preventScrollReset aria-current={isEditing ? "true" : undefined}>
                        Ajuster<span className="fr-sr-only"> {dossier.reference}</span>
                      </Link>
                    )}
                    {override ? (
                      <Form method="post" preventScrollReset className="fr-mt-1v">
                        <input type="hidden" name="intent" value="revoke" />
                        <input type="hidden" name="reference" value={dossier.reference} />
                        <button type="submit" className="fr-link fr-text--sm">
                          Retirer la dérogation<span className="fr-sr-only"> de {dossier.reference}</span>
                        </button>
                      </Form>
                    ) : null}
                  </td>
                </tr>
                {isEditing ? (
                  <tr>
                    <td colSpan={COLUMNS}>{renderForm(dossier)}</td>
                  </tr>
                ) : null}
                {cutAfter === row.rank ? cutRow : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
