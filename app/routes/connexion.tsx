import { Button } from "@codegouvfr/react-dsfr/Button";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary, SubmitButton, TextField, useValidatedForm } from "~/components/forms";
import { NarrowPage } from "~/components/NarrowPage";
import { homePathFor } from "~/modules/auth/roles";
import { safeRedirectPath, SignInSchema } from "~/modules/auth/schema";
import { signIn } from "~/modules/auth/service.server";
import { getSession } from "~/modules/auth/session.server";
import { invalidSubmission, replyWithError, type FormReply } from "~/utils/forms.server";
import { requestContext } from "~/utils/request.server";
import { redirectWithToast } from "~/utils/toast.server";

export const meta: MetaFunction = () => [{ title: "Se connecter — Portail Médicobus" }];

const LABELS = { email: "Adresse électronique", password: "Mot de passe" };

export async function loader({ request }: LoaderFunctionArgs) {
  const redirectTo = safeRedirectPath(new URL(request.url).searchParams.get("redirectTo"), "");
  const current = await getSession(request);
  if (current) throw redirect(redirectTo || homePathFor(current.user));
  return json({ redirectTo });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: SignInSchema });
  if (submission.status !== "success") return invalidSubmission(submission);
  const previous = await getSession(request);
  let signedIn;
  try {
    signedIn = await signIn(submission.value, { ...requestContext(request, context), replacingSessionId: previous?.sessionId });
  } catch (error) {
    return replyWithError(submission, error);
  }
  const to = safeRedirectPath(submission.value.redirectTo, homePathFor(signedIn.user));
  return redirectWithToast(to, { message: "Connexion réussie." }, { headers: { "Set-Cookie": signedIn.cookie } });
}

export default function SignIn() {
  const { redirectTo } = useLoaderData<typeof loader>();
  const lastResult = useActionData<FormReply>();
  const { fields, formProps, summary } = useValidatedForm({ id: "connexion", schema: SignInSchema, lastResult });
  const unverifiedEmail = lastResult?.code === "email_not_verified" ? String(lastResult.initialValue?.email ?? "") : null;
  return (
    <NarrowPage title="Se connecter">
      <ErrorSummary {...summary} labels={LABELS} title={unverifiedEmail ? "Adresse électronique non confirmée" : undefined}>
        {unverifiedEmail ? (
          <Form method="post" action="/verifier-email" className="fr-mt-2w">
            <input type="hidden" name="email" value={unverifiedEmail} />
            <Button type="submit" priority="secondary" size="small">
              Renvoyer le lien de confirmation
            </Button>
          </Form>
        ) : null}
      </ErrorSummary>
      <Form method="post" {...formProps}>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <TextField field={fields.email} label={LABELS.email} type="email" autoComplete="email" />
        <TextField field={fields.password} label={LABELS.password} type="password" autoComplete="current-password" />
        <p>
          <Link to="/mot-de-passe-oublie">Mot de passe oublié ?</Link>
        </p>
        <SubmitButton>Se connecter</SubmitButton>
      </Form>
      <hr className="fr-mt-4w" />
      <h2 className="fr-h5">Vous n'avez pas de compte ?</h2>
      <p>
        Les porteurs de projet créent leur compte en quelques minutes. <Link to="/inscription">Créer un compte</Link>
      </p>
    </NarrowPage>
  );
}
