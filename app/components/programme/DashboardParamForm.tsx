import { Button } from "@codegouvfr/react-dsfr/Button";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Form } from "@remix-run/react";
import { PARAM_LABELS, type DashboardParams } from "~/modules/programme/dashboard";

export const paramFieldId = (name: keyof DashboardParams) => `tableau-${name}`;

/**
 * One GET parameter of the dashboard chosen with a select and a button: it works without
 * JavaScript, and the other parameter rides along in a hidden field so that choosing a wave does
 * not reset the map, nor the reverse.
 */
export function DashboardParamForm({
  name,
  value,
  choices,
  keep,
  error,
  button,
  anchor,
}: {
  name: keyof DashboardParams;
  value: string;
  choices: ReadonlyArray<{ value: string; label: string }>;
  keep: Partial<Record<keyof DashboardParams, string>>;
  error?: string;
  button: string;
  /** Where the page scrolls back to after the choice (the section's heading). */
  anchor: string;
}) {
  return (
    <Form method="get" action={`/programme#${anchor}`} preventScrollReset className="fr-mb-3w">
      {Object.entries(keep).map(([key, kept]) => (kept ? <input key={key} type="hidden" name={key} value={kept} /> : null))}
      <div style={{ display: "flex", flexWrap: "wrap", alignItems: "flex-end", columnGap: "1rem" }}>
        <Select
          key={value}
          label={PARAM_LABELS[name]}
          className="fr-mb-1w"
          state={error ? "error" : "default"}
          stateRelatedMessage={error}
          nativeSelectProps={{ id: paramFieldId(name), name, defaultValue: value, "aria-invalid": error ? true : undefined }}
        >
          {choices.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </Select>
        <Button type="submit" priority="secondary" className="fr-mb-1w">
          {button}
        </Button>
      </div>
    </Form>
  );
}
