import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { Form, Link } from "@remix-run/react";
import { useEffect, useRef, type FormEvent } from "react";
import type { OverrideMode } from "~db/schema";
import { DossierTextArea } from "~/components/dossier/DossierFields";
import { ErrorSummary, SubmitButton, TextField, useValidatedForm } from "~/components/forms";
import { OverrideFormSchema } from "~/modules/budget/schema";
import type { FormReply } from "~/utils/forms.server";
import { formatEuros } from "~/utils/format";
import { centsToInput, parseEuros } from "~/utils/money";

export const OVERRIDE_FORM = "derogation";

export const OVERRIDE_MODE_LABELS: Record<OverrideMode, string> = {
  include: "Inclure le dossier (au-dessus de la ligne de coupure)",
  exclude: "Exclure le dossier du financement",
  amount: "Modifier le montant attribué",
};

const LABELS = { mode: "Dérogation", amount: "Montant attribué", justification: "Justification écrite" };

/** What the manager is typing, simulated live before it is saved. */
export interface DraftOverride {
  reference: string;
  mode: OverrideMode;
  awardedCents: number | null;
}

function readDraft(form: HTMLFormElement, reference: string): DraftOverride | null {
  const data = new FormData(form);
  const mode = data.get("mode");
  if (mode !== "include" && mode !== "exclude" && mode !== "amount") return null;
  const parsed = parseEuros(String(data.get("amount") ?? ""));
  return { reference, mode, awardedCents: mode !== "exclude" && parsed.ok && parsed.cents > 0 ? parsed.cents : null };
}

/**
 * The override of one dossier, inline under its row: include it, exclude it or change its
 * amount, with a written justification the server keeps. Each change of mode or amount is
 * passed up (`onDraft`) so the simulator shows its effect before anything is saved; without
 * JavaScript the form posts and the page shows the server's simulation.
 */
export function SimulatorOverrideForm({
  reference,
  proposedCents,
  requestedCents,
  initial,
  lastResult,
  closeTo,
  onDraft,
  effect,
}: {
  reference: string;
  proposedCents: number;
  requestedCents: number;
  initial: { mode: OverrideMode; awardedCents: number | null; justification: string };
  lastResult: FormReply | null;
  closeTo: string;
  onDraft: (draft: DraftOverride | null) => void;
  /** The simulation's totals with the draft, next to the form (the live region at the top of the page announces them). */
  effect: string;
}) {
  const { fields, formProps, summary } = useValidatedForm({
    id: OVERRIDE_FORM,
    schema: OverrideFormSchema,
    lastResult,
    defaultValue: { reference, mode: initial.mode, amount: initial.awardedCents === null ? "" : centsToInput(initial.awardedCents), justification: initial.justification },
  });
  const headingRef = useRef<HTMLHeadingElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  // The form appears under the row the manager chose: the focus follows, so that the keyboard
  // and the screen reader are where the form is. Its draft is simulated from the start.
  useEffect(() => {
    if (!lastResult) headingRef.current?.focus();
    if (formRef.current) onDraft(readDraft(formRef.current, reference));
    return () => onDraft(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per dossier: the draft then follows the fields.
  }, [reference]);
  const modeErrors = fields.mode.errors ?? [];
  return (
    <div className="fr-p-2w mb-override">
      <h3 className="fr-h6" id={`${OVERRIDE_FORM}-titre`} tabIndex={-1} ref={headingRef}>
        Dérogation pour {reference}
      </h3>
      <p className="fr-text--sm">
        Montant proposé sans dérogation : {formatEuros(proposedCents)} (demandé : {formatEuros(requestedCents)}). La simulation tient compte de votre saisie dès maintenant ; la dérogation n'est conservée qu'une fois
        enregistrée avec sa justification.
      </p>
      <p className="fr-text--sm fr-text--bold fr-mb-3w">{effect}</p>
      <ErrorSummary {...summary} labels={LABELS} title={summary.form.errors?.length ? "La dérogation n'a pas été enregistrée" : undefined} />
      <Form
        method="post"
        {...formProps}
        ref={formRef}
        onChange={(event: FormEvent<HTMLFormElement>) => onDraft(readDraft(event.currentTarget, reference))}
      >
        <input type="hidden" name="intent" value="override" />
        <input type="hidden" name="reference" value={reference} />
        <RadioButtons
          key={fields.mode.key}
          id={fields.mode.id}
          name={fields.mode.name}
          legend={LABELS.mode}
          state={modeErrors.length > 0 ? "error" : "default"}
          stateRelatedMessage={modeErrors.join(" ")}
          options={(Object.keys(OVERRIDE_MODE_LABELS) as OverrideMode[]).map((mode) => ({
            label: OVERRIDE_MODE_LABELS[mode],
            nativeInputProps: { value: mode, defaultChecked: fields.mode.initialValue === mode },
          }))}
        />
        <TextField field={fields.amount} label={LABELS.amount} hint="En euros, par exemple 95 000. Facultatif pour une inclusion (montant proposé), sans objet pour une exclusion." />
        <DossierTextArea field={fields.justification} label={LABELS.justification} hint="Obligatoire : conservée avec la décision et dans le journal d'audit." maxLength={5000} rows={3} />
        <ul className="fr-btns-group fr-btns-group--inline-md">
          <li>
            <SubmitButton>Enregistrer la dérogation</SubmitButton>
          </li>
          <li>
            <Link className="fr-btn fr-btn--tertiary" to={closeTo} preventScrollReset>
              Annuler
            </Link>
          </li>
        </ul>
      </Form>
    </div>
  );
}
