import type { SimulationResult } from "~/modules/budget/simulation";
import { regionName } from "~/modules/geo/regions";
import { formatEuros, formatInteger } from "~/utils/format";

/**
 * The simulation's totals, in a live region: a screen reader hears the new figures each time
 * an override being typed changes them (polite: after what it is reading). Figures are words
 * and numbers, never a colour.
 */
export function SimulatorTotals({ simulation, remaining, preview }: { simulation: SimulationResult; remaining: { cents: number; buses: number }; preview: boolean }) {
  const { totals } = simulation;
  const regions = totals.regionsCovered.map(regionName).sort((a, b) => a.localeCompare(b, "fr"));
  return (
    <div className="fr-callout fr-mb-3w" id="totaux-simulation">
      <h2 className="fr-callout__title fr-h5">Simulation{preview ? " (aperçu avec la dérogation en cours de saisie)" : ""}</h2>
      <div aria-live="polite" aria-atomic="true" role="status">
        <p className="fr-callout__text fr-text--md fr-mb-1w">
          Reste à engager sur la vague : {formatEuros(remaining.cents)} et {formatInteger(remaining.buses)} médicobus.
        </p>
        <ul className="fr-mb-0">
          <li>
            Dossiers financés : <strong>{formatInteger(totals.funded)}</strong>, pour <strong>{formatEuros(totals.awardedCents)}</strong> et <strong>{formatInteger(totals.buses)}</strong> médicobus
          </li>
          <li>
            Population couverte : <strong>{formatInteger(totals.populationCovered)}</strong> habitants
          </li>
          <li>
            Régions couvertes : <strong>{formatInteger(regions.length)}</strong>
            {regions.length > 0 ? ` (${regions.join(", ")})` : ""}
          </li>
          <li>
            Reste après la simulation : <strong>{formatEuros(simulation.remainingCents)}</strong> et <strong>{formatInteger(simulation.remainingBuses)}</strong> médicobus
          </li>
        </ul>
      </div>
    </div>
  );
}
