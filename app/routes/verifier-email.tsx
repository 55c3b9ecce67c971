import { Button } from "@codegouvfr/react-dsfr/Button";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary, SubmitButton, TextField, useValidatedForm } from "~/components/forms";
import { LinkProblem } from "~/components/LinkProblem";
import { NarrowPage } from "~/components/NarrowPage";
import { ResendVerificationSchema } from "~/modules/auth/schema";
import { resendVerification, verifyEmail } from "~/modules/auth/service.server";
import { TokenError, type TokenProblem } from "~/modules/auth/tokens.server";
import { invalidSubmission, replyWithError, type FormReply } from "~/utils/forms.server";
import { requestContext } from "~/utils/request.server";
import { redirectWithToast } from "~/utils/toast.server";

export const meta: MetaFunction = () => [{ title: "Confirmer l'adresse électronique — Portail Médicobus" }];

type Outcome = { state: "pending" } | { state: "verified"; email: string } | { state: TokenProblem; message: string };

/**
 * The link of the confirmation mail lands here (GET with ?token=): using it confirms the address.
 * Without a token, or when the link no longer works, the page offers to send a new one.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token");
  if (!token) return json<Outcome>({ state: "pending" });
  try {
    const user = await verifyEmail(token);
    return json<Outcome>({ state: "verified", email: user.email }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    if (!(error instanceof TokenError)) throw error;
    return json<Outcome>({ state: error.problem, message: error.message }, { status: error.status, headers: { "Cache-Control": "no-store" } });
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: ResendVerificationSchema });
  if (submission.status !== "success") return invalidSubmission(submission);
  try {
    await resendVerification(submission.value.email, requestContext(request, context));
  } catch (error) {
    return replyWithError(submission, error);
  }
  return redirectWithToast("/verifier-email", {
    title: "Demande enregistrée",
    message: `Si un compte en attente de confirmation existe pour ${submission.value.email}, un nouveau lien vient de lui être envoyé. Il est valable 24 heures.`,
  });
}

export default function VerifyEmail() {
  const outcome = useLoaderData<typeof loader>();
  if (outcome.state === "verified") {
    return (
      <NarrowPage title="Adresse confirmée">
        <div className="fr-alert fr-alert--success fr-mb-4w">
          <h2 className="fr-alert__title">Votre adresse électronique est confirmée</h2>
          <p>Le compte {outcome.email} est activé : vous pouvez vous connecter.</p>
        </div>
        <Button linkProps={{ to: "/connexion" }}>Se connecter</Button>
      </NarrowPage>
    );
  }
  return (
    <NarrowPage title="Confirmer votre adresse électronique">
      {outcome.state === "pending" ? (
        <p>
          Pour activer votre compte, ouvrez le lien du courriel de confirmation que nous vous avons envoyé. Il est valable 24
          heures. Pensez à regarder dans les courriers indésirables.
        </p>
      ) : (
        <LinkProblem
          message={
            outcome.state === "used"
              ? `${outcome.message} Si votre adresse est déjà confirmée, vous pouvez vous connecter.`
              : `${outcome.message} Demandez un nouveau lien ci-dessous.`
          }
        />
      )}
      <ResendForm />
    </NarrowPage>
  );
}

function ResendForm() {
  const lastResult = useActionData<FormReply>();
  const { fields, formProps, summary } = useValidatedForm({ id: "renvoi", schema: ResendVerificationSchema, lastResult });
  return (
    <>
      <h2 className="fr-h4 fr-mt-4w">Vous n'avez pas reçu le courriel ?</h2>
      <ErrorSummary {...summary} labels={{ email: "Adresse électronique" }} />
      <Form method="post" {...formProps}>
        <TextField field={fields.email} label="Adresse électronique" type="email" autoComplete="email" />
        <SubmitButton secondary>Renvoyer le lien de confirmation</SubmitButton>
      </Form>
    </>
  );
}
