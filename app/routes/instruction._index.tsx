import { Pagination } from "@codegouvfr/react-dsfr/Pagination";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { FILTER_LABELS, filterFieldId, ListFilters } from "~/components/instruction/ListFilters";
import { listHref, readListValues, type ListValues } from "~/components/instruction/ListLinks";
import { ListTable } from "~/components/instruction/ListTable";
import { STATUS_LABELS } from "~/modules/applications/lifecycle";
import { grantLabel, hasRole, INSTRUCTION_ROLES } from "~/modules/auth/roles";
import { requireRole } from "~/modules/auth/session.server";
import { listWaves } from "~/modules/calls/service.server";
import { DEPARTEMENTS } from "~/modules/geo/departements";
import { REGIONS } from "~/modules/geo/regions";
import { listDossiersForAgent } from "~/modules/instruction/queries.server";
import type { DossierListFilters } from "~/modules/instruction/schema";
import { agentScope } from "~/modules/instruction/scope";
import { APPLICATION_STATUSES } from "~db/schema/values";
import { DomainError } from "~/utils/errors";
import { formatInteger } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Dossiers à instruire — Instruction — Portail Médicobus" }];

const LISTED_STATUSES = APPLICATION_STATUSES.filter((status) => status !== "draft");

/**
 * The agents' list: the dossiers of their scope, filtered, sorted and paginated on the server
 * (listDossiersForAgent: two queries whatever the page). Filters that do not parse answer 400
 * with the form and its errors, never a silently different list.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const agent = await requireRole(request, INSTRUCTION_ROLES);
  const scope = agentScope(agent);
  if (!scope) throw new Response("Votre compte n'a pas de région d'instruction : demandez-la à un administrateur.", { status: 403 });
  const values = readListValues(new URL(request.url).searchParams);
  const regions = scope.national ? REGIONS : REGIONS.filter((region) => scope.regionCodes.includes(region.code));
  const regionCodes = new Set(regions.map((region) => region.code));
  const waves = await listWaves();
  const severalCalls = new Set(waves.map((wave) => wave.callId)).size > 1;
  const page = {
    roles: agent.roles.filter((grant) => (INSTRUCTION_ROLES as readonly string[]).includes(grant.role)).map(grantLabel),
    scopeLabel: scope.national ? "France entière" : `${regions.length > 1 ? "Régions" : "Région"} ${regions.map((region) => region.name).join(", ")}`,
    canAssignAutomatically: hasRole(agent, "program_manager") || hasRole(agent, "ars_agent"),
    values,
    options: {
      waves: waves.map((wave) => ({ id: wave.id, label: severalCalls ? `${wave.callTitle} — ${wave.title}` : wave.title })),
      regions: regions.map(({ code, name }) => ({ code, name })),
      departements: DEPARTEMENTS.filter((departement) => regionCodes.has(departement.regionCode)).map(({ code, name }) => ({ code, name })),
      statuses: LISTED_STATUSES.map((status) => ({ value: status, label: STATUS_LABELS[status] })),
    },
  };
  try {
    // Raw query-string values: the service parses them with DossierListFiltersSchema (400 when one does not parse).
    const list = await listDossiersForAgent(agent, values as DossierListFilters);
    return json({ ...page, list, errors: null });
  } catch (error) {
    if (!(error instanceof DomainError) || error.status !== 400) throw error;
    return json({ ...page, list: null, errors: { message: error.message, fields: error.fieldErrors } }, { status: 400 });
  }
}

export default function InstructionList() {
  const data = useLoaderData<typeof loader>();
  const { list, values } = data;
  const sort = list?.filters.sort ?? values.sort ?? "submitted";
  const direction = list?.filters.direction ?? (sort === "submitted" || sort === "score" || sort === "population" ? "desc" : "asc");
  const allCount = list ? Object.values(list.counts).reduce((sum, count) => sum + count, 0) : 0;
  const fieldErrors = data.errors ? Object.entries(data.errors.fields) : [];

  return (
    <div className="fr-container fr-my-6w">
      <h1 className="fr-mb-1w">Dossiers à instruire</h1>
      <p className="fr-text--lead fr-mb-1w">
        Votre périmètre : <strong>{data.scopeLabel}</strong>
      </p>
      <p className="fr-text--sm fr-mb-1w">Vos rôles : {data.roles.join(" ; ")}.</p>
      {data.canAssignAutomatically ? (
        <p>
          <Link className="fr-link fr-icon-team-line fr-link--icon-left" to="/instruction/affectations">
            Affecter automatiquement les évaluations
          </Link>
        </p>
      ) : null}

      {data.errors ? (
        <div className="fr-alert fr-alert--error fr-mb-4w" role="alert" tabIndex={-1} autoFocus>
          <h2 className="fr-alert__title">{data.errors.message}</h2>
          <ul>
            {fieldErrors.map(([name, messages]) => (
              <li key={name}>
                <a href={`#${filterFieldId(name)}`}>
                  {FILTER_LABELS[name as keyof typeof FILTER_LABELS] ?? name} : {messages[0]}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {list ? (
        <nav aria-label="Nombre de dossiers par statut" className="fr-mb-3w">
          <ul className="fr-tags-group">
            {[{ status: null, label: "Tous les statuts", count: allCount }, ...LISTED_STATUSES.map((status) => ({ status, label: STATUS_LABELS[status], count: list.counts[status] }))].map((item) => {
              const current = (values.status ?? null) === item.status;
              return (
                <li key={item.status ?? "tous"}>
                  <Link
                    className={`fr-tag${current ? " fr-icon-check-line fr-tag--icon-left" : ""}`}
                    to={listHref(values, { status: item.status })}
                    aria-current={current ? "true" : undefined}
                    preventScrollReset
                  >
                    {item.label} : {formatInteger(item.count)}
                    {current ? <span className="fr-sr-only"> (filtre actif)</span> : null}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
      ) : null}

      <ListFilters values={values} errors={data.errors?.fields ?? null} options={data.options} effectiveSort={sort} effectiveDirection={direction} />

      {list ? (
        <section aria-labelledby="resultats">
          <h2 id="resultats" className="fr-h5">
            Résultats
          </h2>
          <p role="status">
            {list.total === 0
              ? "Aucun dossier ne correspond à ces critères."
              : `${formatInteger(list.total)} dossier${list.total > 1 ? "s" : ""}${list.pageCount > 1 ? ` — page ${list.page} sur ${list.pageCount}` : ""}`}
          </p>
          {list.total > 0 ? (
            <p>
              Les {formatInteger(list.total)} dossiers de cette liste, toutes pages comprises :{" "}
              <a className="fr-link fr-icon-download-line fr-link--icon-left" href={exportHref(values, "csv")} download>
                Exporter (CSV)
              </a>{" "}
              ·{" "}
              <a className="fr-link fr-icon-download-line fr-link--icon-left" href={exportHref(values, "xlsx")} download>
                Exporter (XLSX)
              </a>
            </p>
          ) : null}
          {list.dossiers.length > 0 ? (
            <ListTable rows={list.dossiers} sort={sort} direction={direction} caption={`Dossiers de votre périmètre, triés par ${sortCaption(sort)} (${direction === "asc" ? "ordre croissant" : "ordre décroissant"})`} />
          ) : null}
          {list.pageCount > 1 ? (
            <Pagination className="fr-mt-3w" count={list.pageCount} defaultPage={list.page} showFirstLast getPageLinkProps={(pageNumber) => ({ to: listHref(values, { page: String(pageNumber) }) })} />
          ) : null}
        </section>
      ) : null}
    </div>
  );
}

function sortCaption(sort: string) {
  return { submitted: "date de dépôt", score: "note consolidée", population: "population couverte", reference: "référence", organisation: "organisation" }[sort] ?? sort;
}

/** The export of the list as shown: its filters kept, its page and sort left out (the file holds every page). */
function exportHref(values: ListValues, format: "csv" | "xlsx") {
  const query = new URLSearchParams(Object.entries(values).filter(([name]) => !["page", "pageSize", "sort", "direction"].includes(name)) as Array<[string, string]>);
  query.set("format", format);
  return `/instruction/export?${query}`;
}
