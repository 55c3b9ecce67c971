import { fr } from "@codegouvfr/react-dsfr";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { DossierTextArea } from "~/components/dossier/DossierFields";
import { ErrorSummary, SubmitButton, useValidatedForm } from "~/components/forms";
import { MESSAGE_BODY_MAX, MessageSchema } from "~/modules/applications/message-schema";
import { listMessages, markRead, postApplicantMessage } from "~/modules/applications/messages.server";
import { findDossierForMember } from "~/modules/applications/policy.server";
import { orErrorPage } from "~/modules/applications/route-errors.server";
import { requireRole } from "~/modules/auth/session.server";
import { formatDateTime } from "~/modules/calls/time";
import { db } from "~db/client.server";
import { invalidSubmission, replyWithError, type FormReply } from "~/utils/forms.server";
import { publicOrigin } from "~/utils/request.server";
import { redirectWithToast } from "~/utils/toast.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Messagerie — ${data?.reference ?? "Dossier"} — Portail Médicobus` }];

/** The thread with the ARS; opening it marks it read (the unread counts of the layout and « Mon espace » drop). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "applicant");
  const dossier = await orErrorPage(findDossierForMember(user, params.reference ?? ""));
  const messages = await listMessages(dossier.id);
  await markRead(db, user.id, dossier.id);
  return json({
    reference: dossier.reference,
    open: dossier.status !== "draft",
    messages: messages.map((message) => ({ ...message, createdAt: message.createdAt.toISOString() })),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "applicant");
  const reference = params.reference ?? "";
  const submission = parseWithZod(await request.formData(), { schema: MessageSchema });
  if (submission.status !== "success") return invalidSubmission(submission);
  try {
    await postApplicantMessage(user, reference, { body: submission.value.body, origin: publicOrigin(request) });
  } catch (error) {
    return replyWithError(submission, error);
  }
  return redirectWithToast(`/dossiers/${reference}/messages`, "Message envoyé. Les agents en charge du dossier sont prévenus par courriel.");
}

export default function DossierMessages() {
  const { open, messages } = useLoaderData<typeof loader>();
  const lastResult = useActionData<FormReply>();
  const { fields, formProps, summary } = useValidatedForm({ id: "message", schema: MessageSchema, lastResult });
  return (
    <>
      <h2>Messagerie</h2>
      {!open ? (
        <div className="fr-callout">
          <p className="fr-callout__text">
            La messagerie s'ouvre une fois le dossier déposé : vous pourrez alors échanger ici avec l'agence régionale de santé qui l'instruit.
          </p>
        </div>
      ) : (
        <>
          <p>Vos échanges avec l'agence régionale de santé qui instruit le dossier, du plus ancien au plus récent.</p>
          {messages.length === 0 ? (
            <p style={{ color: fr.colors.decisions.text.mention.grey.default }}>Aucun message pour le moment.</p>
          ) : (
            <ol className="fr-raw-list fr-mb-4w" aria-label="Messages du dossier">
              {messages.map((message) => (
                <li
                  key={message.id}
                  className="fr-p-3w fr-mb-2w"
                  // The ARS's messages on blue, the applicant's on grey: who speaks shows at a glance (and is written).
                  style={{ background: message.side === "agent" ? fr.colors.decisions.background.alt.blueFrance.default : fr.colors.decisions.background.alt.grey.default }}
                >
                  <article aria-label={`Message du ${formatDateTime(new Date(message.createdAt))}`}>
                    <p className="fr-text--sm fr-mb-1w">
                      <strong>{message.side === "agent" ? "Agent instructeur (ARS)" : `${message.authorName ?? "Membre de l'organisation"} — porteur de projet`}</strong>
                      {" · "}
                      <time dateTime={message.createdAt}>le {formatDateTime(new Date(message.createdAt))}</time>
                    </p>
                    <p className="fr-mb-0" style={{ whiteSpace: "pre-wrap" }}>
                      {message.body}
                    </p>
                  </article>
                </li>
              ))}
            </ol>
          )}
          <h3>Écrire un message</h3>
          <ErrorSummary {...summary} labels={{ body: "Votre message" }} />
          <Form method="post" {...formProps}>
            <DossierTextArea
              field={fields.body}
              label="Votre message"
              hint={`Au plus ${new Intl.NumberFormat("fr-FR").format(MESSAGE_BODY_MAX)} caractères. Les agents en charge du dossier sont prévenus par courriel.`}
              maxLength={MESSAGE_BODY_MAX}
            />
            <SubmitButton>Envoyer le message</SubmitButton>
          </Form>
        </>
      )}
    </>
  );
}
