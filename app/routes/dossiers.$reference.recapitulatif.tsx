import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { useEffect, useRef, type FormEvent } from "react";
import { z } from "zod";
import { DOSSIER_ROUTE_ID, useDossierData } from "~/components/dossier/DossierData";
import { DossierCheckbox } from "~/components/dossier/DossierFields";
import { DossierSummary } from "~/components/dossier/DossierSummary";
import { MissingList } from "~/components/dossier/MissingList";
import { ErrorSummary, SubmitButton, TextField, useValidatedForm } from "~/components/forms";
import { sectionSchemas } from "~/modules/applications/form";
import { saveSection, submitDossier } from "~/modules/applications/service.server";
import { requireRole } from "~/modules/auth/session.server";
import { formatDateTime } from "~/modules/calls/time";
import { DomainError } from "~/utils/errors";
import { invalidSubmission, replyWithError, type FormReply } from "~/utils/forms.server";
import { publicOrigin } from "~/utils/request.server";
import { redirectWithToast } from "~/utils/toast.server";
import type { DossierLayoutData } from "~/components/dossier/DossierData";

export const meta: MetaFunction = ({ matches }) => {
  const dossier = (matches.find((match) => match.id === DOSSIER_ROUTE_ID)?.data as DossierLayoutData | undefined)?.dossier;
  return [{ title: `Récapitulatif — ${dossier?.reference ?? "Dossier"} — Portail Médicobus` }];
};

/** The engagement as submission requires it (all three fields), with the version the page was loaded with. */
const EngagementSchema = sectionSchemas("complete").engagement.extend({ version: z.number({ error: "Version du dossier manquante : rechargez la page." }).int() });

const LABELS = {
  signatoryName: "Nom et prénom du signataire",
  signatoryCapacity: "Qualité du signataire",
  attests: "Attestation sur l'honneur",
};

type SubmitReply = { formId: "submit"; code: string; message: string };

