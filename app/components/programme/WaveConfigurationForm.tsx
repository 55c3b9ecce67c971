import type { FieldMetadata } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { ErrorSummary, SubmitButton, TextField, useValidatedForm } from "~/components/forms";
import { quotaField, WaveConfigurationSchema } from "~/modules/calls/waves";
import { REGIONS } from "~/modules/geo/regions";
import type { FormReply } from "~/utils/forms.server";
import { centsToInput } from "~/utils/money";

export const WAVE_CONFIGURATION_FORM = "configuration-vague";

const LABELS: Record<string, string> = {
  opensOn: "Date d'ouverture",
  closesOn: "Date de clôture",
  closingTime: "Heure de clôture",
  budget: "Budget de la vague (€)",
  busTarget: "Objectif de médicobus",
  ...Object.fromEntries(REGIONS.map((region) => [quotaField(region.code), `Quota indicatif — ${region.name}`])),
};

export interface WaveConfigurationValues {
  opensOn: string;
  closesOn: string;
  closingTime: string;
  budgetCents: number;
  busTarget: number;
  regionBusQuotas: Record<string, number>;
}

/**
 * A wave's calendar (wall clock of Paris), money and bus target, and its indicative quotas per
 * région. The browser checks the form's own rules; the server adds those of the envelope, the
 * ledger and the other waves and answers by field.
 */
export function WaveConfigurationForm({ lastResult, current, waveTitle }: { lastResult: FormReply | null; current: WaveConfigurationValues; waveTitle: string }) {
  const { fields, formProps, summary } = useValidatedForm({
    id: WAVE_CONFIGURATION_FORM,
    schema: WaveConfigurationSchema,
    lastResult,
    defaultValue: {
      opensOn: current.opensOn,
      closesOn: current.closesOn,
      closingTime: current.closingTime,
      budget: centsToInput(current.budgetCents),
      busTarget: String(current.busTarget),
      ...Object.fromEntries(Object.entries(current.regionBusQuotas).map(([code, buses]) => [quotaField(code), String(buses)])),
    },
  });
  const field = (name: string) => (fields as unknown as Record<string, FieldMetadata<string | undefined, Record<string, unknown>, string[]>>)[name];
  return (
    <>
      <ErrorSummary {...summary} labels={LABELS} title={summary.form.errors?.length ? "La configuration n'a pas été enregistrée" : undefined} />
      <Form method="post" {...formProps}>
        <fieldset className="fr-fieldset" aria-labelledby="calendrier-legend">
          <legend id="calendrier-legend" className="fr-fieldset__legend">
            Calendrier (heure de Paris)
          </legend>
          <div className="fr-fieldset__element fr-col-12 fr-col-md-4">
            <TextField field={field("opensOn")} label={LABELS.opensOn} hint="Les dépôts sont possibles dès 0 h 00 ce jour-là." type="date" />
          </div>
          <div className="fr-fieldset__element fr-col-12 fr-col-md-4">
            <TextField field={field("closesOn")} label={LABELS.closesOn} type="date" />
          </div>
          <div className="fr-fieldset__element fr-col-12 fr-col-md-4">
            <TextField field={field("closingTime")} label={LABELS.closingTime} hint="Par exemple 12:00 : à cette heure précise, la vague est close." type="time" />
          </div>
        </fieldset>
        <fieldset className="fr-fieldset" aria-labelledby="enveloppe-legend">
          <legend id="enveloppe-legend" className="fr-fieldset__legend">
            Budget et objectif
          </legend>
          <div className="fr-fieldset__element fr-col-12 fr-col-md-6">
            <TextField field={field("budget")} label={LABELS.budget} hint="En euros, par exemple 5 000 000." inputMode="decimal" />
          </div>
          <div className="fr-fieldset__element fr-col-12 fr-col-md-6">
            <TextField field={field("busTarget")} label={LABELS.busTarget} hint="Nombre de médicobus à financer sur la vague." inputMode="numeric" />
          </div>
        </fieldset>
        <fieldset className="fr-fieldset" aria-labelledby="quotas-legend">
          <legend id="quotas-legend" className="fr-fieldset__legend">
            Quotas indicatifs par région (facultatifs)
            <span className="fr-hint-text">En nombre de médicobus. Laissez vide une région sans quota ; leur total ne dépasse pas l'objectif de la {waveTitle.toLowerCase()}.</span>
          </legend>
          {REGIONS.map((region) => (
            <div key={region.code} className="fr-fieldset__element fr-col-12 fr-col-sm-6 fr-col-md-4">
              <TextField field={field(quotaField(region.code))} label={region.name} inputMode="numeric" />
            </div>
          ))}
        </fieldset>
        <SubmitButton>Enregistrer la configuration</SubmitButton>
      </Form>
    </>
  );
}
