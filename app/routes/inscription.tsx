import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { ErrorSummary, SubmitButton, TextField, useValidatedForm } from "~/components/forms";
import { NarrowPage } from "~/components/NarrowPage";
import { homePathFor } from "~/modules/auth/roles";
import { PASSWORD_MIN_LENGTH, RegisterSchema } from "~/modules/auth/schema";
import { registerApplicant } from "~/modules/auth/service.server";
import { getOptionalUser } from "~/modules/auth/session.server";
import { invalidSubmission, replyWithError, type FormReply } from "~/utils/forms.server";
import { requestContext } from "~/utils/request.server";
import { redirectWithToast } from "~/utils/toast.server";

export const meta: MetaFunction = () => [{ title: "Créer un compte — Portail Médicobus" }];

const LABELS = {
  name: "Nom et prénom",
  email: "Adresse électronique",
  password: "Mot de passe",
  confirmation: "Confirmation du mot de passe",
};

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  if (user) throw redirect(homePathFor(user));
  return json({});
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: RegisterSchema });
  if (submission.status !== "success") return invalidSubmission(submission);
  try {
    await registerApplicant(submission.value, requestContext(request, context));
  } catch (error) {
    return replyWithError(submission, error);
  }
  return redirectWithToast("/verifier-email", {
    title: "Votre compte est créé",
    message: `Un courriel de confirmation vient d'être envoyé à ${submission.value.email}. Ouvrez le lien qu'il contient pour activer votre compte.`,
  });
}

export default function Register() {
  const lastResult = useActionData<FormReply>();
  const { fields, formProps, summary } = useValidatedForm({ id: "inscription", schema: RegisterSchema, lastResult });
  return (
    <NarrowPage
      title="Créer un compte"
      lead="Le compte porteur de projet permet de préparer, déposer et suivre le dossier de candidature de votre structure."
    >
      <ErrorSummary {...summary} labels={LABELS} />
      <Form method="post" {...formProps}>
        <p className="fr-hint-text">Tous les champs sont obligatoires.</p>
        <TextField field={fields.name} label={LABELS.name} autoComplete="name" />
        <TextField field={fields.email} label={LABELS.email} type="email" autoComplete="email" hint="Format attendu : nom@exemple.fr" />
        <TextField
          field={fields.password}
          label={LABELS.password}
          type="password"
          autoComplete="new-password"
          hint={`Au moins ${PASSWORD_MIN_LENGTH} caractères. Une phrase de quelques mots est facile à retenir et difficile à deviner.`}
        />
        <TextField field={fields.confirmation} label={LABELS.confirmation} type="password" autoComplete="new-password" />
        <SubmitButton>Créer mon compte</SubmitButton>
      </Form>
      <hr className="fr-mt-4w" />
      <p>
        Vous avez déjà un compte ? <Link to="/connexion">Se connecter</Link>
      </p>
      <p className="fr-text--sm">
        Les agents des ARS, de l'ANCT et de l'équipe programme ne créent pas de compte : ils reçoivent une invitation par
        courriel.
      </p>
    </NarrowPage>
  );
}
