import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { z } from "zod";
import { DOSSIER_ROUTE_ID, useDossierData, type DossierLayoutData } from "~/components/dossier/DossierData";
import { DossierCheckbox, DossierTextArea } from "~/components/dossier/DossierFields";
import { ErrorSummary, SubmitButton, useValidatedForm } from "~/components/forms";
import { STATUS_LABELS, TRANSITIONS } from "~/modules/applications/lifecycle";
import { withdrawDossier } from "~/modules/applications/service.server";
import { requireRole } from "~/modules/auth/session.server";
import { invalidSubmission, replyWithError, type FormReply } from "~/utils/forms.server";
import { redirectWithToast } from "~/utils/toast.server";

export const meta: MetaFunction = ({ matches }) => {
  const dossier = (matches.find((match) => match.id === DOSSIER_ROUTE_ID)?.data as DossierLayoutData | undefined)?.dossier;
  return [{ title: `Retirer le dossier — ${dossier?.reference ?? "Dossier"} — Portail Médicobus` }];
};

const WithdrawSchema = z.object({
  motivation: z.string({ error: "Indiquez le motif du retrait." }).trim().min(1, "Indiquez le motif du retrait.").max(2000, "2 000 caractères au plus."),
  confirm: z.literal(true, { error: "Cochez la case pour confirmer le retrait." }),
});

const LABELS = { motivation: "Motif du retrait", confirm: "Confirmation" };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "applicant");
  const reference = params.reference ?? "";
  const submission = parseWithZod(await request.formData(), { schema: WithdrawSchema });
  if (submission.status !== "success") return invalidSubmission(submission);
  try {
    await withdrawDossier(user, reference, { motivation: submission.value.motivation });
  } catch (error) {
    return replyWithError(submission, error);
  }
  return redirectWithToast(`/dossiers/${reference}`, { title: "Dossier retiré", message: "Le dossier est retiré : il ne sera pas instruit." });
}

export default function WithdrawDossier() {
  const { dossier } = useDossierData();
  const lastResult = useActionData<FormReply>();
  const { fields, formProps, summary } = useValidatedForm({ id: "retrait", schema: WithdrawSchema, lastResult });
  const allowed = (TRANSITIONS.withdraw.from as readonly string[]).includes(dossier.status);
  return (
    <>
      <h2>Retirer le dossier</h2>
      <ErrorSummary {...summary} labels={LABELS} />
      {!allowed ? (
        <Alert
          severity="info"
          as="h3"
          title="Ce dossier ne peut pas être retiré"
          description={
            dossier.status === "withdrawn"
              ? "Il est déjà retiré."
              : `Il est au statut « ${STATUS_LABELS[dossier.status]} » : une décision définitive a été prise, le retrait n'est plus possible. Pour toute question, écrivez à l'agence régionale de santé depuis la messagerie.`
          }
        />
      ) : (
        <>
          <p>
            Le retrait met fin à la candidature : le dossier ne sera pas instruit{dossier.status === "selected" ? " et la subvention réservée sera libérée" : ""}. Il ne peut pas être annulé ; pour
            candidater à nouveau, il faudra créer un nouveau dossier pendant une vague ouverte.
          </p>
          <Form method="post" {...formProps}>
            <DossierTextArea field={fields.motivation} label={LABELS.motivation} hint="Il figurera dans l'historique du dossier. 2 000 caractères au plus." maxLength={2000} rows={4} />
            <DossierCheckbox field={fields.confirm} legend={LABELS.confirm} label="Je confirme le retrait de ce dossier, qui ne pourra pas être annulé." />
            <ul className="fr-btns-group fr-btns-group--inline-md">
              <li>
                <SubmitButton>Retirer le dossier</SubmitButton>
              </li>
              <li>
                <Button priority="secondary" linkProps={{ to: `/dossiers/${dossier.reference}` }}>
                  Annuler
                </Button>
              </li>
            </ul>
          </Form>
        </>
      )}
    </>
  );
}
