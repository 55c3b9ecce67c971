import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Form, Link, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import type { DecisionPlan, PlannedDossier } from "~/modules/budget/decision-plan";
import { formatEuros, formatInteger } from "~/utils/format";

/** Field name of a rejected dossier's own motivation. */
export const motivationField = (reference: string) => `motivation-${reference}`;

/** The action's answer when it refuses: the message, the fields in error, and what was typed (kept without JavaScript too). */
export interface DecisionReply {
  status: "error";
  error: Record<string, string[]>;
  values: Record<string, string>;
}

const plural = (count: number, one: string, many: string) => `${formatInteger(count)} ${count > 1 ? many : one}`;

function DossierList({ caption, dossiers, amount }: { caption: string; dossiers: readonly PlannedDossier[]; amount: (dossier: PlannedDossier) => string }) {
  if (dossiers.length === 0) return null;
  return (
    <div className="fr-table fr-table--no-scroll">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Rang au classement</th>
            <th scope="col">Dossier</th>
            <th scope="col">Porteur</th>
            <th scope="col">Montant ou rang</th>
          </tr>
        </thead>
        <tbody>
          {dossiers.map((dossier) => (
            <tr key={dossier.reference}>
              <td>{dossier.rank}</td>
              <th scope="row">{dossier.reference}</th>
              <td>{dossier.organisationName}</td>
              <td>{amount(dossier)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The confirmation step of « Appliquer la décision »: what will happen, in counts and amounts,
 * dossier by dossier; the common motivation of the refusals and each one's own (optional,
 * replaces the common one). The fingerprint makes the server refuse (409) a decision that no
 * longer matches what was shown here.
 */
export function DecisionConfirmation({ plan, fingerprint, balance, reply, backTo }: { plan: DecisionPlan; fingerprint: string; balance: { remainingCents: number; busesRemaining: number }; reply: DecisionReply | null; backTo: string }) {
  const summaryRef = useRef<HTMLDivElement>(null);
  const navigation = useNavigation();
  const pending = navigation.state === "submitting";
  useEffect(() => {
    if (reply) summaryRef.current?.focus();
  }, [reply]);
  const values = reply?.values ?? {};
  const commonErrors = reply?.error.commonMotivation ?? [];
  const blocked = plan.toFix.length > 0;
  const nothing = plan.selected.length + plan.waitlisted.length + plan.rejected.length === 0;
  return (
    <>
      {reply ? (
        <div ref={summaryRef} tabIndex={-1} role="alert" className="fr-alert fr-alert--error fr-mb-4w" id="decision-summary">
          <h2 className="fr-alert__title">La décision n'a pas été appliquée</h2>
          <p>{reply.error[""]?.[0]}</p>
          {commonErrors.length > 0 ? (
            <ul className="fr-mt-1w">
              <li>
                <a href="#commonMotivation">Motivation commune des refus : {commonErrors[0]}</a>
              </li>
            </ul>
          ) : null}
        </div>
      ) : null}
      <div className="fr-callout fr-mb-4w">
        <h2 className="fr-callout__title fr-h5">Ce qui va se passer</h2>
        <ul className="fr-callout__text fr-text--md">
          <li>
            <strong>{plural(plan.selected.length, "dossier retenu", "dossiers retenus")}</strong> pour <strong>{formatEuros(plan.selectedCents)}</strong>, engagés sur la vague (reste à engager aujourd'hui :{" "}
            {formatEuros(balance.remainingCents)} et {formatInteger(balance.busesRemaining)} médicobus) ;
          </li>
          <li>
            <strong>{plural(plan.waitlisted.length, "dossier", "dossiers")} en liste complémentaire</strong>
            {plan.kept.length > 0 ? `, et ${plural(plan.kept.length, "dossier qui y reste", "dossiers qui y restent")} avec son rang` : ""} ;
          </li>
          <li>
            <strong>{plural(plan.rejected.length, "dossier non retenu", "dossiers non retenus")}</strong>, avec la motivation écrite ci-dessous.
          </li>
        </ul>
        <p className="fr-mb-0">Tout est appliqué ensemble ou rien : statuts, historique des dossiers, décisions, engagements dans le registre budgétaire et journal d'audit.</p>
      </div>

      {blocked ? (
        <div className="fr-mb-4w">
          <Alert
            severity="error"
            small
            description={`Montant à corriger avant d'appliquer : ${plan.toFix.map((dossier) => `${dossier.reference} (${dossier.reason ?? ""})`).join(" ; ")}. Revenez au classement et fixez son montant par une dérogation.`}
          />
        </div>
      ) : null}

      <DossierList caption="Dossiers retenus" dossiers={plan.selected} amount={(dossier) => formatEuros(dossier.awardedCents)} />
      <DossierList caption="Dossiers inscrits en liste complémentaire" dossiers={plan.waitlisted} amount={(dossier) => `Rang ${dossier.waitlistRank}`} />

      <Form method="post">
        <input type="hidden" name="fingerprint" value={fingerprint} />
        {plan.rejected.length > 0 ? (
          <fieldset className="fr-fieldset" aria-labelledby="refus-legend">
            <legend id="refus-legend" className="fr-fieldset__legend">
              Dossiers non retenus et motivation
            </legend>
            <div className="fr-fieldset__element">
              <Input
                label="Motivation commune des refus"
                hintText="Envoyée à chaque porteur non retenu, sauf si vous écrivez une motivation propre à son dossier ci-dessous."
                textArea
                state={commonErrors.length > 0 ? "error" : "default"}
                stateRelatedMessage={commonErrors.join(" ")}
                nativeTextAreaProps={{ id: "commonMotivation", name: "commonMotivation", rows: 4, maxLength: 5000, defaultValue: values.commonMotivation ?? "", "aria-invalid": commonErrors.length > 0 || undefined }}
              />
            </div>
            {plan.rejected.map((dossier) => (
              <div className="fr-fieldset__element" key={dossier.reference}>
                <Input
                  label={`Motivation propre à ${dossier.reference} (${dossier.organisationName}) — facultative`}
                  hintText={dossier.reason ? `Raison dans la simulation : ${dossier.reason}` : undefined}
                  textArea
                  nativeTextAreaProps={{ name: motivationField(dossier.reference), rows: 2, maxLength: 5000, defaultValue: values[motivationField(dossier.reference)] ?? "" }}
                />
              </div>
            ))}
          </fieldset>
        ) : null}
        <ul className="fr-btns-group fr-btns-group--inline-md">
          {!blocked && !nothing ? (
            <li>
              <button type="submit" className="fr-btn" disabled={pending} aria-busy={pending || undefined}>
                Confirmer et appliquer la décision
              </button>
            </li>
          ) : null}
          <li>
            <Link className="fr-btn fr-btn--secondary" to={backTo}>
              Revenir au classement
            </Link>
          </li>
        </ul>
      </Form>
    </>
  );
}
