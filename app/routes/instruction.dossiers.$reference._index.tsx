import { DossierSummary } from "~/components/dossier/DossierSummary";
import { DossierFileLinks } from "~/components/instruction/DossierFileLinks";
import { useInstructionData } from "~/components/instruction/DossierData";
import { ORGANISATION_KIND_LABELS } from "~/modules/organisations/labels";
import { formatEuros, formatInteger } from "~/utils/format";

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <li className="fr-col-12 fr-col-sm-6 fr-col-lg-3">
      <p className="fr-mb-0 fr-text--sm">{label}</p>
      <p className="mb-figure fr-mb-0">{value}</p>
    </li>
  );
}

/**
 * The « Dossier » tab: what the applicant filed, read-only, as the recap shows it to them, with
 * the files to download or preview, the territory commune by commune and the budget checks.
 * No loader: the layout's loader authorized and loaded the dossier.
 */
export default function InstructionDossierContent() {
  const data = useInstructionData();
  const { dossier, territory, budget, organisation } = data;
  const share = budget.figures.stateSharePercent;
  return (
    <>
      <h2>Contenu du dossier</h2>
      <section aria-labelledby="chiffres-cles" className="fr-mb-5w">
        <h3 id="chiffres-cles">Chiffres clés</h3>
        <ul className="fr-raw-list fr-grid-row fr-grid-row--gutters">
          <Figure label="Région" value={territory.regionName ?? "—"} />
          <Figure label="Communes desservies" value={formatInteger(territory.communes.length)} />
          <Figure label="Population couverte" value={`${formatInteger(territory.populationCovered)} hab.`} />
          <Figure label="Départements" value={territory.departements.length > 0 ? territory.departements.join(", ") : "—"} />
          <Figure label="Coût total du projet" value={formatEuros(budget.figures.totalCostCents)} />
          <Figure label="Subvention demandée" value={formatEuros(budget.figures.requestedCents)} />
          <Figure label="Part de l'État" value={share === null ? "—" : `${new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 }).format(share)} %`} />
          <Figure label="Cofinancements" value={formatEuros(budget.figures.cofinancingCents)} />
        </ul>
        <p className="fr-text--sm fr-mt-2w fr-mb-0">
          Porteur de projet : {organisation.name} ({ORGANISATION_KIND_LABELS[organisation.kind]}) — SIRET {organisation.siret}
        </p>
      </section>

      <section aria-labelledby="territoire-communes" className="fr-mb-5w">
        <h3 id="territoire-communes">Territoire desservi</h3>
        {territory.communes.length === 0 ? (
          <p>Aucune commune renseignée.</p>
        ) : (
          <div className="fr-table fr-table--sm">
            <div className="fr-table__wrapper">
              <div className="fr-table__container">
                <div className="fr-table__content">
                  <table>
                    <caption>Communes desservies et population (INSEE)</caption>
                    <thead>
                      <tr>
                        <th scope="col">Commune</th>
                        <th scope="col">Code INSEE</th>
                        <th scope="col">Département</th>
                        <th scope="col">Population</th>
                      </tr>
                    </thead>
                    <tbody>
                      {territory.communes.map((commune) => (
                        <tr key={commune.code}>
                          <td>{commune.name}</td>
                          <td>{commune.code}</td>
                          <td>{commune.departementCode}</td>
                          <td>{formatInteger(commune.population)}</td>
                        </tr>
                      ))}
                      <tr>
                        <th scope="row" colSpan={3}>
                          Population couverte
                        </th>
                        <td>
                          <strong>{formatInteger(territory.populationCovered)}</strong>
                        </td>
                      </tr>
                    </tbody>
                  </table>
                </div>
              </div>
            </div>
          </div>
        )}
      </section>

      <DossierSummary
        // The agent reads; the « Modifier » links of the applicant's recap do not belong here.
        data={{ ...data, editable: [] }}
        renderFile={(file) => <DossierFileLinks reference={dossier.reference} file={file} />}
      />
    </>
  );
}
