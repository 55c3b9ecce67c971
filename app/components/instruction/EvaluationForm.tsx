import { Button } from "@codegouvfr/react-dsfr/Button";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import type { FieldMetadata } from "@conform-to/react";
import { Form, Link, useNavigation } from "@remix-run/react";
import { useState, type FormEvent } from "react";
import type { z } from "zod";
import { EVALUATION_AVIS } from "~db/schema/values";
import { DossierTextArea } from "~/components/dossier/DossierFields";
import { ErrorSummary, TextField, useValidatedForm } from "~/components/forms";
import type { Criterion } from "~/modules/calls/schema";
import { AVIS_LABELS, TEXT_MAX_LENGTH } from "~/modules/instruction/schema";
import { MAX_MARK } from "~/modules/instruction/scoring";
import { formatEuros } from "~/utils/format";
import type { FormReply } from "~/utils/forms.server";
import { EVALUATION_FORM_ID, evaluationFieldLabels, evaluationFormSchema, type EvaluationFormInput, type EvaluationIntent } from "./EvaluationFormSchema";
import { EvaluationLiveScore, formatShare, weightShares, type Marks } from "./EvaluationLiveScore";

const MARKS = Array.from({ length: MAX_MARK + 1 }, (_, mark) => mark);
const SCORE_FIELD = /^scores\.([a-z_]+)\.score$/;

export interface EvaluationFormDefaults {
  scores: Record<string, { score: number | null; justification: string }>;
  avis: string | null;
  /** As typed back into the field (« 60 000 »). */
  recommended: string;
  version: number | null;
}

type TextFieldMetadata = FieldMetadata<string | undefined, EvaluationFormInput, string[]>;

/** One criterion: what it assesses and weighs, its mark as six radios that read their descriptor, the justification. */
function CriterionFields({
  criterion,
  position,
  share,
  score,
  justification,
}: {
  criterion: Criterion;
  position: number;
  share: number;
  score: TextFieldMetadata;
  justification: TextFieldMetadata;
}) {
  const headingId = `critere-${criterion.code}`;
  const errors = score.errors ?? [];
  return (
    <section aria-labelledby={headingId} className="fr-mb-5w">
      <h3 id={headingId} className="fr-h5 fr-mb-1w">
        {position}. {criterion.label}
      </h3>
      {criterion.description ? <p className="fr-mb-1w">{criterion.description}</p> : null}
      <p className="fr-text--sm fr-mb-2w">
        Poids : <strong>{criterion.weight}</strong> ({formatShare(share)} de la note de la grille)
      </p>
      <RadioButtons
        key={score.key}
        // The summary's links land on the group.
        id={score.id}
        name={score.name}
        legend={`Note du critère « ${criterion.label} »`}
        hintText={`De 0 à ${MAX_MARK} : chaque niveau dit ce qu'il signifie.`}
        state={errors.length > 0 ? "error" : "default"}
        stateRelatedMessage={errors.join(" ")}
        options={MARKS.map((mark) => ({
          label: `${mark} sur ${MAX_MARK}`,
          hintText: criterion.descriptors[mark],
          nativeInputProps: {
            value: String(mark),
            defaultChecked: score.initialValue === String(mark),
            "aria-invalid": errors.length > 0 || undefined,
          },
        }))}
      />
      <DossierTextArea
        field={justification}
        label={`Justification de la note « ${criterion.label} »`}
        hint="Ce qui, dans le dossier, fonde la note : le comité la lira."
        maxLength={TEXT_MAX_LENGTH}
        rows={4}
      />
    </section>
  );
}

function PendingButton({ intent, label, pendingLabel, secondary = false, describedBy }: { intent: EvaluationIntent; label: string; pendingLabel: string; secondary?: boolean; describedBy?: string }) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const mine = busy && navigation.formData?.get("intent") === intent;
  return (
    <Button
      type="submit"
      priority={secondary ? "secondary" : "primary"}
      disabled={busy}
      // The value goes on Button itself: react-dsfr writes its own `value` prop over nativeButtonProps.value.
      value={intent}
      nativeButtonProps={{ name: "intent", "aria-describedby": describedBy, "aria-busy": mine || undefined }}
    >
      {mine ? pendingLabel : label}
    </Button>
  );
}

/**
 * The evaluation form of one evaluator for one grid: a mark and a justification per criterion,
 * the avis, the recommended amount, and the weighted score recomputed as marks are chosen.
 * « edit »: save a draft or submit (which locks it). « amend »: change a submitted evaluation,
 * with a reason. Posts plainly (works without JavaScript); with it, conform checks fields as
 * they are left and the whole form before posting.
 */
