import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Link } from "@remix-run/react";
import { WAVE_STATE_LABELS, type WaveState } from "~/modules/calls/rules";
import { formatEuros, formatInteger } from "~/utils/format";

export interface WaveRow {
  number: number;
  title: string;
  state: WaveState;
  opensOn: string;
  closesOn: string;
  closingTime: string;
  budgetCents: number;
  busTarget: number;
  balance: { availableCents: number; committedCents: number; paidCents: number; remainingCents: number; busesAvailable: number; busesCommitted: number; busesRemaining: number; carriedInCents: number; carriedOutCents: number };
}

const dates = new Intl.DateTimeFormat("fr-FR", { timeZone: "UTC", dateStyle: "short" });
/** « 25/07/2026 » for a wall-clock date (YYYY-MM-DD): read at UTC midnight so no zone shifts the day. */
const shortDate = (date: string) => dates.format(new Date(`${date}T00:00:00Z`));

const STATE_SEVERITY: Record<WaveState, "info" | "success" | "new"> = { upcoming: "info", open: "success", closed: "new" };

/**
 * The call's waves with their money as the ledger sees it. The state is a badge with its word
 * (never its colour alone); « reste » is what may still be committed, carry-overs included.
 */
export function WaveTable({ waves }: { waves: readonly WaveRow[] }) {
  return (
    <div className="fr-table fr-table--no-scroll fr-mb-3w mb-simulator">
      <table>
        <caption>Vagues de l'appel à projets : calendrier, budget et objectif de médicobus</caption>
        <thead>
          <tr>
            <th scope="col">Vague</th>
            <th scope="col">État</th>
            <th scope="col">Calendrier</th>
            <th scope="col">Budget</th>
            <th scope="col">Engagé</th>
            <th scope="col">Versé</th>
            <th scope="col">Reste à engager</th>
            <th scope="col">Médicobus engagés / objectif</th>
          </tr>
        </thead>
        <tbody>
          {waves.map((wave) => (
            <tr key={wave.number}>
              <th scope="row">
                <span className="mb-nowrap">{wave.title}</span>
                <Link className="fr-link fr-text--sm fr-mt-1v mb-block" to={`/programme/vagues/${wave.number}`}>
                  Classement<span className="fr-sr-only"> de la {wave.title.toLowerCase()}</span>
                </Link>
                <Link className="fr-link fr-text--sm mb-block" to={`/programme/vagues/${wave.number}/configuration`}>
                  Configurer<span className="fr-sr-only"> la {wave.title.toLowerCase()}</span>
                </Link>
              </th>
              <td>
                <Badge severity={STATE_SEVERITY[wave.state]} small noIcon>
                  {WAVE_STATE_LABELS[wave.state]}
                </Badge>
              </td>
              <td>
                <span className="mb-nowrap">Ouverture : {shortDate(wave.opensOn)}</span>
                <br />
                <span className="mb-nowrap">
                  Clôture : {shortDate(wave.closesOn)} à {wave.closingTime}
                </span>
                <span className="fr-hint-text">heure de Paris</span>
              </td>
              <td>
                {formatEuros(wave.budgetCents)}
                {wave.balance.carriedInCents > 0 ? <span className="fr-hint-text">+ {formatEuros(wave.balance.carriedInCents)} reportés</span> : null}
                {wave.balance.carriedOutCents > 0 ? <span className="fr-hint-text">− {formatEuros(wave.balance.carriedOutCents)} reportés sur la vague suivante</span> : null}
              </td>
              <td>{formatEuros(wave.balance.committedCents)}</td>
              <td>{formatEuros(wave.balance.paidCents)}</td>
              <td>
                {formatEuros(wave.balance.remainingCents)}
                <span className="fr-hint-text">{formatInteger(wave.balance.busesRemaining)} médicobus</span>
              </td>
              <td>
                {formatInteger(wave.balance.busesCommitted)} / {formatInteger(wave.balance.busesAvailable)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
