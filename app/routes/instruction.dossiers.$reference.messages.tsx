import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { DossierTextArea } from "~/components/dossier/DossierFields";
import { ErrorSummary, SubmitButton, useValidatedForm } from "~/components/forms";
import { dossierTab } from "~/components/instruction/DossierData";
import { DossierMessageThread } from "~/components/instruction/DossierMessageThread";
import { MESSAGE_BODY_MAX, MessageSchema } from "~/modules/applications/message-schema";
import { listMessages, markRead, postAgentMessage } from "~/modules/applications/messages.server";
import { orErrorPage } from "~/modules/applications/route-errors.server";
import { INSTRUCTION_ROLES } from "~/modules/auth/roles";
import { requireRole } from "~/modules/auth/session.server";
import { findDossierForAgent } from "~/modules/instruction/policy.server";
import { db } from "~db/client.server";
import { invalidSubmission, replyWithError, type FormReply } from "~/utils/forms.server";
import { publicOrigin } from "~/utils/request.server";
import { redirectWithToast } from "~/utils/toast.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Messages — ${data?.reference ?? "Dossier"} — Instruction — Portail Médicobus` }];

/** The thread with the applicant; opening it marks it read for this agent. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const agent = await requireRole(request, INSTRUCTION_ROLES);
  const dossier = await orErrorPage(findDossierForAgent(agent, params.reference ?? ""));
  const messages = await listMessages(dossier.id);
  await markRead(db, agent.id, dossier.id);
  return json({ reference: dossier.reference, messages: messages.map((message) => ({ ...message, createdAt: message.createdAt.toISOString() })) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const agent = await requireRole(request, INSTRUCTION_ROLES);
  const reference = params.reference ?? "";
  await orErrorPage(findDossierForAgent(agent, reference));
  const submission = parseWithZod(await request.formData(), { schema: MessageSchema });
  if (submission.status !== "success") return invalidSubmission(submission);
  try {
    await postAgentMessage(agent, reference, { body: submission.value.body, origin: publicOrigin(request) });
  } catch (error) {
    return replyWithError(submission, error);
  }
  return redirectWithToast(dossierTab(reference, "messages"), "Message envoyé. Les membres de l'organisation sont prévenus par courriel.");
}

function ReplyForm({ lastResult }: { lastResult: FormReply | undefined }) {
  const { fields, formProps, summary } = useValidatedForm({ id: "message", schema: MessageSchema, lastResult });
  return (
    <>
      <ErrorSummary {...summary} labels={{ body: "Votre message" }} />
      <Form method="post" {...formProps}>
        <DossierTextArea
          field={fields.body}
          label="Votre message"
          hint={`Au plus ${new Intl.NumberFormat("fr-FR").format(MESSAGE_BODY_MAX)} caractères. Les membres de l'organisation sont prévenus par courriel.`}
          maxLength={MESSAGE_BODY_MAX}
        />
        <SubmitButton>Envoyer le message</SubmitButton>
      </Form>
    </>
  );
}

export default function InstructionMessages() {
  const { messages } = useLoaderData<typeof loader>();
  const lastResult = useActionData<FormReply>();
  return (
    <>
      <h2>Messages</h2>
      <p>Les échanges avec le porteur de projet, du plus ancien au plus récent. Le porteur lit tout ce qui est écrit ici : pour une remarque entre agents, utilisez les notes privées.</p>
      <DossierMessageThread messages={messages} />
      <h3>Répondre au porteur de projet</h3>
      {/* A new message in the thread means this one was sent: the form starts again empty. */}
      <ReplyForm key={messages.length} lastResult={lastResult} />
    </>
  );
}
