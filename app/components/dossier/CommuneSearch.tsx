import { useEffect, useRef, useState, type MouseEvent } from "react";
import { formatInteger } from "~/utils/format";
import type { CommuneOption } from "./SectionFormData";

export const COMMUNE_SEARCH_FORM_ID = "recherche-commune";
const MAX_QUERY_LENGTH = 100;

type SearchState =
  | { kind: "idle" }
  | { kind: "searching"; query: string }
  | { kind: "done"; query: string; results: CommuneOption[] }
  | { kind: "failed"; query: string; message: string };

function postalCode(commune: CommuneOption) {
  return commune.postalCodes[0] ?? commune.departementCode;
}

/** « Alençon (61000) » */
export function communeLabel(commune: CommuneOption) {
  return `${commune.name} (${postalCode(commune)})`;
}

function announce(state: SearchState) {
  switch (state.kind) {
    case "searching":
      return "Recherche en cours…";
    case "failed":
      return state.message;
    case "done":
      if (state.results.length === 0) return `Aucune commune trouvée pour « ${state.query} ».`;
      return state.results.length === 1 ? "1 commune trouvée." : `${state.results.length} communes trouvées${state.results.length === 20 ? " (les 20 premières : précisez la recherche)" : ""}.`;
    default:
      return "";
  }
}

/**
 * The search of the territory step. Its input and button belong to a GET form of their own
 * (COMMUNE_SEARCH_FORM_ID, outside the section's form): without JavaScript the page reloads with
 * the results; with it, results come from /api/communes as the user types. Each result is a
 * button of the section's form (« Ajouter Alençon (61000) — 25 490 habitants »), so that adding
 * a commune works both ways too. The number of results is announced.
 */
export function CommuneSearch({
  selectedCodes,
  onAdd,
  initial,
}: {
  selectedCodes: ReadonlySet<string>;
  onAdd(commune: CommuneOption): void;
  /** Results the server found for a search made without JavaScript. */
  initial: { query: string; results: CommuneOption[] } | null;
}) {
  const [query, setQuery] = useState(initial?.query ?? "");
  const [state, setState] = useState<SearchState>(initial ? { kind: "done", ...initial } : { kind: "idle" });
  const [added, setAdded] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const controller = useRef<AbortController | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(
    () => () => {
      clearTimeout(timer.current);
      controller.current?.abort();
    },
    [],
  );

  const search = async (value: string) => {
    clearTimeout(timer.current);
    controller.current?.abort();
    const trimmed = value.trim();
    if (trimmed.length < 2) {
      setState({ kind: "idle" });
      return;
    }
    const current = new AbortController();
    controller.current = current;
    setState({ kind: "searching", query: trimmed });
    try {
      const response = await fetch(`/api/communes?q=${encodeURIComponent(trimmed)}`, { signal: current.signal, headers: { Accept: "application/json" } });
      const body = (await response.json()) as { communes?: CommuneOption[]; message?: string };
      if (!response.ok) throw new Error(body.message ?? "La recherche a échoué.");
      setState({ kind: "done", query: trimmed, results: body.communes ?? [] });
    } catch (error) {
      if (current.signal.aborted) return;
      setState({ kind: "failed", query: trimmed, message: error instanceof Error && error.message ? error.message : "La recherche a échoué : réessayez." });
    }
  };

  const add = (event: MouseEvent<HTMLButtonElement>, commune: CommuneOption) => {
    event.preventDefault();
    onAdd(commune);
    setAdded(`${communeLabel(commune)} ajoutée au territoire.`);
    // The button pressed turns into a « déjà ajoutée » line: the focus goes back to the search.
    input.current?.focus();
  };

  const results = state.kind === "done" ? state.results : [];
  return (
    <div className="fr-fieldset__element fr-mt-2w">
      <div className="fr-input-group" role="search">
        <label className="fr-label" htmlFor="commune-recherche">
          Rechercher une commune (nom ou code postal)
          <span className="fr-hint-text">Par exemple « Alençon », « Mortagne » ou « 61400 ». Les accents sont facultatifs.</span>
        </label>
        <div className="fr-input-wrap fr-input-wrap--addon">
          <input
            ref={input}
            id="commune-recherche"
            className="fr-input"
            type="search"
            name="q"
            form={COMMUNE_SEARCH_FORM_ID}
            autoComplete="off"
            spellCheck={false}
            maxLength={MAX_QUERY_LENGTH}
            aria-describedby="commune-recherche-resultats"
            value={query}
            onChange={(event) => {
              const value = event.target.value;
              setQuery(value);
              setAdded(null);
              clearTimeout(timer.current);
              timer.current = setTimeout(() => void search(value), 300);
            }}
          />
          {/* Also the search form's default button: Enter in the input lands here, and with
              JavaScript the click is kept on the page. */}
          <button
            type="submit"
            form={COMMUNE_SEARCH_FORM_ID}
            className="fr-btn fr-btn--icon-left fr-icon-search-line"
            onClick={(event) => {
              event.preventDefault();
              void search(query);
            }}
          >
            Rechercher
          </button>
        </div>
      </div>
      <p id="commune-recherche-resultats" className="fr-text--sm fr-mt-1w fr-mb-1w" aria-live="polite" aria-atomic="true">
        {added ?? announce(state)}
      </p>
      {results.length > 0 ? (
        <ul className="mb-commune-results" aria-label={`Résultats pour « ${state.kind === "done" ? state.query : query} »`}>
          {results.map((commune) => (
            <li key={commune.code}>
              {selectedCodes.has(commune.code) ? (
                <span className="fr-text--sm">
                  {communeLabel(commune)} — déjà dans le territoire
                </span>
              ) : (
                <button type="submit" name="intent" value={`add-commune:${commune.code}`} className="fr-btn fr-btn--tertiary fr-btn--sm fr-btn--icon-left fr-icon-add-line" onClick={(event) => add(event, commune)}>
                  Ajouter {communeLabel(commune)} — {formatInteger(commune.population)} habitants
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** The GET form the search input belongs to; rendered outside the section's form (forms do not nest). */
export function CommuneSearchForm({ action }: { action: string }) {
  return <form id={COMMUNE_SEARCH_FORM_ID} method="get" action={action} />;
}
