import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { createContext, useContext, useEffect, useRef, useState, type HTMLAttributes, type MouseEvent, type ReactNode } from "react";
import { fieldId } from "~/modules/applications/form";
import { inputName, type FormSectionKey } from "./SectionFormData";
import { FIELD_LABELS, ROW_NAMES } from "./SectionLabels";

export type FieldPath = ReadonlyArray<string | number>;

/** What every field of a section form reads: the values typed, the errors, how to change a value. */
export interface SectionFormContextValue {
  section: FormSectionKey;
  values: unknown;
  errors: Record<string, string[]>;
  setValue(path: FieldPath, value: unknown): void;
}

export const SectionFormContext = createContext<SectionFormContextValue | null>(null);

function useSectionForm() {
  const context = useContext(SectionFormContext);
  if (!context) throw new Error("Section fields must be rendered inside a SectionFormContext.");
  return context;
}

export function getIn(value: unknown, path: FieldPath): unknown {
  return path.reduce<unknown>((current, key) => (current as Record<string | number, unknown> | undefined)?.[key], value);
}

/** A copy of `value` with `path` set: arrays stay arrays, the rest is shared. */
export function setIn<T>(value: T, path: FieldPath, next: unknown): T {
  if (path.length === 0) return next as T;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    copy[head as number] = setIn(copy[head as number], rest, next);
    return copy as T;
  }
  const record = value as Record<string, unknown>;
  return { ...record, [head]: setIn(record[head as string], rest, next) } as T;
}

/** The label of a field from SectionLabels: `partners.0.name` → FIELD_LABELS.porteur["partners.name"]. */
function defaultLabel(section: FormSectionKey, path: FieldPath) {
  const key = path.filter((segment) => typeof segment === "string").join(".");
  return FIELD_LABELS[section][key] ?? key;
}

function useField(path: FieldPath) {
  const { section, values, errors, setValue } = useSectionForm();
  const id = fieldId(section, path);
  const messages = errors[id] ?? [];
  return {
    section,
    id,
    name: inputName(path),
    value: getIn(values, path),
    messages,
    state: messages.length > 0 ? ("error" as const) : ("default" as const),
    set: (value: unknown) => setValue(path, value),
  };
}

export function SectionInput({
  path,
  label,
  hint,
  textArea = false,
  inputMode,
  type = "text",
  autoComplete = "off",
  maxLength,
  rows,
  className,
}: {
  path: FieldPath;
  label?: ReactNode;
  hint?: ReactNode;
  textArea?: boolean;
  inputMode?: HTMLAttributes<HTMLInputElement>["inputMode"];
  type?: "text" | "date";
  autoComplete?: string;
  maxLength?: number;
  rows?: number;
  className?: string;
}) {
  const field = useField(path);
  const common = {
    id: field.id,
    name: field.name,
    value: String(field.value ?? ""),
    maxLength,
    "aria-invalid": field.state === "error" ? true : undefined,
  };
  const shared = {
    className,
    label: label ?? defaultLabel(field.section, path),
    hintText: hint,
    state: field.state,
    stateRelatedMessage: field.messages.join(" "),
  };
  return textArea ? (
    <Input {...shared} textArea nativeTextAreaProps={{ ...common, rows: rows ?? 4, onChange: (event) => field.set(event.target.value) }} />
  ) : (
    <Input {...shared} nativeInputProps={{ ...common, type, inputMode, autoComplete, spellCheck: inputMode ? false : undefined, onChange: (event) => field.set(event.target.value) }} />
  );
}

export type Options = Readonly<Record<string, string>> | ReadonlyArray<{ value: string; label: string }>;

function optionList(options: Options) {
  return Array.isArray(options) ? (options as ReadonlyArray<{ value: string; label: string }>) : Object.entries(options).map(([value, label]) => ({ value, label }));
}

