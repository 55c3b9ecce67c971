import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ORGANISATION_KINDS } from "~db/schema/values";
import { ErrorSummary, SubmitButton, TextField, useValidatedForm } from "~/components/forms";
import { CommuneCombobox } from "~/components/organisation/CommuneCombobox";
import { safeRedirectPath } from "~/modules/auth/schema";
import { requireRole } from "~/modules/auth/session.server";
import { ORGANISATION_KIND_LABELS } from "~/modules/organisations/labels";
import { OrganisationSchema } from "~/modules/organisations/schema";
import { createOrganisation } from "~/modules/organisations/service.server";
import { invalidSubmission, replyWithError, type FormReply } from "~/utils/forms.server";
import { redirectWithToast } from "~/utils/toast.server";

export const meta: MetaFunction = () => [{ title: "Créer une organisation — Portail Médicobus" }];

const LABELS = {
  kind: "Type de structure",
  name: "Nom de la structure",
  siret: "SIRET",
  seatCommuneCode: "Commune du siège",
  contactName: "Nom du contact",
  contactEmail: "Adresse électronique du contact",
  contactPhone: "Téléphone du contact",
};

// The labels are written to sit inside a sentence (« une CPTS », « un centre de santé »); as choices they start with a capital.
const KIND_OPTIONS = ORGANISATION_KINDS.map((kind) => {
  const label = ORGANISATION_KIND_LABELS[kind];
  return { value: kind, label: label.charAt(0).toUpperCase() + label.slice(1) };
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "applicant");
  // Where the person came from (e.g. the new-dossier page), to go back there once it exists.
  const retour = safeRedirectPath(new URL(request.url).searchParams.get("retour"), "");
  return json({ retour });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "applicant");
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: OrganisationSchema });
  if (submission.status !== "success") return invalidSubmission(submission);
  let organisation;
  try {
    organisation = await createOrganisation(user, submission.value);
  } catch (error) {
    return replyWithError(submission, error);
  }
  return redirectWithToast(safeRedirectPath(formData.get("retour"), `/organisations/${organisation.id}`), {
    title: "Organisation créée",
    message: `${organisation.name} est enregistrée ; vous en êtes responsable et pouvez inviter des co-éditeurs.`,
  });
}

export default function NewOrganisation() {
  const { retour } = useLoaderData<typeof loader>();
  const lastResult = useActionData<FormReply>();
  const { fields, formProps, summary } = useValidatedForm({ id: "organisation", schema: OrganisationSchema, lastResult });
  const kindErrors = fields.kind.errors ?? [];
  return (
    <div className="fr-container fr-my-6w">
      <nav role="navigation" className="fr-breadcrumb" aria-label="vous êtes ici :">
        <ol className="fr-breadcrumb__list">
          <li>
            <Link className="fr-breadcrumb__link" to="/mon-espace">
              Mon espace
            </Link>
          </li>
          <li>
            <a className="fr-breadcrumb__link" aria-current="page">
              Créer une organisation
            </a>
          </li>
        </ol>
      </nav>
      <div className="fr-grid-row">
        <div className="fr-col-12 fr-col-md-10 fr-col-lg-8">
          <h1>Créer une organisation</h1>
          <p className="fr-text--lead">
            L'organisation est le porteur du projet : la structure qui dépose le dossier de candidature. Vous en serez le
            responsable et pourrez inviter des co-éditeurs.
          </p>
          <ErrorSummary {...summary} labels={LABELS} />
          <Form method="post" {...formProps}>
            <input type="hidden" name="retour" value={retour} />
            <p className="fr-hint-text">Tous les champs sont obligatoires sauf mention contraire.</p>
            <RadioButtons
              id={fields.kind.id}
              legend={LABELS.kind}
              name={fields.kind.name}
              state={kindErrors.length > 0 ? "error" : "default"}
              stateRelatedMessage={kindErrors.join(" ")}
              options={KIND_OPTIONS.map((option) => ({
                label: option.label,
                nativeInputProps: {
                  value: option.value,
                  defaultChecked: fields.kind.initialValue === option.value,
                  "aria-invalid": kindErrors.length > 0 || undefined,
                },
              }))}
            />
            <TextField field={fields.name} label={LABELS.name} autoComplete="organization" hint="Par exemple : CPTS du Perche ornais" />
            <TextField
              field={fields.siret}
              label={LABELS.siret}
              hint="14 chiffres, espaces permis, par exemple 732 829 320 00074. Vous le trouvez sur annuaire-entreprises.data.gouv.fr."
            />
            <CommuneCombobox field={fields.seatCommuneCode} label={LABELS.seatCommuneCode} fallbackLabel="Code INSEE de la commune du siège" />
            <fieldset className="fr-fieldset fr-mt-4w" aria-labelledby="organisation-contact-legend">
              <legend id="organisation-contact-legend" className="fr-fieldset__legend">
                Contact pour le dossier (facultatif)
                <span className="fr-hint-text">La personne que l'ARS peut joindre au sujet de la candidature.</span>
              </legend>
              <div className="fr-fieldset__element">
                <TextField field={fields.contactName} label={`${LABELS.contactName} (facultatif)`} autoComplete="name" />
              </div>
              <div className="fr-fieldset__element">
                <TextField
                  field={fields.contactEmail}
                  label={`${LABELS.contactEmail} (facultatif)`}
                  type="email"
                  autoComplete="email"
                  hint="Format attendu : nom@exemple.fr"
                />
              </div>
              <div className="fr-fieldset__element">
                <TextField
                  field={fields.contactPhone}
                  label={`${LABELS.contactPhone} (facultatif)`}
                  autoComplete="tel"
                  hint="Par exemple : 02 33 00 00 00"
                />
              </div>
            </fieldset>
            <ul className="fr-btns-group fr-btns-group--inline-md">
              <li>
                <SubmitButton>Créer l'organisation</SubmitButton>
              </li>
              <li>
                <Link className="fr-btn fr-btn--secondary" to={retour || "/mon-espace"}>
                  Annuler
                </Link>
              </li>
            </ul>
          </Form>
        </div>
      </div>
    </div>
  );
}
