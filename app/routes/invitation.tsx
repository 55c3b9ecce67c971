import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary, SubmitButton, TextField, useValidatedForm } from "~/components/forms";
import { LinkProblem } from "~/components/LinkProblem";
import { NarrowPage } from "~/components/NarrowPage";
import { checkLink } from "~/modules/auth/queries.server";
import { homePathFor } from "~/modules/auth/roles";
import { AcceptInvitationSchema, PASSWORD_MIN_LENGTH } from "~/modules/auth/schema";
import { acceptInvitation } from "~/modules/auth/service.server";
import { getSession } from "~/modules/auth/session.server";
import { TOKEN_PROBLEM_MESSAGES, TOKEN_PROBLEM_STATUS } from "~/modules/auth/tokens.server";
import { invalidSubmission, replyWithError, type FormReply } from "~/utils/forms.server";
import { redirectWithToast } from "~/utils/toast.server";

export const meta: MetaFunction = () => [{ title: "Activer mon compte — Portail Médicobus" }];

const LABELS = { password: "Mot de passe", confirmation: "Confirmation du mot de passe", token: "Lien" };

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const headers = { "Cache-Control": "no-store" };
  const link = token ? await checkLink("invitation", token) : ({ problem: "invalid", user: null } as const);
  if (link.problem || !link.user) {
    const problem = link.problem ?? "invalid";
    return json({ token: null, user: null, problem: TOKEN_PROBLEM_MESSAGES[problem] }, { status: TOKEN_PROBLEM_STATUS[problem], headers });
  }
  return json({ token, user: { name: link.user.name, email: link.user.email }, problem: null }, { headers });
}

export async function action({ request }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: AcceptInvitationSchema });
  if (submission.status !== "success") return invalidSubmission(submission);
  const previous = await getSession(request);
  let accepted;
  try {
    accepted = await acceptInvitation(submission.value, { replacingSessionId: previous?.sessionId });
  } catch (error) {
    return replyWithError(submission, error);
  }
  return redirectWithToast(
    homePathFor(accepted.user),
    { title: "Votre compte est activé", message: `Bienvenue sur le Portail Médicobus, ${accepted.user.name}.` },
    { headers: { "Set-Cookie": accepted.cookie } },
  );
}

export default function Invitation() {
  const { token, user, problem } = useLoaderData<typeof loader>();
  const lastResult = useActionData<FormReply>();
  const { fields, formProps, summary } = useValidatedForm({ id: "invitation", schema: AcceptInvitationSchema, lastResult });
  if (!token || !user) {
    return (
      <NarrowPage title="Activer mon compte">
        <LinkProblem message={`${problem} Demandez une nouvelle invitation à l'administrateur du portail.`} />
      </NarrowPage>
    );
  }
  return (
    <NarrowPage title="Activer mon compte" lead={`Bienvenue, ${user.name}. Choisissez le mot de passe du compte ${user.email}.`}>
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