export function SectionSelect({ path, label, hint, options, placeholder = "Sélectionnez une option", className }: { path: FieldPath; label?: ReactNode; hint?: ReactNode; options: Options; placeholder?: string; className?: string }) {
  const field = useField(path);
  return (
    <Select
      className={className}
      label={label ?? defaultLabel(field.section, path)}
      hint={hint}
      state={field.state}
      stateRelatedMessage={field.messages.join(" ")}
      nativeSelectProps={{
        id: field.id,
        name: field.name,
        value: String(field.value ?? ""),
        onChange: (event) => field.set(event.target.value),
        "aria-invalid": field.state === "error" ? true : undefined,
      }}
    >
      <option value="">{placeholder}</option>
      {optionList(options).map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </Select>
  );
}

/** Oui / non, or any single choice among a few: DSFR radio buttons in a fieldset with its legend. */
export function SectionRadios({ path, legend, hint, options, inline = true }: { path: FieldPath; legend?: ReactNode; hint?: ReactNode; options: Options; inline?: boolean }) {
  const field = useField(path);
  return (
    <RadioButtons
      // The recap's « missing » links land on the group.
      id={field.id}
      name={field.name}
      legend={legend ?? defaultLabel(field.section, path)}
      hintText={hint}
      orientation={inline ? "horizontal" : "vertical"}
      state={field.state}
      stateRelatedMessage={field.messages.join(" ")}
      options={optionList(options).map((option) => ({
        label: option.label,
        nativeInputProps: { value: option.value, checked: field.value === option.value, onChange: () => field.set(option.value) },
      }))}
    />
  );
}

export function SectionCheckboxes({ path, legend, hint, options }: { path: FieldPath; legend?: ReactNode; hint?: ReactNode; options: Options }) {
  const field = useField(path);
  const checked = Array.isArray(field.value) ? (field.value as string[]) : [];
  return (
    <Checkbox
      id={field.id}
      legend={legend ?? defaultLabel(field.section, path)}
      hintText={hint}
      state={field.state}
      stateRelatedMessage={field.messages.join(" ")}
      options={optionList(options).map((option) => ({
        label: option.label,
        nativeInputProps: {
          name: field.name,
          value: option.value,
          checked: checked.includes(option.value),
          onChange: (event) => field.set(event.target.checked ? [...checked, option.value] : checked.filter((value) => value !== option.value)),
        },
      }))}
    />
  );
}

/** Where the focus goes after a row is added or removed. */
type FocusRequest = { rowKey: string } | { addButton: true } | { group: true };

const FOCUSABLE = "input:not([type=hidden]), select, textarea, button";

/**
 * A repeatable group (partners, communes, tour plan, cost lines, co-financing lines): a fieldset
 * with its legend, one sub-fieldset per row, « Ajouter … » at the end and « Supprimer … » in each
 * row. The buttons are submit buttons of the form, so that without JavaScript the server adds or
 * removes the row; with it, the page does, and moves the focus to the row added, or to the row
 * that took the removed one's place.
 */
export function SectionRows<Row extends { key: string }>({
  group,
  legend,
  hint,
  rows,
  renderRow,
  onAdd,
  onRemove,
  rowLegend,
  removeLabel,
  emptyText,
  children,
}: {
  group: string;
  legend?: ReactNode;
  hint?: ReactNode;
  rows: readonly Row[];
  renderRow(row: Row, index: number): ReactNode;
  /** Adds a row and returns its key. Without it there is no « Ajouter » button (communes come from the search). */
  onAdd?: () => string;
  onRemove(index: number): void;
  rowLegend?: (row: Row, index: number) => ReactNode;
  removeLabel?: (row: Row, index: number) => string;
  emptyText?: ReactNode;
  /** Under the rows, before the « Ajouter » button (the commune search). */
  children?: ReactNode;
}) {
  const { section, errors } = useSectionForm();
  const names = ROW_NAMES[group];
  const id = fieldId(section, [group]);
  const groupErrors = errors[id] ?? [];
  const container = useRef<HTMLFieldSetElement>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const [focus, setFocus] = useState<FocusRequest | null>(null);

  useEffect(() => {
    if (!focus) return;
    setFocus(null);
    if ("addButton" in focus) return addButton.current?.focus();
    if ("group" in focus) return container.current?.focus();
    const row = container.current?.querySelector<HTMLElement>(`[data-row-key="${focus.rowKey}"]`);
    row?.querySelector<HTMLElement>(FOCUSABLE)?.focus();
  }, [focus]);

  const add = (event: MouseEvent<HTMLButtonElement>) => {
    if (!onAdd) return;
    event.preventDefault();
    setFocus({ rowKey: onAdd() });
  };

  const remove = (event: MouseEvent<HTMLButtonElement>, index: number) => {
    event.preventDefault();
    const next = rows[index + 1] ?? rows[index - 1];
    onRemove(index);
    setFocus(next ? { rowKey: next.key } : onAdd ? { addButton: true } : { group: true });
  };

  return (
    <fieldset className="fr-fieldset fr-mb-4w" id={id} tabIndex={-1} aria-labelledby={`${id}-legend`} ref={container}>
      <legend className="fr-fieldset__legend" id={`${id}-legend`}>
        {legend ?? FIELD_LABELS[section][group]}
        {hint ? <span className="fr-hint-text">{hint}</span> : null}
      </legend>
      {groupErrors.length > 0 ? (
        <div className="fr-fieldset__element">
          <p className="fr-message fr-message--error" id={`${id}-desc-error`}>
            {groupErrors.join(" ")}
          </p>
        </div>
      ) : null}
      {rows.length === 0 && emptyText ? (
        <div className="fr-fieldset__element">
          <p className="fr-text--sm fr-mb-0">{emptyText}</p>
        </div>
      ) : null}
      {rows.map((row, index) => (
        <div className="fr-fieldset__element" key={row.key} data-row-key={row.key}>
          <fieldset className="fr-fieldset mb-section-row" aria-labelledby={`${id}-${index}-legend`}>
            <legend className="fr-fieldset__legend fr-text--bold fr-mb-1w" id={`${id}-${index}-legend`}>
              {rowLegend ? rowLegend(row, index) : `${names.one} ${index + 1}`}
            </legend>
            {renderRow(row, index)}
            <div className="fr-fieldset__element">
              <button
                type="submit"
                name="intent"
                value={`remove:${group}:${index}`}
                className="fr-btn fr-btn--tertiary fr-btn--sm fr-btn--icon-left fr-icon-delete-line"
                onClick={(event) => remove(event, index)}
              >
                {removeLabel ? removeLabel(row, index) : `${names.remove} ${index + 1}`}
              </button>
            </div>
          </fieldset>
        </div>
      ))}
      {children}
      {onAdd ? (
        <div className="fr-fieldset__element">
          <button ref={addButton} type="submit" name="intent" value={`add:${group}`} className="fr-btn fr-btn--secondary fr-btn--icon-left fr-icon-add-line" onClick={add}>
            {names.add}
          </button>
        </div>
      ) : null}
    </fieldset>
  );
}
