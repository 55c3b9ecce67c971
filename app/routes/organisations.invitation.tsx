import { Button } from "@codegouvfr/react-dsfr/Button";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ErrorSummary, SubmitButton, TextField, useValidatedForm } from "~/components/forms";
import { LinkProblem } from "~/components/LinkProblem";
import { NarrowPage } from "~/components/NarrowPage";
import { nameField, newPasswordField, PASSWORD_MIN_LENGTH } from "~/modules/auth/schema";
import { getSession, requireUser, startSession } from "~/modules/auth/session.server";
import { acceptOrganisationInvitation, inspectOrganisationInvitation } from "~/modules/organisations/service.server";
import { invalidSubmission, replyWithError, type FormReply } from "~/utils/forms.server";
import { redirectWithToast } from "~/utils/toast.server";

export const meta: MetaFunction = () => [{ title: "Rejoindre une organisation — Portail Médicobus" }];

const tokenField = z.string({ error: "Le lien est incomplet." }).min(1, "Le lien est incomplet.").max(200, "Le lien est invalide.");

/** « Rejoindre », for the invited account, signed in. */
const JoinSchema = z.object({ token: tokenField });

/** The invited person has no account yet: the link proves the address, they choose a name and a password. */
const NewAccountSchema = z
  .object({
    token: tokenField,
    name: nameField,
    password: newPasswordField,
    confirmation: z.string({ error: "Confirmez le mot de passe." }),
  })
  .superRefine((value, ctx) => {
    if (value.password !== value.confirmation) {
      ctx.addIssue({ code: "custom", path: ["confirmation"], message: "Les deux mots de passe ne sont pas identiques." });
    }
  });

const LABELS = { name: "Nom et prénom", password: "Mot de passe", confirmation: "Confirmation du mot de passe", token: "Lien" };

const INVALID_LINK = "Ce lien d'invitation est invalide. Vérifiez que vous avez copié l'adresse complète du lien reçu par courriel.";

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const token = url.searchParams.get("token") ?? "";
  // The page's address carries the token: it must not stay in a shared cache.
  const headers = { "Cache-Control": "no-store" };
  const invitation = token && token.length <= 200 ? await inspectOrganisationInvitation(token) : ({ ok: false, status: 400, message: INVALID_LINK } as const);
  if (!invitation.ok) return json({ problem: invitation.message, invitation: null }, { status: invitation.status, headers });
  const user = (await getSession(request))?.user ?? null;
  const state = user ? (user.email === invitation.email ? "join" : "wrong_account") : invitation.hasAccount ? "sign_in" : "create";
  const here = `${url.pathname}${url.search}`;
  return json(
    {
      problem: null,
      invitation: {
        token,
        organisationName: invitation.organisationName,
        email: invitation.email,
        state,
        signedInAs: user?.email ?? null,
        signInUrl: `/connexion?redirectTo=${encodeURIComponent(here)}`,
      },
    },
    { headers },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await request.formData();
  if (formData.get("intent") === "join") {
    const user = await requireUser(request);
    const submission = parseWithZod(formData, { schema: JoinSchema });
    if (submission.status !== "success") return invalidSubmission(submission);
    let accepted;
    try {
      accepted = await acceptOrganisationInvitation(submission.value.token, { user });
    } catch (error) {
      return replyWithError(submission, error);
    }
    return redirectWithToast(`/organisations/${accepted.organisationId}`, {
      title: "Vous avez rejoint l'organisation",
      message: "Vous pouvez maintenant préparer et suivre ses dossiers avec les autres membres.",
    });
  }
  const submission = parseWithZod(formData, { schema: NewAccountSchema });
  if (submission.status !== "success") return invalidSubmission(submission);
  const previous = await getSession(request);
  let accepted;
  try {
    accepted = await acceptOrganisationInvitation(submission.value.token, {
      user: null,
      newAccount: { name: submission.value.name, password: submission.value.password },
    });
  } catch (error) {
    return replyWithError(submission, error);
  }
  // Signed in at once: the link proved the address, the password was just chosen.
  const cookie = await startSession(accepted.userId, { replacing: previous?.sessionId });
  return redirectWithToast(
    `/organisations/${accepted.organisationId}`,
    { title: "Votre compte est créé", message: `Bienvenue sur le Portail Médicobus, ${submission.value.name}. Vous avez rejoint l'organisation.` },
    { headers: { "Set-Cookie": cookie } },
  );
}

