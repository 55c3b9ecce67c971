import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary, SelectField, SubmitButton, TextField, useValidatedForm } from "~/components/forms";
import { orErrorPage } from "~/modules/applications/route-errors.server";
import { requireRole } from "~/modules/auth/session.server";
import { PaymentFormSchema } from "~/modules/budget/schema";
import { dossierPayments, recordPayment } from "~/modules/budget/service.server";
import { formatDateTime } from "~/modules/calls/time";
import { formatEuros, formatInteger } from "~/utils/format";
import { invalidSubmission, replyWithError, type FormReply } from "~/utils/forms.server";
import { centsToInput } from "~/utils/money";
import { redirectWithToast } from "~/utils/toast.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Versements — ${data?.dossier.reference ?? "Dossier"} — Programme — Portail Médicobus` }];

const TRANCHE_LABELS = { advance: "Avance", balance: "Solde" } as const;

/**
 * The payments of a selected dossier: what is committed, paid (advance, balance) and left, and
 * the form that records a tranche. The ledger's rules (app/modules/budget/ledger.ts) refuse a
 * payment above what is left, an advance above the call's share, an advance after the balance.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const manager = await requireRole(request, "program_manager");
  return json(await orErrorPage(dossierPayments(manager, params.reference ?? "")));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const manager = await requireRole(request, "program_manager");
  const reference = params.reference ?? "";
  const submission = parseWithZod(await request.formData(), { schema: PaymentFormSchema });
  if (submission.status !== "success") return invalidSubmission(submission);
  try {
    await recordPayment(manager, reference, submission.value);
  } catch (error) {
    return replyWithError(submission, error);
  }
  return redirectWithToast(`/programme/dossiers/${encodeURIComponent(reference)}/versements`, {
    title: "Versement enregistré",
    message: `${formatEuros(submission.value.amountCents)} versés au titre ${submission.value.tranche === "advance" ? "de l'avance" : "du solde"}, inscrits au registre budgétaire.`,
  });
}

function PaymentForm({ suggested, lastResult }: { suggested: { tranche: string; amount: string; motivation: string }; lastResult: FormReply | null }) {
  const { fields, formProps, summary } = useValidatedForm({ id: "versement", schema: PaymentFormSchema, lastResult, defaultValue: suggested });
  return (
    <>
      <ErrorSummary {...summary} labels={{ tranche: "Tranche", amount: "Montant versé", motivation: "Référence ou commentaire" }} />
      <Form method="post" {...formProps}>
        <SelectField field={fields.tranche} label="Tranche" options={[{ value: "advance", label: "Avance" }, { value: "balance", label: "Solde" }]} />
        <TextField field={fields.amount} label="Montant versé (€)" hint="En euros, par exemple 36 600 ou 36 600,50." />
        <TextField field={fields.motivation} label="Référence ou commentaire (facultatif)" hint="Par exemple le numéro de l'ordre de paiement." />
        <SubmitButton>Enregistrer le versement</SubmitButton>
      </Form>
    </>
  );
}

export default function Payments() {
  const { dossier, position, advanceSharePercent, advanceLeftCents, payments } = useLoaderData<typeof loader>();
  const lastResult = useActionData<FormReply>();
  // The form proposes the next tranche due: what is left of the advance, else the balance.
  const suggested =
    advanceLeftCents > 0
      ? { tranche: "advance", amount: centsToInput(advanceLeftCents), motivation: "" }
      : { tranche: "balance", amount: position.unpaidCents > 0 ? centsToInput(position.unpaidCents) : "", motivation: "" };
  const figures: Array<[string, string]> = [
    ["Engagé", formatEuros(position.committedCents)],
    ["Avance versée", formatEuros(position.advancePaidCents)],
    ["Solde versé", formatEuros(position.balancePaidCents)],
    ["Reste à verser", formatEuros(Math.max(0, position.unpaidCents))],
  ];
  return (
    <>
      <Breadcrumb currentPageLabel={`Versements ${dossier.reference}`} segments={[{ label: "Programme", linkProps: { to: "/programme" } }, { label: "Vagues", linkProps: { to: "/programme/vagues" } }]} />
      <h1>Versements du dossier {dossier.reference}</h1>
      <p className="fr-text--lead">
        {dossier.title || "Dossier sans titre"} — {dossier.organisationName} (<Link to={`/instruction/dossiers/${encodeURIComponent(dossier.reference)}`}>voir le dossier</Link>)
      </p>

      <ul className="fr-grid-row fr-grid-row--gutters fr-raw-list fr-mb-3w">
        {figures.map(([label, value]) => (
          <li key={label} className="fr-col-6 fr-col-md-3">
            <p className="fr-mb-0 fr-text--sm">{label}</p>
            <p className="fr-mb-0 fr-text--lead fr-text--bold">{value}</p>
          </li>
        ))}
      </ul>
      <p>
        L'avance est limitée à {formatInteger(advanceSharePercent)} % de l'engagement et se verse avant le solde ;{" "}
        {advanceLeftCents > 0 ? `il reste ${formatEuros(advanceLeftCents)} d'avance possible.` : "aucune avance n'est plus possible."}
      </p>

      {position.unpaidCents > 0 ? (
        <section aria-labelledby="nouveau-versement" className="fr-mb-6w">
          <h2 id="nouveau-versement">Enregistrer un versement</h2>
          {/* A new payment recorded: a fresh form, proposing the next tranche due. */}
          <PaymentForm key={payments.length} suggested={suggested} lastResult={lastResult ?? null} />
        </section>
      ) : (
        <p className="fr-mb-6w">{position.committedCents > 0 ? "L'engagement est entièrement versé." : "Aucun montant n'est engagé pour ce dossier : il n'y a rien à verser."}</p>
      )}

      <div className="fr-table fr-table--no-scroll">
        <table>
          <caption>Versements enregistrés</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Tranche</th>
              <th scope="col">Montant</th>
              <th scope="col">Par</th>
              <th scope="col">Référence ou commentaire</th>
            </tr>
          </thead>
          <tbody>
            {payments.length === 0 ? (
              <tr>
                <td colSpan={5}>Aucun versement pour l'instant.</td>
              </tr>
            ) : (
              payments.map((payment) => (
                <tr key={payment.id}>
                  <td>{formatDateTime(new Date(payment.at))}</td>
                  <td>{payment.tranche ? TRANCHE_LABELS[payment.tranche] : "—"}</td>
                  <td>{formatEuros(payment.amountCents)}</td>
                  <td>{payment.actorName}</td>
                  <td>{payment.motivation ?? "—"}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
