import { Fragment, type ReactNode } from "react";
import { SECTION_SPECS, type FormSectionKey, type SectionRaw } from "./SectionFormData";
import { CHOICE_LABELS, FIELD_LABELS, ROW_NAMES, yearLabel } from "./SectionLabels";

type Spec = string | { fixed: string } | { rows: Record<string, Spec> };

const EMPTY = "Non renseigné";

/**
 * A section as read-only content, when it cannot be changed (submitted, or not reopened by a
 * correction request): the same labels as the form, the choices in words, amounts in euros.
 */
export function SectionSummary<K extends FormSectionKey>({ section, raw, communeNames }: { section: K; raw: SectionRaw[K]; communeNames: ReadonlyMap<string, string> }) {
  const labels = FIELD_LABELS[section];
  const values = raw as Record<string, unknown>;

  const leaf = (key: string, kind: string, value: string) => {
    if (value.trim() === "") return EMPTY;
    if (key.endsWith("communeCode") || key === "communes.code") return communeNames.get(value) ?? value;
    if (CHOICE_LABELS[key]) return CHOICE_LABELS[key][value] ?? value;
    if (kind === "amount") return `${value} €`;
    if (kind === "date") return value.split("-").reverse().join("/");
    return value;
  };

  const field = (key: string, spec: Spec, value: unknown): ReactNode => {
    if (spec === "choices") {
      const chosen = (value as string[]).map((choice) => CHOICE_LABELS[key]?.[choice] ?? choice);
      return chosen.length > 0 ? chosen.join(", ") : EMPTY;
    }
    if (typeof spec === "object" && "fixed" in spec) {
      return (value as string[]).map((typed, year) => `${yearLabel(year)} : ${leaf(key, spec.fixed, typed)}`).join(" ; ");
    }
    if (typeof spec === "object" && "rows" in spec) {
      const rows = value as Array<Record<string, unknown>>;
      if (rows.length === 0) return "Aucun";
      return (
        <ol className="fr-mb-0">
          {rows.map((row, index) => (
            <li key={String(row.key)}>
              <strong>
                {ROW_NAMES[key].one} {index + 1}
              </strong>
              <ul>
                {Object.entries(spec.rows).map(([name, rowSpec]) => (
                  <li key={name}>
                    {labels[`${key}.${name}`] ?? name} : {field(`${key}.${name}`, rowSpec, row[name])}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      );
    }
    return leaf(key, spec, String(value ?? ""));
  };

  return (
    <dl className="mb-section-summary">
      {Object.entries(SECTION_SPECS[section]).map(([key, spec]) => (
        <Fragment key={key}>
          <dt className="fr-text--bold">{labels[key] ?? key}</dt>
          <dd id={`${section}-${key}`}>{field(key, spec, values[key])}</dd>
        </Fragment>
      ))}
    </dl>
  );
}
