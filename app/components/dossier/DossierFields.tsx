import { Input } from "@codegouvfr/react-dsfr/Input";
import { getTextareaProps, type FieldMetadata } from "@conform-to/react";
import type { ReactNode } from "react";

/**
 * The two field kinds the dossier pages add to app/components/forms.tsx: a DSFR textarea and a
 * single DSFR checkbox in its fieldset, both bound to a conform field, their error next to them
 * and named by aria-describedby.
 */
export function DossierTextArea<Form extends Record<string, unknown>>({
  field,
  label,
  hint,
  maxLength,
  rows = 6,
}: {
  field: FieldMetadata<string | undefined, Form, string[]>;
  label: string;
  hint?: ReactNode;
  maxLength?: number;
  rows?: number;
}) {
  const { key, ...textareaProps } = getTextareaProps(field, { ariaAttributes: false });
  const errors = field.errors ?? [];
  return (
    <Input
      key={key}
      label={label}
      hintText={hint}
      textArea
      state={errors.length > 0 ? "error" : "default"}
      stateRelatedMessage={errors.join(" ")}
      nativeTextAreaProps={{ ...textareaProps, rows, maxLength, "aria-invalid": errors.length > 0 ? true : undefined }}
    />
  );
}

export function DossierCheckbox<Form extends Record<string, unknown>>({
  field,
  legend,
  label,
}: {
  field: FieldMetadata<boolean | string | undefined, Form, string[]>;
  legend: string;
  label: ReactNode;
}) {
  const errors = field.errors ?? [];
  const invalid = errors.length > 0;
  const legendId = `${field.id}-legend`;
  const messagesId = `${field.id}-messages`;
  const errorId = `${field.id}-error`;
  return (
    <fieldset className={`fr-fieldset${invalid ? " fr-fieldset--error" : ""}`} aria-labelledby={`${legendId} ${messagesId}`}>
      <legend id={legendId} className="fr-fieldset__legend fr-text--regular">
        {legend}
      </legend>
      <div className="fr-fieldset__element">
        <div className={`fr-checkbox-group${invalid ? " fr-checkbox-group--error" : ""}`}>
          <input
            key={field.key}
            type="checkbox"
            id={field.id}
            name={field.name}
            defaultChecked={field.initialValue === "on"}
            aria-invalid={invalid || undefined}
            aria-describedby={invalid ? errorId : undefined}
          />
          <label className="fr-label" htmlFor={field.id}>
            {label}
          </label>
          <div className="fr-messages-group" id={messagesId} aria-live="polite">
            {invalid ? (
              <p className="fr-message fr-message--error" id={errorId}>
                {errors.join(" ")}
              </p>
            ) : null}
          </div>
        </div>
      </div>
    </fieldset>
  );
}
