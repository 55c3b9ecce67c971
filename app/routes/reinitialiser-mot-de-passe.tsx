import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary, SubmitButton, TextField, useValidatedForm } from "~/components/forms";
import { LinkProblem } from "~/components/LinkProblem";
import { NarrowPage } from "~/components/NarrowPage";
import { checkLink } from "~/modules/auth/queries.server";
import { PASSWORD_MIN_LENGTH, ResetPasswordSchema } from "~/modules/auth/schema";
import { resetPassword } from "~/modules/auth/service.server";
import { TOKEN_PROBLEM_MESSAGES, TOKEN_PROBLEM_STATUS } from "~/modules/auth/tokens.server";
import { invalidSubmission, replyWithError, type FormReply } from "~/utils/forms.server";
import { redirectWithToast } from "~/utils/toast.server";

export const meta: MetaFunction = () => [{ title: "Choisir un nouveau mot de passe — Portail Médicobus" }];

const LABELS = { password: "Nouveau mot de passe", confirmation: "Confirmation du mot de passe", token: "Lien" };

/** The form is shown only for a link that works; a used or expired one says so (410). */
export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const headers = { "Cache-Control": "no-store" };
  const link = token ? await checkLink("reset_password", token) : ({ problem: "invalid", user: null } as const);
  if (link.problem || !link.user) {
    const problem = link.problem ?? "invalid";
    return json({ token: null, email: null, problem: TOKEN_PROBLEM_MESSAGES[problem] }, { status: TOKEN_PROBLEM_STATUS[problem], headers });
  }
  return json({ token, email: link.user.email, problem: null }, { headers });
}

export async function action({ request }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: ResetPasswordSchema });
  if (submission.status !== "success") return invalidSubmission(submission);
  try {
    await resetPassword(submission.value);
  } catch (error) {
    return replyWithError(submission, error);
  }
  return redirectWithToast("/connexion", {
    title: "Mot de passe enregistré",
    message: "Votre nouveau mot de passe est enregistré et vos autres sessions sont fermées. Connectez-vous avec ce nouveau mot de passe.",
  });
}

export default function ResetPassword() {
  const { token, email, problem } = useLoaderData<typeof loader>();
  const lastResult = useActionData<FormReply>();
  const { fields, formProps, summary } = useValidatedForm({ id: "reinitialisation", schema: ResetPasswordSchema, lastResult });
  if (!token) {
    return (
      <NarrowPage title="Choisir un nouveau mot de passe">
        <LinkProblem message={`${problem} Demandez un nouveau lien de réinitialisation.`} action={{ label: "Demander un nouveau lien", to: "/mot-de-passe-oublie" }} />
      </NarrowPage>
    );
  }
  return (
    <NarrowPage title="Choisir un nouveau mot de passe" lead={`Compte : ${email}`}>
      <ErrorSummary {...summary} labels={LABELS} />
      <Form method="post" {...formProps}>
        <input type="hidden" name="token" value={token} />
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
    </NarrowPage>
  );
}
