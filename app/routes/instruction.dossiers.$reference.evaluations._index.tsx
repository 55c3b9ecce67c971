import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { RUBRICS, type Rubric } from "~db/schema/values";
import { AssignEvaluatorForm, assignFormId, UNASSIGN_FORM_ID, UnassignButton } from "~/components/instruction/AssignForms";
import { CONFLICT_FORM_ID, DossierConflictForm } from "~/components/instruction/DossierConflictForm";
import { dossierTab, INSTRUCTION_DOSSIER_ROUTE_ID, useInstructionData, type InstructionDossierData } from "~/components/instruction/DossierData";
import { DossierRubricPanel, evaluationFormHref } from "~/components/instruction/DossierEvaluations";
import { orErrorPage } from "~/modules/applications/route-errors.server";
import { INSTRUCTION_ROLES } from "~/modules/auth/roles";
import { requireRole } from "~/modules/auth/session.server";
import { assignEvaluator, unassignEvaluator } from "~/modules/instruction/assignments.server";
import { findDossierForAgent } from "~/modules/instruction/policy.server";
import { AssignSchema, ConflictSchema } from "~/modules/instruction/schema";
import { declareConflict } from "~/modules/instruction/service.server";
import { invalidSubmission, replyWithError, type FormReply } from "~/utils/forms.server";
import { redirectWithToast } from "~/utils/toast.server";
import { rubricName } from "~/components/instruction/DossierEvaluations";
import { publicOrigin } from "~/utils/request.server";

export const meta: MetaFunction = ({ matches }) => {
  const data = matches.find((match) => match.id === INSTRUCTION_DOSSIER_ROUTE_ID)?.data as InstructionDossierData | undefined;
  return [{ title: `Évaluations — ${data?.dossier.reference ?? "Dossier"} — Instruction — Portail Médicobus` }];
};

