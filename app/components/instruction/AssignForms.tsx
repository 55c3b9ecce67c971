import { Form } from "@remix-run/react";
import type { Rubric } from "~db/schema";
import { ErrorSummary, SelectField, SubmitButton, useValidatedForm } from "~/components/forms";
import { AssignSchema } from "~/modules/instruction/schema";
import type { FormReply } from "~/utils/forms.server";
import { rubricName } from "./DossierEvaluations";

export const assignFormId = (rubric: Rubric) => `affecter-${rubric}`;
export const UNASSIGN_FORM_ID = "retirer";

const plural = (count: number, word: string) => `${count} ${word}${count > 1 ? "s" : ""}`;

/** « Confier l'évaluation »: one evaluator among those entitled, in scope and without conflict, with their load. */
export function AssignEvaluatorForm({ rubric, choices, lastResult }: { rubric: Rubric; choices: ReadonlyArray<{ id: string; name: string; load: number }>; lastResult: FormReply | null }) {
  const id = assignFormId(rubric);
  const { fields, formProps, summary } = useValidatedForm({ id, schema: AssignSchema, lastResult, defaultValue: { rubric } });
  const label = `Évaluateur (${rubricName(rubric)})`;
  if (choices.length === 0) {
    return <p className="fr-text--sm">Aucun autre agent habilité à cette grille pour la région du dossier n'est disponible (sans conflit d'intérêts déclaré).</p>;
  }
  return (
    <>
      <ErrorSummary {...summary} labels={{ evaluatorId: label, rubric: "Grille" }} />
      <Form method="post" {...formProps}>
        <input type="hidden" name="intent" value="assign" />
        <input type="hidden" name={fields.rubric.name} value={rubric} />
        <SelectField
          field={fields.evaluatorId}
          label={label}
          hint="Entre parenthèses, les évaluations que chacun a en cours (confiées, pas encore soumises)."
          placeholder="Choisissez un agent"
          options={choices.map((choice) => ({ value: choice.id, label: `${choice.name} (${plural(choice.load, "évaluation")} en cours)` }))}
        />
        <SubmitButton secondary>Confier l'évaluation</SubmitButton>
      </Form>
    </>
  );
}

/** « Retirer »: takes an evaluation back from an evaluator who has not submitted it. */
export function UnassignButton({ rubric, evaluatorId, evaluatorName }: { rubric: Rubric; evaluatorId: string; evaluatorName: string }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="unassign" />
      <input type="hidden" name="rubric" value={rubric} />
      <input type="hidden" name="evaluatorId" value={evaluatorId} />
      <button type="submit" className="fr-btn fr-btn--tertiary fr-btn--sm">
        Retirer<span className="fr-sr-only"> l'évaluation confiée à {evaluatorName}</span>
      </button>
    </Form>
  );
}