export function EvaluationForm({
  mode,
  criteria,
  requestedCents,
  defaults,
  lastResult,
  cancelHref,
}: {
  mode: "edit" | "amend";
  criteria: readonly Criterion[];
  requestedCents: number;
  defaults: EvaluationFormDefaults;
  lastResult: FormReply | null;
  cancelHref: string;
}) {
  const { fields, formProps, summary } = useValidatedForm({
    id: EVALUATION_FORM_ID,
    // why the cast: conform reads the fields back as the page holds them (text); the schema's own
    // input type (numbers, unions by intent) describes what it accepts, not what the page shows.
    schema: evaluationFormSchema(criteria, requestedCents) as unknown as z.ZodType<unknown, EvaluationFormInput>,
    lastResult,
    defaultValue: {
      scores: Object.fromEntries(
        criteria.map((criterion) => {
          const saved = defaults.scores[criterion.code];
          return [criterion.code, { score: saved?.score === null || saved?.score === undefined ? undefined : String(saved.score), justification: saved?.justification ?? "" }];
        }),
      ),
      avis: defaults.avis ?? undefined,
      recommended: defaults.recommended,
    },
  });
  const [marks, setMarks] = useState<Marks>(() => Object.fromEntries(criteria.map((criterion) => [criterion.code, defaults.scores[criterion.code]?.score ?? null])));
  const scoreFields = fields.scores.getFieldset();
  const shares = weightShares(criteria);
  const avisErrors = fields.avis.errors ?? [];

  function onChange(event: FormEvent<HTMLFormElement>) {
    const input = event.target as HTMLInputElement;
    const match = SCORE_FIELD.exec(input.name);
    if (match && input.type === "radio" && input.checked) setMarks((current) => ({ ...current, [match[1]]: Number(input.value) }));
  }

  return (
    <>
      <ErrorSummary {...summary} labels={evaluationFieldLabels(criteria)} />
      <Form method="post" {...formProps} onChange={onChange}>
        {defaults.version !== null ? <input type="hidden" name="version" value={defaults.version} /> : null}
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-lg-8">
            <p className="fr-hint-text">Tous les champs sont nécessaires pour soumettre ; un brouillon peut rester incomplet.</p>
            {criteria.map((criterion, index) => {
              const criterionFields = scoreFields[criterion.code].getFieldset();
              return (
                <CriterionFields
                  key={criterion.code}
                  criterion={criterion}
                  position={index + 1}
                  share={shares[criterion.code]}
                  score={criterionFields.score as TextFieldMetadata}
                  justification={criterionFields.justification as TextFieldMetadata}
                />
              );
            })}

            <section aria-labelledby="avis-montant" className="fr-mb-4w">
              <h3 id="avis-montant" className="fr-h5">
                Avis et montant recommandé
              </h3>
              <RadioButtons
                key={fields.avis.key}
                id={fields.avis.id}
                name={fields.avis.name}
                legend="Avis sur le projet"
                orientation="horizontal"
                state={avisErrors.length > 0 ? "error" : "default"}
                stateRelatedMessage={avisErrors.join(" ")}
                options={EVALUATION_AVIS.map((avis) => ({
                  label: AVIS_LABELS[avis],
                  nativeInputProps: { value: avis, defaultChecked: fields.avis.initialValue === avis, "aria-invalid": avisErrors.length > 0 || undefined },
                }))}
              />
              <TextField
                field={fields.recommended}
                label="Montant de subvention recommandé, en euros"
                hint={`Montant demandé par le porteur : ${formatEuros(requestedCents)}. Le montant recommandé ne peut pas le dépasser. Par exemple : 60 000.`}
              />
            </section>

            {mode === "amend" ? (
              <>
                <DossierTextArea
                  field={fields.reason}
                  label="Motif de l'amendement"
                  hint="Pourquoi l'évaluation soumise change. Le motif et l'évaluation précédente sont conservés dans l'historique."
                  maxLength={TEXT_MAX_LENGTH}
                  rows={4}
                />
                <ul className="fr-btns-group fr-btns-group--inline-md">
                  <li>
                    <PendingButton intent="amend" label="Enregistrer l'amendement" pendingLabel="Enregistrement…" />
                  </li>
                  <li>
                    <Link className="fr-btn fr-btn--secondary" to={cancelHref}>
                      Annuler
                    </Link>
                  </li>
                </ul>
              </>
            ) : (
              <>
                <div className="fr-notice fr-notice--info fr-mb-3w">
                  <div className="fr-container">
                    <div className="fr-notice__body">
                      <p className="fr-notice__title" id="soumission-explication">
                        Une évaluation soumise est verrouillée : elle ne se modifie plus que par un amendement motivé, conservé dans l'historique.
                      </p>
                    </div>
                  </div>
                </div>
                <ul className="fr-btns-group fr-btns-group--inline-md">
                  <li>
                    <PendingButton intent="save" label="Enregistrer le brouillon" pendingLabel="Enregistrement…" secondary />
                  </li>
                  <li>
                    <PendingButton intent="submit" label="Soumettre l'évaluation" pendingLabel="Soumission…" describedBy="soumission-explication" />
                  </li>
                </ul>
              </>
            )}
          </div>
          <div className="fr-col-12 fr-col-lg-4">
            <div style={{ position: "sticky", top: "1rem" }}>
              <EvaluationLiveScore criteria={criteria} marks={marks} />
            </div>
          </div>
        </div>
      </Form>
    </>
  );
}
