import type { CallRules } from "~/modules/calls/schema";
import { budgetChecks, budgetFigures } from "~/modules/applications/rules";
import { departementName, findDepartement } from "~/modules/geo/departements";
import { regionName } from "~/modules/geo/regions";
import { formatEuros, formatInteger, formatPercent } from "~/utils/format";
import { budgetFromRaw, type CommuneOption, type SectionRaw } from "./SectionFormData";

/**
 * What the portal computes from the section, shown beside the form and recomputed as the user
 * types, with the same pure functions the server uses (rules.ts, the COG tables): the page and
 * the ARS read the same figures.
 */

function Figures({ items }: { items: Array<[string, string]> }) {
  return (
    <dl className="mb-section-figures">
      {items.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function TerritoryFigures({ communes }: { communes: readonly CommuneOption[] }) {
  const population = communes.reduce((total, commune) => total + commune.population, 0);
  const departementCodes = [...new Set(communes.map((commune) => commune.departementCode))].sort();
  const regionCodes = [...new Set(departementCodes.map((code) => findDepartement(code)?.regionCode).filter((code): code is string => Boolean(code)))].sort();
  const regions = regionCodes.map(regionName);
  return (
    <section className="fr-p-3w mb-section-panel" aria-labelledby="territoire-calcule">
      <h3 id="territoire-calcule" className="fr-h6 fr-mb-2w">
        Calculé par le portail
      </h3>
      <Figures
        items={[
          ["Communes desservies", formatInteger(communes.length)],
          ["Population couverte", `${formatInteger(population)} habitants`],
          ["Départements", departementCodes.length > 0 ? departementCodes.map((code) => `${departementName(code)} (${code})`).join(", ") : "—"],
          [regions.length > 1 ? "Régions" : "Région", regions.length > 0 ? regions.join(", ") : "—"],
        ]}
      />
      {regions.length === 1 ? <p className="fr-text--sm fr-mb-0">Le dossier sera instruit par l'ARS {/^[AEIOUÉÎ]/.test(regions[0]) ? "d'" : "de "}{regions[0]}.</p> : null}
      {regions.length > 1 ? (
        <p className="fr-message fr-message--error fr-mt-1w">Un dossier est instruit par l'ARS d'une seule région : ce territoire ne peut pas être enregistré.</p>
      ) : null}
    </section>
  );
}

export function BudgetFigures({ raw, rules }: { raw: SectionRaw["budget"]; rules: CallRules }) {
  const figures = budgetFigures(budgetFromRaw(raw));
  const checks = budgetChecks(figures, rules);
  return (
    <section className="fr-p-3w mb-section-panel" aria-labelledby="budget-calcule">
      <h3 id="budget-calcule" className="fr-h6 fr-mb-2w">
        Calculé par le portail
      </h3>
      <Figures
        items={[
          ["Coût total du projet", formatEuros(figures.totalCostCents)],
          ["dont investissement", formatEuros(figures.investmentCents)],
          ["dont fonctionnement", formatEuros(figures.operatingCents)],
          ["Cofinancements", formatEuros(figures.cofinancingCents)],
          ["Subvention demandée à l'État", formatEuros(figures.requestedCents)],
          ["Part de l'État", figures.stateSharePercent === null ? "—" : formatPercent(figures.stateSharePercent)],
        ]}
      />
      <h4 className="fr-text--md fr-text--bold fr-mb-1w">Règles de l'appel à projets</h4>
      <ul className="mb-section-checks">
        {checks.map((check) => (
          <li key={check.code} className={check.ok ? "mb-check--ok" : "mb-check--ko"}>
            <span aria-hidden="true" className="mb-check__mark">
              {check.ok ? "✓" : "✗"}
            </span>{" "}
            <strong>{check.ok ? "Respectée" : "Non respectée"} :</strong> {check.label}.
            <br />
            <span className="fr-text--sm">{check.message}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
