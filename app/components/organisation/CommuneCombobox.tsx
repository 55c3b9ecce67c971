import { useInputControl, type FieldMetadata } from "@conform-to/react";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { TextField } from "~/components/forms";

/** One commune as the search resource route answers it: GET /api/communes?q= → { query, communes }. */
export interface CommuneOption {
  code: string;
  name: string;
  departementCode: string;
  postalCodes: string[];
  population: number;
}

const SEARCH_DELAY_MS = 250;

function communeLabel(commune: Pick<CommuneOption, "name" | "departementCode">) {
  return `${commune.name} (${commune.departementCode})`;
}

/** What each option reads: the name, the département, and the postcodes that tell homonyms apart. */
function optionText(commune: CommuneOption) {
  const postcodes = commune.postalCodes.length > 3 ? `${commune.postalCodes.slice(0, 3).join(", ")}…` : commune.postalCodes.join(", ");
  return postcodes ? `${communeLabel(commune)} — ${postcodes}` : communeLabel(commune);
}

/** Worth a request: two letters of a name, or the first two digits of a postcode / INSEE code. */
function searchable(query: string) {
  return query.trim().length >= 2;
}

/**
 * Picks a commune of the official geographic code (COG) for a form field that holds its INSEE
 * code. With JavaScript it is an ARIA combobox (WAI-ARIA 1.2 « list autocomplete »): the person
 * types a name or a postcode, the list of matches is announced, the arrows move in it and Enter
 * chooses; the INSEE code goes to the form, never typed by hand. Without JavaScript (or before
 * the page has hydrated) it is a plain text field for the INSEE code, which the server checks
 * against the COG all the same.
 */