/**
 * Assigning and removing evaluators (the programme team; an ARS agent for its région's ARS
 * rubric) and declaring a conflict of interest. The dossier is looked up in the agent's scope
 * first (404 outside it); the services refuse the rest (403 not an assigner, 409, 422).
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const agent = await requireRole(request, INSTRUCTION_ROLES);
  const reference = params.reference ?? "";
  await orErrorPage(findDossierForAgent(agent, reference));
  const formData = await request.formData();
  const intent = formData.get("intent");
  const here = dossierTab(reference, "evaluations");

  if (intent === "conflict") {
    const submission = parseWithZod(formData, { schema: ConflictSchema });
    if (submission.status !== "success") return invalidSubmission(submission, { formId: CONFLICT_FORM_ID });
    try {
      await declareConflict(agent, reference, { reason: submission.value.reason });
    } catch (error) {
      return replyWithError(submission, error, { formId: CONFLICT_FORM_ID });
    }
    return redirectWithToast(here, { title: "Conflit d'intérêts déclaré", message: "Vous n'évaluez plus ce dossier et les notes des autres agents vous sont masquées." });
  }

  if (intent === "assign" || intent === "unassign") {
    const submission = parseWithZod(formData, { schema: AssignSchema });
    const rubric = formData.get("rubric");
    const formId = intent === "unassign" ? UNASSIGN_FORM_ID : RUBRICS.includes(rubric as Rubric) ? assignFormId(rubric as Rubric) : UNASSIGN_FORM_ID;
    if (submission.status !== "success") return invalidSubmission(submission, { formId });
    try {
      if (intent === "assign") {
        const result = await assignEvaluator(agent, reference, { ...submission.value, origin: publicOrigin(request) });
        const message = result.alreadyAssigned ? "Cette évaluation était déjà confiée à cette personne." : `Évaluation confiée (${rubricName(submission.value.rubric)}) : l'évaluateur en est averti par courriel et la retrouve dans sa liste.`;
        return redirectWithToast(here, message);
      }
      const result = await unassignEvaluator(agent, reference, submission.value);
      return redirectWithToast(here, result.draftDiscarded ? "Évaluation retirée ; le brouillon en cours a été supprimé." : "Évaluation retirée.");
    } catch (error) {
      return replyWithError(submission, error, { formId });
    }
  }

  return json({ status: "error", error: { "": ["Action inconnue : rechargez la page et recommencez."] } } satisfies FormReply, { status: 400 });
}

export default function InstructionEvaluations() {
  const data = useInstructionData();
  const reply = useActionData<FormReply>() ?? null;
  const { dossier, can, rubrics } = data;
  const replyFor = (formId: string) => (reply?.formId === formId ? reply : null);
  const totalWeight = rubrics.weights.ars + rubrics.weights.anct;
  const shownAssignForms = RUBRICS.filter((rubric) => can.assign[rubric]).map(assignFormId);
  const shownForms: string[] = [...shownAssignForms, ...(can.declareConflict ? [CONFLICT_FORM_ID] : [])];
  // Removing (one small form per row) and anything posted to a form the page does not show answer here.
  const refusal = reply && reply.status === "error" && !shownForms.includes(reply.formId ?? "") ? (reply.error?.[""]?.[0] ?? Object.values(reply.error ?? {})[0]?.[0] ?? "Votre demande n'a pas abouti.") : null;

  /** The agent's own way to its evaluation form: to write it, to amend it once submitted, or to read it. */
  const evaluationLink = (rubric: Rubric) => {
    const mine = data.evaluations.find((evaluation) => evaluation.mine && evaluation.rubric === rubric);
    const href = evaluationFormHref(dossier.reference, rubric);
    if (mine?.status === "submitted") {
      return (
        <p>
          {can.amend.includes(rubric) ? (
            <Button priority="secondary" linkProps={{ to: href }} iconId="fr-icon-edit-line">
              Modifier mon évaluation soumise
            </Button>
          ) : (
            <Button priority="secondary" linkProps={{ to: href }} iconId="fr-icon-eye-line">
              Voir mon évaluation
            </Button>
          )}
        </p>
      );
    }
    if (can.evaluate.includes(rubric)) {
      return (
        <p>
          <Button linkProps={{ to: href }} iconId="fr-icon-edit-line">
            {mine ? "Reprendre mon évaluation" : "Évaluer le dossier"}
          </Button>
        </p>
      );
    }
    return null;
  };

  return (
    <>
      <h2>Évaluations</h2>
      {refusal ? (
        <div className="fr-mb-3w" role="alert">
          <Alert severity="error" as="h3" title="Action refusée" description={refusal} />
        </div>
      ) : null}
      {data.conflictDeclared ? (
        <div className="fr-notice fr-notice--warning fr-mb-4w">
          <div className="fr-container">
            <div className="fr-notice__body">
              <p className="fr-notice__title">Vous avez déclaré un conflit d'intérêts sur ce dossier : vous ne pouvez pas l'évaluer et les notes des autres agents vous sont masquées.</p>
            </div>
          </div>
        </div>
      ) : null}
      {!data.conflictDeclared && data.evaluations.some((evaluation) => evaluation.status === "submitted") ? (
        <p>
          {/* A file, not a page: the browser downloads it. */}
          <a className="fr-link fr-link--download" href={`${dossierTab(dossier.reference, "")}/fiche-evaluation`} download>
            Fiche d'évaluation du dossier <span className="fr-link__detail">PDF — notes, justifications et avis visibles à ce jour</span>
          </a>
        </p>
      ) : null}
      {!data.conflictDeclared && dossier.status !== "under_review" && dossier.status !== "reviewed" ? (
        <p>Les évaluations s'ouvrent quand l'agence régionale de santé a déclaré le dossier recevable (statut « En instruction »). Les évaluateurs peuvent être désignés dès le dépôt.</p>
      ) : null}

      {RUBRICS.map((rubric) => (
        <DossierRubricPanel
          key={rubric}
          rubric={rubric}
          weightPercent={totalWeight === 0 ? 0 : (rubrics.weights[rubric] * 100) / totalWeight}
          score={data.scores ? data.scores[rubric] : undefined}
          criteria={rubrics.criteria[rubric]}
          assignments={data.assignments.filter((assignment) => assignment.rubric === rubric)}
          evaluations={data.evaluations.filter((evaluation) => evaluation.rubric === rubric)}
          agentId={data.agentId}
          evaluationLink={evaluationLink(rubric)}
          unassignButton={(assignment) => (can.assign[rubric] ? <UnassignButton rubric={rubric} evaluatorId={assignment.evaluatorId} evaluatorName={assignment.evaluatorName} /> : "—")}
          assignForm={
            can.assign[rubric] ? (
              <div className="fr-mt-3w">
                <h4 className="fr-h6">Confier une évaluation</h4>
                <AssignEvaluatorForm rubric={rubric} choices={data.evaluatorChoices[rubric]} lastResult={replyFor(assignFormId(rubric))} />
              </div>
            ) : null
          }
        />
      ))}

      <section id="conflit" aria-labelledby="conflit-titre" className="fr-mb-4w" tabIndex={-1}>
        <h3 id="conflit-titre">Conflit d'intérêts</h3>
        {data.conflictDeclared ? (
          <p>Vous avez déclaré un conflit d'intérêts sur ce dossier.</p>
        ) : can.declareConflict ? (
          <>
            <p>
              Si vous avez un lien avec le porteur de projet ou un intérêt dans ce projet, déclarez-le avant d'évaluer. Vous ne pourrez plus évaluer ce dossier ni voir les notes des
              autres agents ; les évaluations qui vous sont confiées ici vous seront retirées.
            </p>
            <DossierConflictForm lastResult={replyFor(CONFLICT_FORM_ID)} />
          </>
        ) : null}
      </section>
    </>
  );
}
