import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DashboardParamForm, paramFieldId } from "~/components/programme/DashboardParamForm";
import { DepartementMap, DepartementTable } from "~/components/programme/DepartementMap";
import { BusGauge, EnvelopeGauge } from "~/components/programme/Gauge";
import { RegionCharts } from "~/components/programme/RegionChart";
import { ScoreChart } from "~/components/programme/ScoreChart";
import { requireRole } from "~/modules/auth/session.server";
import { MAP_MEASURE_KEYS, MAP_MEASURES, PARAM_LABELS, readDashboardParams, type DashboardParams } from "~/modules/programme/dashboard";
import { programmeDashboard } from "~/modules/programme/dashboard.server";
import { formatEuros, formatInteger } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Tableau de bord — Programme — Portail Médicobus" }];

/**
 * The national team's dashboard: the envelope per wave and in total, buses funded against the
 * target, the régions, the scores and the map by département. The layout's loader does not
 * protect this page (Remix runs them in parallel): the role is checked here. A parameter that
 * does not parse answers 400 with the page in its default view and the error next to the field.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const manager = await requireRole(request, "program_manager");
  const dashboard = await programmeDashboard(manager);
  const waveNumbers = dashboard?.balances.waves.map((wave) => wave.number) ?? [];
  const { params, errors } = readDashboardParams(new URL(request.url).searchParams, waveNumbers);
  return json({ dashboard, params, errors }, { status: Object.keys(errors).length > 0 ? 400 : 200 });
}

const MAP_TABLE_ID = "donnees-departements";

export default function ProgrammeDashboard() {
  const { dashboard, params, errors } = useLoaderData<typeof loader>();
  const errorEntries = Object.entries(errors) as Array<[keyof DashboardParams, string]>;

  if (!dashboard) {
    return (
      <>
        <h1>Tableau de bord</h1>
        <p>Aucun appel à projets n'est encore configuré : le tableau de bord s'affichera dès qu'un appel et ses vagues existeront.</p>
      </>
    );
  }

  const { balances, totals } = dashboard;
  const selectedWave = params.vague === null ? null : balances.waves.find((wave) => wave.number === params.vague) ?? null;
  const scoreScope = selectedWave ? `dans la ${selectedWave.title.toLowerCase()}` : "toutes vagues confondues";
  const keep = { carte: params.carte === "dossiers" ? "" : params.carte, vague: params.vague === null ? "" : String(params.vague) };

  return (
    <>
      <h1 className="fr-mb-1w">Tableau de bord</h1>
      <p className="fr-text--lead fr-mb-3w">{dashboard.call.title}</p>

      {errorEntries.length > 0 ? (
        <div className="fr-alert fr-alert--error fr-mb-4w" role="alert" tabIndex={-1} autoFocus>
          <h2 className="fr-alert__title">Ce choix d'affichage n'existe pas : la vue par défaut est affichée.</h2>
          <ul>
            {errorEntries.map(([name, message]) => (
              <li key={name}>
                <a href={`#${paramFieldId(name)}`}>
                  {PARAM_LABELS[name]} : {message}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <ul className="fr-raw-list fr-grid-row fr-grid-row--gutters fr-mb-3w">
        {[
          { figure: formatInteger(totals.filed), label: `dossier${totals.filed > 1 ? "s" : ""} déposé${totals.filed > 1 ? "s" : ""}` },
          { figure: formatInteger(totals.reviewed), label: `instruit${totals.reviewed > 1 ? "s" : ""}` },
          { figure: formatInteger(totals.selectedDossiers), label: `retenu${totals.selectedDossiers > 1 ? "s" : ""}` },
          { figure: formatEuros(balances.total.committedCents), label: "engagés" },
        ].map((item) => (
          <li key={item.label} className="fr-col-6 fr-col-lg-3">
            <span className="mb-figure">{item.figure}</span> <span>{item.label}</span>
          </li>
        ))}
      </ul>

      <section aria-labelledby="enveloppe" className="fr-mb-4w">
        <h2 id="enveloppe" className="fr-h4">
          Enveloppe et médicobus
        </h2>
        {!balances.envelopeMatches ? (
          <div className="fr-alert fr-alert--warning fr-alert--sm fr-mb-3w">
            <p>
              Les budgets des vagues totalisent {formatEuros(balances.total.budgetCents)}, l'enveloppe de l'appel est de {formatEuros(balances.envelopeCents)} :{" "}
              <Link to="/programme/vagues">vérifiez la configuration des vagues</Link>.
            </p>
          </div>
        ) : null}
        <EnvelopeGauge title="Enveloppe totale de l'appel" balance={balances.total} />
        <BusGauge title="Médicobus financés" funded={balances.total.busesCommitted} target={balances.busTarget} />
        <div className="fr-grid-row fr-grid-row--gutters">
          {balances.waves.map((wave) => (
            <div key={wave.id} className="fr-col-12 fr-col-lg-6">
              <EnvelopeGauge title={`${wave.title} : ${formatInteger(wave.balance.busesCommitted)} médicobus sur ${formatInteger(wave.balance.busesAvailable)}`} balance={wave.balance} />
            </div>
          ))}
        </div>
        <p className="fr-text--xs">Montants issus du registre budgétaire : engagements moins désengagements, versements par tranche, reports entre vagues.</p>
      </section>

      <section aria-labelledby="regions" className="fr-mb-4w">
        <h2 id="regions" className="fr-h4">
          Par région
        </h2>
        <RegionCharts regions={dashboard.regions} />
      </section>

      <section aria-labelledby="notes" className="fr-mb-4w">
        <h2 id="notes" className="fr-h4">
          Distribution des notes consolidées
        </h2>
        <DashboardParamForm
          name="vague"
          value={params.vague === null ? "toutes" : String(params.vague)}
          choices={[{ value: "toutes", label: "Toutes les vagues" }, ...balances.waves.map((wave) => ({ value: String(wave.number), label: wave.title }))]}
          keep={{ carte: keep.carte }}
          error={errors.vague}
          button="Afficher cette vague"
          anchor="notes"
        />
        <ScoreChart counts={selectedWave ? dashboard.scores.byWave[selectedWave.number] : dashboard.scores.all} scope={scoreScope} />
      </section>

      <section aria-labelledby="carte" className="fr-mb-4w">
        <h2 id="carte" className="fr-h4">
          Carte par département
        </h2>
        <DashboardParamForm
          name="carte"
          value={params.carte}
          choices={MAP_MEASURE_KEYS.map((key) => ({ value: key, label: MAP_MEASURES[key].label }))}
          keep={{ vague: keep.vague }}
          error={errors.carte}
          button="Afficher sur la carte"
          anchor="carte"
        />
        <p className="fr-text--sm">
          {params.carte === "dossiers" ? "Un dossier dont les communes sont dans plusieurs départements compte dans chacun. Les dossiers retirés ne sont pas comptés." : null}
          {params.carte === "medicobus" ? "Médicobus des dossiers retenus (décisions en vigueur) ; un médicobus qui dessert plusieurs départements compte dans chacun." : null}
          {params.carte === "population" ? (
            <>
              Population des communes desservies par les projets retenus, comptée dans le département de chaque commune (populations légales de l'INSEE).
              {dashboard.populationAttributedByTotal ? " Un dossier retenu sans liste de communes compte toute sa population dans son premier département." : null}
            </>
          ) : null}
          {totals.unlocated > 0 ? ` ${formatInteger(totals.unlocated)} dossier${totals.unlocated > 1 ? "s" : ""} déposé${totals.unlocated > 1 ? "s" : ""} sans commune ne figure${totals.unlocated > 1 ? "nt" : ""} pas sur la carte.` : null}
        </p>
        <p>
          <a href={`#${MAP_TABLE_ID}`} className="fr-link fr-icon-arrow-down-line fr-link--icon-right">
            Passer la carte et aller au tableau des départements
          </a>
        </p>
        <DepartementMap departements={dashboard.departements} measure={params.carte} />
        <DepartementTable departements={dashboard.departements} id={MAP_TABLE_ID} />
      </section>
    </>
  );
}
