import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Form, Link, useNavigate } from "@remix-run/react";
import type { FormEvent } from "react";
import { LIST_PARAMS, LIST_PATH, listHref, type ListParam, type ListValues } from "./ListLinks";

export interface ListFilterOptions {
  waves: ReadonlyArray<{ id: string; label: string }>;
  regions: ReadonlyArray<{ code: string; name: string }>;
  departements: ReadonlyArray<{ code: string; name: string }>;
  statuses: ReadonlyArray<{ value: string; label: string }>;
}

export const SORT_LABELS = {
  submitted: "Date de dépôt",
  score: "Note consolidée",
  population: "Population couverte",
  reference: "Référence",
  organisation: "Organisation",
} as const;

/** What each filter is called on the page, for the error summary's links too. */
export const FILTER_LABELS: Partial<Record<ListParam, string>> = {
  q: "Rechercher",
  waveId: "Vague",
  regionCode: "Région",
  departementCode: "Département",
  status: "Statut",
  assignedToMe: "Seulement les dossiers qui me sont confiés",
  flagged: "Seulement les dossiers avec un écart de notation signalé",
  scoreMin: "Note consolidée minimale",
  scoreMax: "Note consolidée maximale",
  sort: "Trier par",
  direction: "Ordre",
  pageSize: "Dossiers par page",
};

export const filterFieldId = (name: string) => `filtre-${name}`;

/**
 * The list's filters as a GET form: without JavaScript it reloads the page with the filters in
 * the query string; with it, the same URL is reached without the blank fields.
 */
export function ListFilters({
  values,
  errors,
  options,
  effectiveSort,
  effectiveDirection,
}: {
  values: ListValues;
  errors: Record<string, string[]> | null;
  options: ListFilterOptions;
  effectiveSort: string;
  effectiveDirection: "asc" | "desc";
}) {
  const navigate = useNavigate();
  const errorOf = (name: ListParam) => errors?.[name]?.join(" ");
  const state = (name: ListParam) => (errorOf(name) ? ("error" as const) : ("default" as const));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const changes: Partial<Record<ListParam, string | null>> = {};
    for (const name of LIST_PARAMS) if (name !== "page") changes[name] = form.get(name)?.toString().trim() || null;
    navigate(listHref({}, changes));
  }

  const select = (name: ListParam, label: string, choices: ReadonlyArray<{ value: string; label: string }>, placeholder: string) => (
    <div className="fr-col-12 fr-col-sm-6 fr-col-lg-3">
      <Select
        label={label}
        state={state(name)}
        stateRelatedMessage={errorOf(name)}
        nativeSelectProps={{ id: filterFieldId(name), name, defaultValue: values[name] ?? "", "aria-invalid": errorOf(name) ? true : undefined }}
      >
        <option value="">{placeholder}</option>
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </Select>
    </div>
  );

  const score = (name: "scoreMin" | "scoreMax") => (
    <div className="fr-col-12 fr-col-sm-6 fr-col-lg-3">
      <Input
        label={FILTER_LABELS[name]}
        hintText="Sur 100, par exemple 65 ou 72,5"
        state={state(name)}
        stateRelatedMessage={errorOf(name)}
        nativeInputProps={{ id: filterFieldId(name), name, defaultValue: values[name] ?? "", inputMode: "decimal", "aria-invalid": errorOf(name) ? true : undefined }}
      />
    </div>
  );

  const checkbox = (name: "assignedToMe" | "flagged", label: string) => (
    <div className="fr-fieldset__element">
      <div className="fr-checkbox-group">
        <input type="checkbox" id={filterFieldId(name)} name={name} value="1" defaultChecked={Boolean(values[name]) && values[name] !== "false"} />
        <label className="fr-label" htmlFor={filterFieldId(name)}>
          {label}
        </label>
      </div>
    </div>
  );

  return (
    <Form method="get" action={LIST_PATH} onSubmit={onSubmit} className="fr-mb-4w" aria-labelledby="filtres-titre">
      <h2 id="filtres-titre" className="fr-h5">
        Filtrer et trier
      </h2>
      <Input
        label={FILTER_LABELS.q}
        hintText="Référence du dossier (MB-2026-…), nom de l'organisation ou intitulé du projet"
        state={state("q")}
        stateRelatedMessage={errorOf("q")}
        nativeInputProps={{ id: filterFieldId("q"), name: "q", type: "search", defaultValue: values.q ?? "", autoComplete: "off" }}
      />
      <div className="fr-grid-row fr-grid-row--gutters">
        {select("waveId", FILTER_LABELS.waveId!, options.waves.map((wave) => ({ value: wave.id, label: wave.label })), "Toutes les vagues")}
        {select("regionCode", FILTER_LABELS.regionCode!, options.regions.map((region) => ({ value: region.code, label: region.name })), options.regions.length === 1 ? "Votre région" : "Toutes les régions")}
        {select("departementCode", FILTER_LABELS.departementCode!, options.departements.map((departement) => ({ value: departement.code, label: `${departement.code} — ${departement.name}` })), "Tous les départements")}
        {select("status", FILTER_LABELS.status!, options.statuses, "Tous les statuts")}
        {score("scoreMin")}
        {score("scoreMax")}
        <div className="fr-col-12 fr-col-lg-6">
          <fieldset className="fr-fieldset" aria-labelledby="filtres-suivi-legende">
            <legend id="filtres-suivi-legende" className="fr-fieldset__legend fr-text--regular">
              Suivi
            </legend>
            {checkbox("assignedToMe", FILTER_LABELS.assignedToMe!)}
            {checkbox("flagged", FILTER_LABELS.flagged!)}
          </fieldset>
        </div>
      </div>
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-sm-4 fr-col-lg-3">
          <Select label={FILTER_LABELS.sort} state={state("sort")} stateRelatedMessage={errorOf("sort")} nativeSelectProps={{ id: filterFieldId("sort"), name: "sort", defaultValue: effectiveSort }}>
            {Object.entries(SORT_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-sm-4 fr-col-lg-3">
          <Select label={FILTER_LABELS.direction} state={state("direction")} stateRelatedMessage={errorOf("direction")} nativeSelectProps={{ id: filterFieldId("direction"), name: "direction", defaultValue: effectiveDirection }}>
            <option value="desc">Décroissant</option>
            <option value="asc">Croissant</option>
          </Select>
        </div>
        <div className="fr-col-12 fr-col-sm-4 fr-col-lg-3">
          <Select label={FILTER_LABELS.pageSize} state={state("pageSize")} stateRelatedMessage={errorOf("pageSize")} nativeSelectProps={{ id: filterFieldId("pageSize"), name: "pageSize", defaultValue: values.pageSize ?? "50" }}>
            {["20", "50", "100"].map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </Select>
        </div>
      </div>
      <ul className="fr-btns-group fr-btns-group--inline-sm fr-btns-group--icon-left fr-mt-2w">
        <li>
          <Button type="submit" iconId="fr-icon-filter-line">
            Appliquer
          </Button>
        </li>
        <li>
          <Link className="fr-btn fr-btn--tertiary" to={LIST_PATH}>
            Réinitialiser les filtres
          </Link>
        </li>
      </ul>
    </Form>
  );
}
