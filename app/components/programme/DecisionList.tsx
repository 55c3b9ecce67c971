import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Form, Link } from "@remix-run/react";
import { Fragment, useEffect, useRef } from "react";
import type { DecisionOutcome } from "~db/schema";
import { DossierTextArea } from "~/components/dossier/DossierFields";
import { ErrorSummary, SubmitButton, useValidatedForm } from "~/components/forms";
import { ReopenFormSchema } from "~/modules/budget/schema";
import { formatDateTime } from "~/modules/calls/time";
import type { FormReply } from "~/utils/forms.server";
import { formatEuros } from "~/utils/format";

export const REOPEN_FORM = "reouverture";

const OUTCOME_LABELS: Record<DecisionOutcome, string> = { selected: "Retenu", waitlisted: "Liste complémentaire", rejected: "Non retenu" };
const OUTCOME_SEVERITY: Record<DecisionOutcome, "success" | "info" | "error"> = { selected: "success", waitlisted: "info", rejected: "error" };

export interface DecisionRow {
  reference: string;
  organisationName: string;
  outcome: DecisionOutcome;
  awardedCents: number | null;
  waitlistRank: number | null;
  motivation: string | null;
  decidedAt: string;
}

function ReopenForm({ reference, lastResult, closeTo }: { reference: string; lastResult: FormReply | null; closeTo: string }) {
  const { fields, formProps, summary } = useValidatedForm({ id: REOPEN_FORM, schema: ReopenFormSchema, lastResult, defaultValue: { reference } });
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (!lastResult) headingRef.current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per dossier shown.
  }, [reference]);
  return (
    <div className="fr-p-2w mb-override">
      <h3 className="fr-h6" tabIndex={-1} ref={headingRef}>
        Rouvrir la décision sur {reference}
      </h3>
      <p className="fr-text--sm">Le dossier revient au statut « Instruit » ; un engagement non versé est libéré. La motivation est conservée dans l'historique du dossier et le journal d'audit.</p>
      <ErrorSummary {...summary} labels={{ motivation: "Motivation de la réouverture" }} title={summary.form.errors?.length ? "La décision n'a pas été rouverte" : undefined} />
      <Form method="post" preventScrollReset {...formProps}>
        <input type="hidden" name="intent" value="reopen" />
        <input type="hidden" name="reference" value={reference} />
        <DossierTextArea field={fields.motivation} label="Motivation de la réouverture" maxLength={5000} rows={3} />
        <ul className="fr-btns-group fr-btns-group--inline-md">
          <li>
            <SubmitButton>Rouvrir la décision</SubmitButton>
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

/** The decisions in force on the wave, each with its reopening form (inline, under its row, when asked for). */
export function DecisionList({ decisions, reopening, reopenHref, closeTo, lastResult }: { decisions: readonly DecisionRow[]; reopening: string | null; reopenHref: (reference: string) => string; closeTo: string; lastResult: FormReply | null }) {
  if (decisions.length === 0) return <p>Aucune décision n'est encore appliquée sur cette vague.</p>;
  return (
    <div className="fr-table fr-table--no-scroll mb-simulator">
      <table>
        <caption>Décisions en vigueur sur la vague</caption>
        <thead>
          <tr>
            <th scope="col">Dossier</th>
            <th scope="col">Décision</th>
            <th scope="col">Montant ou rang</th>
            <th scope="col">Décidée le</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {decisions.map((decision) => (
            <Fragment key={decision.reference}>
              <tr className={reopening === decision.reference ? "mb-editing" : undefined}>
                <th scope="row">
                  <Link to={`/instruction/dossiers/${decision.reference}`}>{decision.reference}</Link>
                  <span className="fr-hint-text">{decision.organisationName}</span>
                </th>
                <td>
                  <Badge severity={OUTCOME_SEVERITY[decision.outcome]} small noIcon as="span">
                    {OUTCOME_LABELS[decision.outcome]}
                  </Badge>
                  {decision.motivation ? <span className="fr-hint-text">{decision.motivation}</span> : null}
                </td>
                <td>{decision.outcome === "selected" && decision.awardedCents !== null ? formatEuros(decision.awardedCents) : decision.outcome === "waitlisted" ? `Rang ${decision.waitlistRank}` : "—"}</td>
                <td>{formatDateTime(new Date(decision.decidedAt))}</td>
                <td>
                  {decision.outcome === "selected" ? (
                    <Link className="fr-link fr-text--sm fr-mr-2w" to={`/programme/dossiers/${encodeURIComponent(decision.reference)}/versements`}>
                      Versements<span className="fr-sr-only"> du dossier {decision.reference}</span>
                    </Link>
                  ) : null}
                  <Link className="fr-link fr-text--sm" to={reopenHref(decision.reference)} preventScrollReset>
                    Rouvrir<span className="fr-sr-only"> la décision sur {decision.reference}</span>
                  </Link>
                </td>
              </tr>
              {reopening === decision.reference ? (
                <tr>
                  <td colSpan={5}>
                    <ReopenForm reference={decision.reference} lastResult={lastResult} closeTo={closeTo} />
                  </td>
                </tr>
              ) : null}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
