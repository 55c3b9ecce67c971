import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { ErrorSummary, SubmitButton, TextField, useValidatedForm } from "~/components/forms";
import { NarrowPage } from "~/components/NarrowPage";
import { ForgotPasswordSchema } from "~/modules/auth/schema";
import { requestPasswordReset } from "~/modules/auth/service.server";
import { TOKEN_TTL_MINUTES } from "~/modules/auth/tokens.server";
import { invalidSubmission, replyWithError, type FormReply } from "~/utils/forms.server";
import { requestContext } from "~/utils/request.server";
import { redirectWithToast } from "~/utils/toast.server";

export const meta: MetaFunction = () => [{ title: "Mot de passe oublié — Portail Médicobus" }];

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: ForgotPasswordSchema });
  if (submission.status !== "success") return invalidSubmission(submission);
  try {
    await requestPasswordReset(submission.value.email, requestContext(request, context));
  } catch (error) {
    return replyWithError(submission, error);
  }
  // The same words whether or not the address has an account.
  return redirectWithToast("/mot-de-passe-oublie", {
    title: "Demande enregistrée",
    message: `Si un compte existe pour ${submission.value.email}, un lien pour choisir un nouveau mot de passe vient de lui être envoyé. Il est valable ${TOKEN_TTL_MINUTES.reset_password} minutes.`,
  });
}

export default function ForgotPassword() {
  const lastResult = useActionData<FormReply>();
  const { fields, formProps, summary } = useValidatedForm({ id: "oubli", schema: ForgotPasswordSchema, lastResult });
  return (
    <NarrowPage
      title="Mot de passe oublié"
      lead="Indiquez l'adresse électronique de votre compte : nous vous enverrons un lien pour choisir un nouveau mot de passe."
    >
      <ErrorSummary {...summary} labels={{ email: "Adresse électronique" }} />
      <Form method="post" {...formProps}>
        <TextField field={fields.email} label="Adresse électronique" type="email" autoComplete="email" />
        <SubmitButton>Envoyer le lien</SubmitButton>
      </Form>
      <p className="fr-mt-4w">
        <Link to="/connexion">Retour à la connexion</Link>
      </p>
    </NarrowPage>
  );
}
