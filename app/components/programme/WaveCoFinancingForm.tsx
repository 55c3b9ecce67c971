import { Form } from "@remix-run/react";
import { ErrorSummary, SubmitButton, TextField, useValidatedForm } from "~/components/forms";
import { CoFinancingSchema } from "~/modules/calls/waves";
import type { FormReply } from "~/utils/forms.server";

export const CO_FINANCING_FORM = "cofinancement";

const LABELS = { stateShareMin: "Part minimale de l'État (%)", stateShareMax: "Part maximale de l'État (%)", advanceShare: "Avance versée à la notification (%)" };

const typed = (value: number) => String(value).replace(".", ",");

/** The call's co-financing rules: the band of the State's share of a project's cost, and the advance's share of an award. */
export function WaveCoFinancingForm({ lastResult, current }: { lastResult: FormReply | null; current: { stateSharePercent: { min: number; max: number }; advanceSharePercent: number } }) {
  const { fields, formProps, summary } = useValidatedForm({
    id: CO_FINANCING_FORM,
    schema: CoFinancingSchema,
    lastResult,
    defaultValue: { stateShareMin: typed(current.stateSharePercent.min), stateShareMax: typed(current.stateSharePercent.max), advanceShare: typed(current.advanceSharePercent) },
  });
  return (
    <>
      <ErrorSummary {...summary} labels={LABELS} title={summary.form.errors?.length ? "Les règles n'ont pas été enregistrées" : undefined} />
      <Form method="post" {...formProps}>
        <input type="hidden" name="intent" value="co-financing" />
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-4">
            <TextField field={fields.stateShareMin} label={LABELS.stateShareMin} hint="Du coût total du projet, par exemple 30." />
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <TextField field={fields.stateShareMax} label={LABELS.stateShareMax} hint="Du coût total du projet, par exemple 50." />
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <TextField field={fields.advanceShare} label={LABELS.advanceShare} hint="Du montant attribué ; le solde est versé ensuite." />
          </div>
        </div>
        <div className="fr-mt-2w">
          <SubmitButton secondary>Enregistrer les règles de cofinancement</SubmitButton>
        </div>
      </Form>
    </>
  );
}
