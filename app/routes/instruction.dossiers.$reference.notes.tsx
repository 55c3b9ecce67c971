import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { DossierTextArea } from "~/components/dossier/DossierFields";
import { ErrorSummary, SubmitButton, useValidatedForm } from "~/components/forms";
import { dossierTab, INSTRUCTION_DOSSIER_ROUTE_ID, useInstructionData, type InstructionDossierData } from "~/components/instruction/DossierData";
import { NotesList } from "~/components/instruction/NotesList";
import { orErrorPage } from "~/modules/applications/route-errors.server";
import { INSTRUCTION_ROLES } from "~/modules/auth/roles";
import { requireRole } from "~/modules/auth/session.server";
import { findDossierForAgent } from "~/modules/instruction/policy.server";
import { PrivateNoteSchema, TEXT_MAX_LENGTH } from "~/modules/instruction/schema";
import { addPrivateNote } from "~/modules/instruction/service.server";
import { invalidSubmission, replyWithError, type FormReply } from "~/utils/forms.server";
import { redirectWithToast } from "~/utils/toast.server";

export const meta: MetaFunction = ({ matches }) => {
  const data = matches.find((match) => match.id === INSTRUCTION_DOSSIER_ROUTE_ID)?.data as InstructionDossierData | undefined;
  return [{ title: `Notes privées — ${data?.dossier.reference ?? "Dossier"} — Instruction — Portail Médicobus` }];
};

/** Adds an annotation privée; any agent who may see the dossier may write one. */
export async function action({ request, params }: ActionFunctionArgs) {
  const agent = await requireRole(request, INSTRUCTION_ROLES);
  const reference = params.reference ?? "";
  await orErrorPage(findDossierForAgent(agent, reference));
  const submission = parseWithZod(await request.formData(), { schema: PrivateNoteSchema });
  if (submission.status !== "success") return invalidSubmission(submission);
  try {
    await addPrivateNote(agent, reference, { body: submission.value.body });
  } catch (error) {
    return replyWithError(submission, error);
  }
  return redirectWithToast(dossierTab(reference, "notes"), "Annotation enregistrée.");
}

function NoteForm({ lastResult }: { lastResult: FormReply | undefined }) {
  const { fields, formProps, summary } = useValidatedForm({ id: "note", schema: PrivateNoteSchema, lastResult });
  return (
    <>
      <ErrorSummary {...summary} labels={{ body: "Annotation" }} />
      <Form method="post" {...formProps}>
        <DossierTextArea field={fields.body} label="Annotation" hint={`${new Intl.NumberFormat("fr-FR").format(TEXT_MAX_LENGTH)} caractères au plus.`} maxLength={TEXT_MAX_LENGTH} rows={4} />
        <SubmitButton>Enregistrer l'annotation</SubmitButton>
      </Form>
    </>
  );
}

export default function InstructionNotes() {
  const { privateNotes } = useInstructionData();
  const lastResult = useActionData<FormReply>();
  return (
    <>
      <h2>Notes privées</h2>
      <div className="fr-notice fr-notice--warning fr-mb-4w">
        <div className="fr-container">
          <div className="fr-notice__body">
            <p className="fr-notice__title">Annotations privées : jamais visibles du porteur de projet.</p>
            <p className="fr-notice__desc">Elles sont lues par les agents qui instruisent le dossier et par l'équipe programme, et n'apparaissent dans aucun document remis au porteur.</p>
          </div>
        </div>
      </div>
      <NotesList notes={privateNotes} />
      <h3>Ajouter une annotation</h3>
      {/* A new note in the list means this one was saved: the form starts again empty. */}
      <NoteForm key={privateNotes.length} lastResult={lastResult} />
    </>
  );
}
