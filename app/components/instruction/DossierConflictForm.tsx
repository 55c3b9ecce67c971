import { Form } from "@remix-run/react";
import { DossierTextArea } from "~/components/dossier/DossierFields";
import { ErrorSummary, SubmitButton, useValidatedForm } from "~/components/forms";
import { ConflictSchema, TEXT_MAX_LENGTH } from "~/modules/instruction/schema";
import type { FormReply } from "~/utils/forms.server";

export const CONFLICT_FORM_ID = "conflit";

/** « Déclarer un conflit d'intérêts »: the agent steps aside from scoring this dossier, and says why. */
export function DossierConflictForm({ lastResult }: { lastResult: FormReply | null }) {
  const { fields, formProps, summary } = useValidatedForm({ id: CONFLICT_FORM_ID, schema: ConflictSchema, lastResult });
  return (
    <>
      <ErrorSummary {...summary} labels={{ reason: "Nature du conflit d'intérêts" }} />
      <Form method="post" {...formProps}>
        <input type="hidden" name="intent" value="conflict" />
        <DossierTextArea
          field={fields.reason}
          label="Nature du conflit d'intérêts"
          hint={`Par exemple : lien familial ou professionnel avec le porteur, intérêt personnel dans le projet. ${new Intl.NumberFormat("fr-FR").format(TEXT_MAX_LENGTH)} caractères au plus.`}
          maxLength={TEXT_MAX_LENGTH}
          rows={3}
        />
        <SubmitButton secondary>Déclarer un conflit d'intérêts</SubmitButton>
      </Form>
    </>
  );
}