/**
 * Two forms: the engagement (saved like any section, through saveSection) and the submission.
 * The submission is checked again here whatever the page showed: 422 when something is missing,
 * 409 after the deadline; a replayed POST finds the dossier submitted and changes nothing.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "applicant");
  const reference = params.reference ?? "";
  const formData = await request.formData();
  const here = `/dossiers/${reference}/recapitulatif`;

  if (formData.get("intent") === "submit") {
    let result;
    try {
      result = await submitDossier(user, reference, { origin: publicOrigin(request) });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return json<SubmitReply>({ formId: "submit", code: error.code, message: error.message }, { status: error.status });
    }
    return redirectWithToast(`/dossiers/${reference}`, {
      title: result.alreadySubmitted ? "Dossier déjà déposé" : "Dossier déposé",
      message: `Le dossier ${reference} a été déposé le ${formatDateTime(result.submittedAt)} (heure de Paris). Le récépissé de dépôt est téléchargeable ci-dessous ; il est aussi envoyé par courriel aux membres de l'organisation.`,
    });
  }

  const submission = parseWithZod(formData, { schema: EngagementSchema });
  if (submission.status !== "success") return invalidSubmission(submission, { formId: "engagement" });
  const { version, ...engagement } = submission.value;
  try {
    await saveSection(user, reference, { section: "engagement", data: engagement, version });
  } catch (error) {
    // saveSection names fields by their id in the page (« engagement-signatoryName »); this form by name.
    const renamed =
      error instanceof DomainError
        ? new DomainError(error.code, error.status, error.message, Object.fromEntries(Object.entries(error.fieldErrors).map(([key, messages]) => [key.replace(/^engagement-/, ""), messages])))
        : error;
    return replyWithError(submission, renamed, { formId: "engagement" });
  }
  return redirectWithToast(here, "Engagement enregistré.");
}

function EngagementForm({ data, lastResult }: { data: DossierLayoutData; lastResult: FormReply | null }) {
  const engagement = data.dossier.formData.engagement ?? {};
  const { fields, formProps, summary } = useValidatedForm({
    id: "engagement",
    schema: EngagementSchema,
    lastResult,
    defaultValue: { signatoryName: engagement.signatoryName ?? "", signatoryCapacity: engagement.signatoryCapacity ?? "", attests: engagement.attests ? "on" : undefined, version: String(data.dossier.version) },
  });
  return (
    <>
      <ErrorSummary {...summary} labels={LABELS} />
      <Form method="post" {...formProps}>
        <input type="hidden" name="intent" value="engagement" />
        <input type="hidden" name={fields.version.name} value={data.dossier.version} />
        <TextField field={fields.signatoryName} label={LABELS.signatoryName} autoComplete="name" hint="La personne habilitée à engager la structure." />
        <TextField field={fields.signatoryCapacity} label={LABELS.signatoryCapacity} hint="Par exemple : présidente de la CPTS, maire de la commune." />
        <DossierCheckbox
          field={fields.attests}
          legend={LABELS.attests}
          label="J'atteste sur l'honneur l'exactitude des informations de ce dossier et des pièces jointes, et être habilité(e) à engager la structure."
        />
        <SubmitButton secondary>Enregistrer l'engagement</SubmitButton>
      </Form>
    </>
  );
}

function SubmitPanel({ data, reply }: { data: DossierLayoutData; reply: SubmitReply | null }) {
  const { dossier, missing, wave } = data;
  const navigation = useNavigation();
  const submitting = navigation.state !== "idle" && navigation.formData?.get("intent") === "submit";
  const alertRef = useRef<HTMLDivElement>(null);
  const sent = useRef(false);
  useEffect(() => {
    if (reply) alertRef.current?.focus();
  }, [reply]);
  useEffect(() => {
    if (navigation.state === "idle") sent.current = false;
  }, [navigation.state]);
  const resubmission = dossier.status === "changes_requested";
  // The deadline closes first submissions only: a dossier in correction is sent back whenever it is ready.
  const deadlinePassed = !resubmission && wave.state === "closed";
  const blocked = missing.length > 0;
  const label = resubmission ? "Déposer à nouveau le dossier" : "Déposer le dossier";

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    // A second click before the first answer arrives would post twice; the service would keep one
    // submission anyway, but the page need not ask.
    if (sent.current) event.preventDefault();
    sent.current = true;
  }

  return (
    <section aria-labelledby="depot" className="fr-mb-4w">
      <h3 id="depot">{resubmission ? "Déposer à nouveau" : "Dépôt du dossier"}</h3>
      {reply ? (
        <div ref={alertRef} tabIndex={-1} className="fr-mb-3w">
          <Alert severity="error" role="alert" as="h4" title="Le dossier n'a pas été déposé" description={reply.message} />
        </div>
      ) : null}
      {deadlinePassed ? (
        <Alert
          severity="info"
          as="h4"
          title="La date limite est passée"
          description={`La ${wave.title.toLowerCase()} a fermé le ${formatDateTime(new Date(wave.closesAt))} (heure de Paris) : ce dossier ne peut plus être déposé.`}
        />
      ) : (
        <Form method="post" onSubmit={onSubmit}>
          <input type="hidden" name="intent" value="submit" />
          {blocked ? (
            <p id="depot-explication">
              Le bouton de dépôt s'active quand plus rien ne manque : {missing.length === 1 ? "un point reste" : `${missing.length} points restent`} à compléter (voir la liste ci-dessus).
            </p>
          ) : (
            <p id="depot-explication">
              Une fois déposé, le dossier n'est plus modifiable, sauf si l'agence régionale de santé demande des corrections. Un récépissé de dépôt vous est
              remis.
            </p>
          )}
          <Button
            type="submit"
            iconId="fr-icon-send-plane-line"
            iconPosition="right"
            disabled={blocked || submitting}
            nativeButtonProps={{ id: "deposer-dossier", "aria-describedby": "depot-explication", "aria-busy": submitting || undefined }}
          >
            {submitting ? "Dépôt en cours…" : label}
          </Button>
        </Form>
      )}
    </section>
  );
}

export default function DossierRecap() {
  const data = useDossierData();
  const actionData = useActionData<FormReply | SubmitReply>();
  const { dossier, missing } = data;
  const reference = dossier.reference;
  const open = dossier.status === "draft" || dossier.status === "changes_requested";
  const engagementEditable = data.editable === "all" || (data.editable as string[]).includes("engagement");
  const engagement = dossier.formData.engagement ?? {};
  const engagementMissing = missing.some((item) => item.section === "engagement");
  return (
    <>
      <h2>Récapitulatif</h2>
      <p className="fr-text--lead">Relisez le dossier tel que l'agence régionale de santé le lira.</p>

      {open ? (
        missing.length > 0 ? (
          <div className="fr-alert fr-alert--warning fr-mb-4w">
            <h3 className="fr-alert__title">{missing.length === 1 ? "Un point reste à compléter" : `${missing.length} points restent à compléter`}</h3>
            <p className="fr-mb-1w">Chaque lien mène au champ concerné.</p>
            <MissingList reference={reference} missing={missing} />
          </div>
        ) : (
          <div className="fr-alert fr-alert--success fr-mb-4w">
            <h3 className="fr-alert__title">Le dossier est complet</h3>
            <p>Plus rien ne manque : vous pouvez le déposer en bas de cette page.</p>
          </div>
        )
      ) : (
        <div className="fr-alert fr-alert--info fr-mb-4w">
          <h3 className="fr-alert__title">Dossier déposé</h3>
          <p>
            {dossier.submittedAt ? `Déposé le ${formatDateTime(new Date(dossier.submittedAt))} (heure de Paris). ` : ""}Il n'est plus modifiable.
          </p>
        </div>
      )}

      <DossierSummary data={data} />

      <section aria-labelledby="recapitulatif-engagement" className="fr-mb-5w">
        <h3 id="recapitulatif-engagement" className="fr-mb-1w">
          7. Récapitulatif et engagement
        </h3>
        <p className="fr-mb-2w">
          <span className={`fr-badge fr-badge--sm fr-badge--no-icon ${engagementMissing ? "fr-badge--warning" : "fr-badge--success"}`}>{engagementMissing ? "À compléter" : "Complet"}</span>
        </p>
        {engagementEditable ? (
          <EngagementForm data={data} lastResult={actionData && actionData.formId === "engagement" ? (actionData as FormReply) : null} />
        ) : (
          <div className="fr-table fr-table--no-caption fr-table--layout-fixed">
            <table>
              <caption>Engagement</caption>
              <tbody>
                <tr>
                  <th scope="row">Signataire</th>
                  <td>{engagement.signatoryName ?? "Non renseigné"}</td>
                </tr>
                <tr>
                  <th scope="row">Qualité</th>
                  <td>{engagement.signatoryCapacity ?? "Non renseigné"}</td>
                </tr>
                <tr>
                  <th scope="row">Attestation sur l'honneur</th>
                  <td>{engagement.attests ? "Cochée" : "Non cochée"}</td>
                </tr>
              </tbody>
            </table>
          </div>
        )}
      </section>

      {open ? <SubmitPanel data={data} reply={actionData && actionData.formId === "submit" ? (actionData as SubmitReply) : null} /> : null}
    </>
  );
}
