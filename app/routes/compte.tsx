import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary, SubmitButton, TextField, useValidatedForm } from "~/components/forms";
import { getUserDetail } from "~/modules/auth/queries.server";
import { grantLabel } from "~/modules/auth/roles";
import { ChangePasswordSchema, PASSWORD_MIN_LENGTH } from "~/modules/auth/schema";
import { changePassword } from "~/modules/auth/service.server";
import { requireUser, startSession } from "~/modules/auth/session.server";
import { formatDateTime } from "~/modules/calls/time";
import { notFound } from "~/utils/errors";
import { invalidSubmission, replyWithError, type FormReply } from "~/utils/forms.server";
import { redirectWithToast } from "~/utils/toast.server";

export const meta: MetaFunction = () => [{ title: "Mon compte — Portail Médicobus" }];

const LABELS = { currentPassword: "Mot de passe actuel", password: "Nouveau mot de passe", confirmation: "Confirmation du mot de passe" };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const account = (await getUserDetail(user.id)) ?? notFound();
  return json({ account });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const submission = parseWithZod(await request.formData(), { schema: ChangePasswordSchema });
  if (submission.status !== "success") return invalidSubmission(submission);
  try {
    await changePassword(user, submission.value);
  } catch (error) {
    return replyWithError(submission, error);
  }
  // Every session ended with the change; this browser continues under a new session id.
  const headers = new Headers({ "Set-Cookie": await startSession(user.id) });
  return redirectWithToast(
    "/compte",
    { title: "Mot de passe modifié", message: "Votre nouveau mot de passe est enregistré. Les sessions ouvertes sur vos autres appareils sont fermées." },
    { headers },
  );
}

export default function Account() {
  const { account } = useLoaderData<typeof loader>();
  const lastResult = useActionData<FormReply>();
  const { fields, formProps, summary } = useValidatedForm({ id: "mot-de-passe", schema: ChangePasswordSchema, lastResult });
  return (
    <div className="fr-container fr-my-6w">
      <h1>Mon compte</h1>
      <div className="fr-grid-row fr-grid-row--gutters">
        <section className="fr-col-12 fr-col-md-6" aria-labelledby="identite">
          <h2 id="identite">Identité</h2>
          <dl>
            <dt className="fr-text--bold fr-mb-0">Nom et prénom</dt>
            <dd className="fr-ml-0 fr-mb-2w">{account.name}</dd>
            <dt className="fr-text--bold fr-mb-0">Adresse électronique</dt>
            <dd className="fr-ml-0 fr-mb-2w">{account.email}</dd>
            <dt className="fr-text--bold fr-mb-0">Compte créé le</dt>
            <dd className="fr-ml-0 fr-mb-2w">{formatDateTime(new Date(account.createdAt))}</dd>
          </dl>
          <h2>Rôles</h2>
          <ul>
            {account.roles.map((grant) => (
              <li key={grant.id}>{grantLabel(grant)}</li>
            ))}
          </ul>
          <p className="fr-text--sm">Pour changer de nom, d'adresse ou de rôle, contactez l'administrateur du portail.</p>
        </section>
        <section className="fr-col-12 fr-col-md-6" aria-labelledby="changer-mot-de-passe">
          <h2 id="changer-mot-de-passe">Changer de mot de passe</h2>
          <ErrorSummary {...summary} labels={LABELS} />
          <Form method="post" {...formProps}>
            <TextField field={fields.currentPassword} label={LABELS.currentPassword} type="password" autoComplete="current-password" />
            <TextField
              field={fields.password}
              label={LABELS.password}
              type="password"
              autoComplete="new-password"
              hint={`Au moins ${PASSWORD_MIN_LENGTH} caractères.`}
            />
            <TextField field={fields.confirmation} label={LABELS.confirmation} type="password" autoComplete="new-password" />
            <SubmitButton>Enregistrer le mot de passe</SubmitButton>
          </Form>
        </section>
      </div>
    </div>
  );
}
