import type { FieldMetadata } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { DossierCheckbox, DossierTextArea } from "~/components/dossier/DossierFields";
import { ErrorSummary, SubmitButton, useValidatedForm } from "~/components/forms";
import { TEXT_MAX_LENGTH } from "~/modules/instruction/schema";
import type { FormReply } from "~/utils/forms.server";
import { AdmitSchema, CORRECTION_MESSAGE_MAX, CorrectionsSchema, IneligibleSchema, REOPENABLE_SECTIONS } from "./AdmissibilitySchemas";

/** The form ids, which the action names in its answer so that only the right form shows it. */
export const ADMISSIBILITY_FORMS = { admit: "recevable", ineligible: "irrecevable", corrections: "corrections" } as const;

const LABELS = {
  motivation: "Motivation",
  confirm: "Confirmation",
  sections: "Parties à rouvrir",
  message: "Message au porteur de projet",
};

const formatted = (count: number) => new Intl.NumberFormat("fr-FR").format(count);

type Reply = FormReply | null;

export function AdmitForm({ lastResult }: { lastResult: Reply }) {
  const { fields, formProps, summary } = useValidatedForm({ id: ADMISSIBILITY_FORMS.admit, schema: AdmitSchema, lastResult });
  return (
    <>
      <ErrorSummary {...summary} labels={LABELS} title={summary.form.errors?.length ? "La décision n'a pas été enregistrée" : undefined} />
      <Form method="post" {...formProps}>
        <input type="hidden" name="intent" value="admit" />
        <DossierTextArea
          field={fields.motivation}
          label={LABELS.motivation}
          hint={`Conservée dans l'historique du dossier. ${formatted(TEXT_MAX_LENGTH)} caractères au plus.`}
          maxLength={TEXT_MAX_LENGTH}
          rows={4}
        />
        <SubmitButton>Déclarer recevable</SubmitButton>
      </Form>
    </>
  );
}

export function IneligibleForm({ lastResult }: { lastResult: Reply }) {
  const { fields, formProps, summary } = useValidatedForm({ id: ADMISSIBILITY_FORMS.ineligible, schema: IneligibleSchema, lastResult });
  return (
    <>
      <ErrorSummary {...summary} labels={LABELS} title={summary.form.errors?.length ? "La décision n'a pas été enregistrée" : undefined} />
      <Form method="post" {...formProps}>
        <input type="hidden" name="intent" value="ineligible" />
        <DossierTextArea
          field={fields.motivation}
          label={LABELS.motivation}
          hint={`Envoyée par courriel aux membres de l'organisation et conservée dans l'historique. ${formatted(TEXT_MAX_LENGTH)} caractères au plus.`}
          maxLength={TEXT_MAX_LENGTH}
          rows={4}
        />
        <DossierCheckbox field={fields.confirm} legend={LABELS.confirm} label="Je confirme que ce dossier est irrecevable. Cette décision met fin à son instruction." />
        <SubmitButton secondary>Déclarer irrecevable</SubmitButton>
      </Form>
    </>
  );
}

/** The checkboxes of the sections to reopen, in a fieldset whose legend names the group. */
function SectionCheckboxes<Form extends Record<string, unknown>>({ field }: { field: FieldMetadata<string[] | undefined, Form, string[]> }) {
  const errors = field.errors ?? [];
  const invalid = errors.length > 0;
  const initial = field.initialValue;
  const checked = new Set(Array.isArray(initial) ? initial : typeof initial === "string" ? [initial] : []);
  const legendId = `${field.id}-legend`;
  const messagesId = `${field.id}-messages`;
  return (
    <fieldset className={`fr-fieldset${invalid ? " fr-fieldset--error" : ""}`} aria-labelledby={`${legendId} ${messagesId}`}>
      <legend id={legendId} className="fr-fieldset__legend fr-text--regular">
        {LABELS.sections}
        <span className="fr-hint-text">Le porteur pourra modifier ces parties, puis déposer à nouveau son dossier.</span>
      </legend>
      {REOPENABLE_SECTIONS.map((section, index) => {
        // The first box carries the field's id: the error summary's link lands on it.
        const id = index === 0 ? field.id : `${field.id}-${section.key}`;
        return (
          <div key={section.key} className="fr-fieldset__element">
            <div className={`fr-checkbox-group${invalid ? " fr-checkbox-group--error" : ""}`}>
              <input key={field.key} type="checkbox" id={id} name={field.name} value={section.key} defaultChecked={checked.has(section.key)} aria-invalid={invalid || undefined} />
              <label className="fr-label" htmlFor={id}>
                {section.title}
              </label>
            </div>
          </div>
        );
      })}
      <div className="fr-messages-group" id={messagesId} aria-live="polite">
        {invalid ? <p className="fr-message fr-message--error">{errors.join(" ")}</p> : null}
      </div>
    </fieldset>
  );
}

export function CorrectionsForm({ lastResult }: { lastResult: Reply }) {
  const { fields, formProps, summary } = useValidatedForm({ id: ADMISSIBILITY_FORMS.corrections, schema: CorrectionsSchema, lastResult });
  return (
    <>
      <ErrorSummary {...summary} labels={LABELS} title={summary.form.errors?.length ? "La demande n'a pas été envoyée" : undefined} />
      <Form method="post" {...formProps}>
        <input type="hidden" name="intent" value="corrections" />
        <SectionCheckboxes field={fields.sections} />
        <DossierTextArea
          field={fields.message}
          label={LABELS.message}
          hint={`Ce qui manque ou doit être corrigé. Le message est envoyé par courriel aux membres de l'organisation et figure dans la messagerie du dossier. ${formatted(CORRECTION_MESSAGE_MAX)} caractères au plus.`}
          maxLength={CORRECTION_MESSAGE_MAX}
          rows={5}
        />
        <SubmitButton secondary>Demander des corrections</SubmitButton>
      </Form>
    </>
  );
}
