import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ErrorSummary, SubmitButton, useValidatedForm } from "~/components/forms";
import { NarrowPage } from "~/components/NarrowPage";
import { listDossiersForMember } from "~/modules/applications/queries.server";
import { createDraft } from "~/modules/applications/service.server";
import { requireRole } from "~/modules/auth/session.server";
import { getPublicCall } from "~/modules/calls/service.server";
import { formatDate, formatDateTime } from "~/modules/calls/time";
import { ORGANISATION_KIND_LABELS } from "~/modules/organisations/labels";
import { invalidSubmission, replyWithError, type FormReply } from "~/utils/forms.server";
import { redirectWithToast } from "~/utils/toast.server";

export const meta: MetaFunction = () => [{ title: "Nouveau dossier — Portail Médicobus" }];

const NewDossierSchema = z.object({
  organisationId: z.string({ error: "Choisissez l'organisation qui porte le projet." }).min(1, "Choisissez l'organisation qui porte le projet.").max(64),
});

const CREATE_ORGANISATION = "/organisations/nouvelle?retour=/dossiers/nouveau";

/** No open wave is not an error of the page: it says so, with the status that fits (409). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "applicant");
  const [{ organisations }, call] = await Promise.all([listDossiersForMember(user), getPublicCall()]);
  const openWave = call?.waves.find((wave) => wave.state === "open") ?? null;
  const nextWave = call?.waves.find((wave) => wave.state === "upcoming") ?? null;
  return json(
    {
      organisations: organisations.map((organisation) => ({ id: organisation.id, name: organisation.name, kind: organisation.kind, siret: organisation.siret })),
      openWave: openWave && { title: openWave.title, closesAt: openWave.closesAt },
      nextWave: nextWave && { title: nextWave.title, opensOn: nextWave.opensOn },
    },
    { status: openWave ? 200 : 409 },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "applicant");
  const submission = parseWithZod(await request.formData(), { schema: NewDossierSchema });
  if (submission.status !== "success") return invalidSubmission(submission);
  const call = await getPublicCall();
  if (!call) return json({ ...submission.reply({ formErrors: ["Aucun appel à projets n'est publié : le dossier ne peut pas être créé."] }), code: "no_call" }, { status: 409 });
  let draft;
  try {
    draft = await createDraft(user, { organisationId: submission.value.organisationId, callId: call.id });
  } catch (error) {
    return replyWithError(submission, error);
  }
  return redirectWithToast(`/dossiers/${draft.reference}/porteur`, {
    title: `Dossier ${draft.reference} créé`,
    message: "Il est enregistré en brouillon au fil de la saisie. Commencez par le porteur et les partenaires du projet.",
  });
}

export default function NewDossier() {
  const { organisations, openWave, nextWave } = useLoaderData<typeof loader>();
  const lastResult = useActionData<FormReply>();
  const { fields, formProps, summary } = useValidatedForm({
    id: "nouveau-dossier",
    schema: NewDossierSchema,
    lastResult,
    defaultValue: { organisationId: organisations.length === 1 ? organisations[0].id : undefined },
  });
  const chosen = fields.organisationId.initialValue;
  const errors = fields.organisationId.errors ?? [];

  if (!openWave) {
    return (
      <NarrowPage title="Nouveau dossier">
        <Alert
          severity="info"
          as="h2"
          title="Aucune vague de dépôt n'est ouverte"
          description={
            nextWave
              ? `Les dossiers ne peuvent être créés que pendant une vague de dépôt. La ${nextWave.title.toLowerCase()} ouvre le ${formatDate(nextWave.opensOn)}.`
              : "Les dossiers ne peuvent être créés que pendant une vague de dépôt, et aucune n'est prévue pour le moment."
          }
        />
        <p className="fr-mt-4w">
          <Link to="/mon-espace">Retour à mon espace</Link>
        </p>
      </NarrowPage>
    );
  }

  return (
    <NarrowPage
      title="Nouveau dossier"
      lead={`Le dossier est déposé au nom d'une organisation. ${openWave.title} : dépôt jusqu'au ${formatDateTime(new Date(openWave.closesAt))} (heure de Paris).`}
    >
      {organisations.length === 0 ? (
        <div className="fr-callout">
          <h2 className="fr-callout__title">Créez d'abord votre organisation</h2>
          <p className="fr-callout__text">
            Un dossier est porté par une CPTS, un centre de santé, une maison de santé ou une collectivité. Enregistrez-la avec son SIRET : vous reviendrez ensuite ici.
          </p>
          <Button linkProps={{ to: CREATE_ORGANISATION }}>Créer une organisation</Button>
        </div>
      ) : (
        <>
          <ErrorSummary {...summary} labels={{ organisationId: "Organisation" }} />
          <Form method="post" {...formProps}>
            <RadioButtons
              id={fields.organisationId.id}
              name={fields.organisationId.name}
              legend="Organisation qui porte le projet"
              state={errors.length > 0 ? "error" : "default"}
              stateRelatedMessage={errors.join(" ")}
              options={organisations.map((organisation) => ({
                label: organisation.name,
                hintText: `${ORGANISATION_KIND_LABELS[organisation.kind]} — SIRET ${organisation.siret}`,
                nativeInputProps: { value: organisation.id, defaultChecked: chosen === organisation.id, required: true },
              }))}
            />
            <p>
              Votre structure n'est pas dans la liste ? <Link to={CREATE_ORGANISATION}>Créer une organisation</Link>
            </p>
            <SubmitButton>Créer le dossier</SubmitButton>
          </Form>
        </>
      )}
    </NarrowPage>
  );
}