export function CommuneCombobox<Form extends Record<string, unknown>>({
  field,
  label,
  hint = "Tapez au moins deux lettres du nom ou le code postal, puis choisissez la commune dans la liste.",
  fallbackLabel,
  fallbackHint = "Code officiel géographique de la commune, 5 caractères (ce n'est pas le code postal), par exemple 61001 pour Alençon.",
}: {
  field: FieldMetadata<string | undefined, Form, string[]>;
  label: string;
  hint?: string;
  /** The label of the plain INSEE-code field shown without JavaScript. */
  fallbackLabel: string;
  fallbackHint?: string;
}) {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const control = useInputControl(field);
  const uid = useId();
  const listboxId = `${uid}-communes`;
  const statusId = `${uid}-statut`;
  const errorId = `${field.id}-desc-error`;

  const [text, setText] = useState("");
  const [chosen, setChosen] = useState<{ code: string; label: string } | null>(null);
  const [options, setOptions] = useState<CommuneOption[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [status, setStatus] = useState("");
  const pending = useRef<{ timer?: ReturnType<typeof setTimeout>; request?: AbortController }>({});

  useEffect(() => {
    const current = pending.current;
    return () => {
      clearTimeout(current.timer);
      current.request?.abort();
    };
  }, []);

  if (!hydrated) return <TextField field={field} label={fallbackLabel} hint={fallbackHint} />;

  const errors = field.errors ?? [];
  const hasError = errors.length > 0;

  async function search(query: string) {
    pending.current.request?.abort();
    const request = new AbortController();
    pending.current.request = request;
    setStatus("Recherche en cours…");
    try {
      const response = await fetch(`/api/communes?q=${encodeURIComponent(query)}`, { signal: request.signal, headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const { communes: found } = (await response.json()) as { communes: CommuneOption[] };
      setOptions(found);
      setActive(-1);
      setOpen(found.length > 0);
      setStatus(
        found.length === 0
          ? `Aucune commune ne correspond à « ${query} ».`
          : `${found.length === 1 ? "Une commune trouvée" : `${found.length} communes trouvées`} : parcourez la liste avec les flèches haut et bas, choisissez avec Entrée.`,
      );
    } catch (error) {
      if (request.signal.aborted) return;
      setOptions([]);
      setOpen(false);
      setStatus("La recherche des communes n'a pas abouti. Réessayez dans un instant.");
      console.error(error);
    }
  }

  function onType(value: string) {
    setText(value);
    if (chosen) {
      // The text no longer names the chosen commune: the form must not keep its code.
      setChosen(null);
      control.change("");
    }
    clearTimeout(pending.current.timer);
    if (!searchable(value)) {
      pending.current.request?.abort();
      setOptions([]);
      setOpen(false);
      setStatus("");
      return;
    }
    pending.current.timer = setTimeout(() => void search(value.trim()), SEARCH_DELAY_MS);
  }

  function choose(commune: CommuneOption) {
    const chosenLabel = communeLabel(commune);
    setChosen({ code: commune.code, label: chosenLabel });
    setText(chosenLabel);
    setOpen(false);
    setActive(-1);
    setStatus(`Commune choisie : ${chosenLabel}, code INSEE ${commune.code}.`);
    control.change(commune.code);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    switch (event.key) {
      case "ArrowDown":
        if (options.length === 0) return;
        event.preventDefault();
        setOpen(true);
        setActive((index) => (index + 1) % options.length);
        return;
      case "ArrowUp":
        if (options.length === 0) return;
        event.preventDefault();
        setOpen(true);
        setActive((index) => (index <= 0 ? options.length - 1 : index - 1));
        return;
      case "Enter":
        // Enter in the open list chooses; otherwise it submits the form as usual.
        if (open && active >= 0) {
          event.preventDefault();
          choose(options[active]);
        }
        return;
      case "Escape":
        if (open) {
          event.preventDefault();
          setOpen(false);
          setActive(-1);
        }
        return;
    }
  }

  const activeId = open && active >= 0 ? `${listboxId}-${active}` : undefined;
  return (
    <div className={`fr-input-group${hasError ? " fr-input-group--error" : ""}`}>
      <label className="fr-label" htmlFor={field.id}>
        {label}
        <span className="fr-hint-text">{hint}</span>
      </label>
      <input
        id={field.id}
        className={`fr-input${hasError ? " fr-input--error" : ""}`}
        type="text"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listboxId}
        aria-activedescendant={activeId}
        aria-describedby={[hasError ? errorId : null, statusId].filter(Boolean).join(" ")}
        aria-invalid={hasError || undefined}
        value={text}
        onChange={(event) => onType(event.target.value)}
        onKeyDown={onKeyDown}
        onFocus={() => setOpen(options.length > 0 && !chosen)}
        onBlur={() => {
          setOpen(false);
          control.blur();
        }}
      />
      <ul
        id={listboxId}
        role="listbox"
        aria-label={`Communes correspondant à « ${text.trim()} »`}
        hidden={!open}
        className="fr-raw-list fr-mt-1v"
        style={{ border: "1px solid var(--border-default-grey)", maxHeight: "18rem", overflowY: "auto", background: "var(--background-default-grey)" }}
      >
        {options.map((commune, index) => (
          <li
            key={commune.code}
            id={`${listboxId}-${index}`}
            role="option"
            aria-selected={index === active}
            className="fr-px-2w fr-py-1w"
            style={{
              cursor: "pointer",
              background: index === active ? "var(--background-action-low-blue-france)" : undefined,
              outline: index === active ? "2px solid var(--border-active-blue-france)" : undefined,
              outlineOffset: "-2px",
            }}
            // The input keeps the focus while the pointer chooses (a blur would close the list first).
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => choose(commune)}
          >
            {optionText(commune)}
          </li>
        ))}
      </ul>
      <p id={statusId} className="fr-hint-text fr-mt-1v" role="status" aria-live="polite">
        {status}
      </p>
      <div className="fr-messages-group" aria-live="polite">
        {hasError ? (
          <p id={errorId} className="fr-message fr-message--error">
            {errors.join(" ")}
          </p>
        ) : null}
      </div>
    </div>
  );
}