const WHAT_HAPPENS =
  "En acceptant, vous devenez co-éditeur : vous pourrez préparer, compléter et suivre les dossiers de candidature de l'organisation avec ses autres membres.";

export default function OrganisationInvitation() {
  const { problem, invitation } = useLoaderData<typeof loader>();
  const lastResult = useActionData<FormReply>();
  const joinForm = useValidatedForm({ id: "rejoindre", schema: JoinSchema, lastResult: invitation?.state === "join" ? lastResult : null });
  const accountForm = useValidatedForm({ id: "nouveau-compte", schema: NewAccountSchema, lastResult: invitation?.state === "join" ? null : lastResult });
  if (!invitation) {
    return (
      <NarrowPage title="Rejoindre une organisation">
        <LinkProblem message={`${problem} Demandez au responsable de l'organisation de vous envoyer une nouvelle invitation.`} action={{ label: "Aller à l'accueil", to: "/" }} />
      </NarrowPage>
    );
  }
  return (
    <NarrowPage title={`Rejoindre ${invitation.organisationName}`} lead={`Vous êtes invité(e) à rejoindre ${invitation.organisationName} sur le Portail Médicobus.`}>
      <p>{WHAT_HAPPENS}</p>
      {invitation.state === "join" ? (
        <>
          <ErrorSummary {...joinForm.summary} labels={LABELS} />
          <Form method="post" {...joinForm.formProps}>
            <input type="hidden" name="intent" value="join" />
            <input type="hidden" name="token" value={invitation.token} />
            <SubmitButton>Rejoindre</SubmitButton>
          </Form>
        </>
      ) : invitation.state === "sign_in" ? (
        <>
          <p>
            Un compte existe déjà pour l'adresse <strong>{invitation.email}</strong> : connectez-vous, vous reviendrez sur
            cette page pour accepter l'invitation.
          </p>
          <Button linkProps={{ to: invitation.signInUrl }}>Se connecter pour accepter</Button>
        </>
      ) : invitation.state === "wrong_account" ? (
        <div className="fr-alert fr-alert--warning">
          <h2 className="fr-alert__title">Cette invitation est adressée à un autre compte</h2>
          <p>
            Vous êtes connecté(e) avec l'adresse {invitation.signedInAs}, mais l'invitation est adressée à {invitation.email}.
            Déconnectez-vous, puis ouvrez à nouveau le lien reçu par courriel.
          </p>
          <Form method="post" action="/deconnexion" className="fr-mt-2w">
            <SubmitButton secondary>Se déconnecter</SubmitButton>
          </Form>
        </div>
      ) : (
        <>
          <h2 className="fr-h4">Créer votre compte</h2>
          <p>
            Votre compte sera celui de l'adresse <strong>{invitation.email}</strong>, à laquelle l'invitation a été envoyée.
          </p>
          <ErrorSummary {...accountForm.summary} labels={LABELS} />
          <Form method="post" {...accountForm.formProps}>
            <input type="hidden" name="intent" value="create" />
            <input type="hidden" name="token" value={invitation.token} />
            <p className="fr-hint-text">Tous les champs sont obligatoires.</p>
            <TextField field={accountForm.fields.name} label={LABELS.name} autoComplete="name" />
            <TextField
              field={accountForm.fields.password}
              label={LABELS.password}
              type="password"
              autoComplete="new-password"
              hint={`Au moins ${PASSWORD_MIN_LENGTH} caractères. Une phrase de quelques mots est facile à retenir et difficile à deviner.`}
            />
            <TextField field={accountForm.fields.confirmation} label={LABELS.confirmation} type="password" autoComplete="new-password" />
            <SubmitButton>Créer mon compte et rejoindre</SubmitButton>
          </Form>
        </>
      )}
    </NarrowPage>
  );
}
