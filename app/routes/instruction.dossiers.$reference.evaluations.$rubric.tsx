import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import type { EvaluationAvis } from "~db/schema";
import { dossierTab, INSTRUCTION_DOSSIER_ROUTE_ID, type InstructionDossierData } from "~/components/instruction/DossierData";
import { EvaluationForm } from "~/components/instruction/EvaluationForm";
import { isRubric } from "~/components/instruction/EvaluationFormSchema";
import { EvaluationReadOnly, type EvaluationAmendmentRecord } from "~/components/instruction/EvaluationReadOnly";
import { orErrorPage } from "~/modules/applications/route-errors.server";
import { INSTRUCTION_ROLES } from "~/modules/auth/roles";
import { requireRole } from "~/modules/auth/session.server";
import { formatDateTime } from "~/modules/calls/time";
import { canEvaluate } from "~/modules/instruction/assignment";
import { amendEvaluation, saveEvaluation, submitEvaluation, type EvaluationInput } from "~/modules/instruction/evaluations.server";
import { getInstructionView } from "~/modules/instruction/queries.server";
import { RUBRIC_LABELS, recommendedToInput } from "~/modules/instruction/schema";
import { formatScore } from "~/modules/instruction/scoring";
import { replyWithError, type FormReply } from "~/utils/forms.server";
import { redirectWithToast } from "~/utils/toast.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const layout = matches.find((match) => match.id === INSTRUCTION_DOSSIER_ROUTE_ID)?.data as InstructionDossierData | undefined;
  const title = data ? `Évaluation ${data.rubricLabel.replace(/^Grille /, "")}` : "Évaluation";
  return [{ title: `${title} — ${layout?.dossier.reference ?? "Dossier"} — Instruction — Portail Médicobus` }];
};

function rubricOf(param: string | undefined) {
  if (!isRubric(param)) throw new Response("Cette grille d'évaluation n'existe pas : les grilles sont ARS et ANCT.", { status: 404 });
  return param;
}

const evaluationHref = (reference: string, rubric: string) => `${dossierTab(reference, "evaluations")}/${rubric}`;

/**
 * The evaluation of the signed-in agent for one grid. The dossier is read in the agent's scope
 * (404 outside it); a conflict of interest, or no assignment for this grid, is a 403: this page
 * is the evaluator's own, the « Évaluations » tab shows everyone's. What the page offers follows
 * the dossier and the evaluation: a form while under review, the submitted evaluation read-only
 * with its amendments (and « Amender » when allowed), or why there is nothing to do yet.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const agent = await requireRole(request, INSTRUCTION_ROLES);
  const rubric = rubricOf(params.rubric);
  const view = await orErrorPage(getInstructionView(agent, params.reference ?? ""));
  const label = RUBRIC_LABELS[rubric];
  if (view.conflictDeclared) {
    throw new Response("Vous avez déclaré un conflit d'intérêts sur ce dossier : vous ne pouvez pas l'évaluer.", { status: 403 });
  }
  // A submitted dossier lies in one région (a dossier spanning two is refused at submission).
  const regionCode = view.territory.regionCodes.length === 1 ? view.territory.regionCodes[0] : null;
  const assignment = view.assignments.find((row) => row.rubric === rubric && row.evaluatorId === agent.id);
  if (!assignment || !canEvaluate(rubric, agent.roles, regionCode)) {
    throw new Response(`Ce dossier ne vous est pas confié pour la ${label.toLowerCase()} : seul l'évaluateur désigné remplit cette évaluation.`, { status: 403 });
  }

  const mine = view.evaluations.find((evaluation) => evaluation.mine && evaluation.rubric === rubric) ?? null;
  const canAmend = view.can.amend.includes(rubric);
  const status = view.dossier.status;
  const state =
    mine?.status === "submitted"
      ? canAmend && new URL(request.url).searchParams.has("amender")
        ? "amend"
        : "submitted"
      : view.can.evaluate.includes(rubric)
        ? "edit"
        : status === "submitted"
          ? "waiting"
          : "closed";

  const amendments: EvaluationAmendmentRecord[] = (mine?.amendments ?? []).map((amendment) => {
    // The row keeps the previous evaluation as written by amendEvaluation.
    const previous = (amendment.previous ?? {}) as { weightedScore?: number | null; avis?: EvaluationAvis | null; recommendedCents?: number | null };
    return {
      at: amendment.at,
      reason: amendment.reason,
      amendedByName: amendment.amendedByName,
      previous: { weightedScore: previous.weightedScore ?? null, avis: previous.avis ?? null, recommendedCents: previous.recommendedCents ?? null },
    };
  });

  return json({
    reference: view.dossier.reference,
    rubric,
    rubricLabel: label,
    state,
    canAmend,
    criteria: view.rubrics.criteria[rubric],
    requestedCents: view.budget.figures.requestedCents,
    assignment: { dueAt: assignment.dueAt, overdue: assignment.overdue },
    evaluation: mine && {
      scores: mine.scores,
      avis: mine.avis,
      recommendedCents: mine.recommendedCents,
      weightedScore: mine.weightedScore,
      status: mine.status,
      submittedAt: mine.submittedAt,
      amendedAt: mine.amendedAt,
      updatedAt: mine.updatedAt,
      version: mine.version,
    },
    amendments,
  });
}

/** Reads the fields as posted: the service validates them (same schema as the page) after checking who asks. */
const PostedFields = z.looseObject({});

function postedVersion(value: unknown) {
  const version = typeof value === "string" ? Number.parseInt(value, 10) : Number.NaN;
  return Number.isSafeInteger(version) ? version : undefined;
}

/**
 * Save a draft, submit, or amend. The rubric and the dossier come from the URL; everything else
 * is checked by the services in their transaction, in this order: scope (404), conflict of
 * interest, role and assignment (403), dossier status and lock (409), then the values (400,
 * French messages by field). A crafted request meets the same checks as the page.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const agent = await requireRole(request, INSTRUCTION_ROLES);
  const rubric = rubricOf(params.rubric);
  const reference = params.reference ?? "";
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: PostedFields });
  const posted = submission.payload;
  // why the cast: whatever shape was posted, the service's zod schema reads it and refuses what does not fit (400).
  const input = {
    rubric,
    scores: posted.scores as EvaluationInput["scores"],
    avis: posted.avis as string | undefined,
    recommended: posted.recommended as string | undefined,
    version: postedVersion(posted.version),
  };
  const here = evaluationHref(reference, rubric);
  const intent = formData.get("intent") ?? "save";
  try {
    if (intent === "save") {
      await saveEvaluation(agent, reference, input);
      return redirectWithToast(here, { title: "Brouillon enregistré", message: "Vous pouvez le reprendre à tout moment avant de soumettre l'évaluation." });
    }
    if (intent === "submit") {
      const result = await submitEvaluation(agent, reference, input);
      const consolidation = result.consolidation
        ? ` Toutes les évaluations attendues sont soumises : le dossier est instruit, avec une note consolidée de ${formatScore(result.consolidation.consolidatedScore)} / 100${result.consolidation.scoreGapFlag ? " (écart entre les notes ARS et ANCT signalé au comité)" : ""}.`
        : " Le dossier sera instruit quand toutes les évaluations attendues seront soumises.";
      return redirectWithToast(here, { title: "Évaluation soumise", message: `Note pondérée : ${formatScore(result.weightedScore)} / 100.${consolidation}` });
    }
    if (intent === "amend") {
      const result = await amendEvaluation(agent, reference, { ...input, reason: typeof posted.reason === "string" ? posted.reason : "" });
      return redirectWithToast(here, {
        title: "Amendement enregistré",
        message: `Nouvelle note pondérée : ${formatScore(result.weightedScore)} / 100. Le motif et l'évaluation précédente sont conservés dans l'historique.`,
      });
    }
  } catch (error) {
    return replyWithError(submission, error);
  }
  return json({ ...submission.reply({ formErrors: ["Action inconnue : rechargez la page et recommencez."] }) } satisfies FormReply, { status: 400 });
}

function StatusLine({ evaluation, assignment }: { evaluation: { status: string; submittedAt: string | null; amendedAt: string | null; updatedAt: string } | null; assignment: { dueAt: string; overdue: boolean } }) {
  if (evaluation?.status === "submitted") {
    return (
      <p className="fr-mb-3w">
        <Badge severity="success" small as="span">
          Soumise
        </Badge>{" "}
        {evaluation.submittedAt ? `le ${formatDateTime(new Date(evaluation.submittedAt))}` : null}
        {evaluation.amendedAt ? `, amendée le ${formatDateTime(new Date(evaluation.amendedAt))}` : null}
      </p>
    );
  }
  return (
    <p className="fr-mb-3w">
      <Badge severity={assignment.overdue ? "error" : "info"} small as="span" noIcon={!assignment.overdue}>
        {assignment.overdue ? "En retard" : evaluation ? "Brouillon" : "À faire"}
      </Badge>{" "}
      {evaluation ? `Brouillon enregistré le ${formatDateTime(new Date(evaluation.updatedAt))}. ` : ""}À soumettre avant le {formatDateTime(new Date(assignment.dueAt))}.
    </p>
  );
}

export default function EvaluationPage() {
  const data = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() ?? null;
  const { evaluation, criteria, reference, rubric } = data;
  const here = evaluationHref(reference, rubric);
  const defaults = {
    scores: evaluation?.scores ?? {},
    avis: evaluation?.avis ?? null,
    recommended: recommendedToInput(evaluation?.recommendedCents ?? null),
    version: evaluation?.version ?? null,
  };
  return (
    <>
      <h2 className="fr-mb-1w">{data.rubricLabel} — votre évaluation</h2>
      <StatusLine evaluation={evaluation} assignment={data.assignment} />

      {data.state === "edit" ? (
        <>
          <p>
            Notez chaque critère de 0 à 5 et justifiez la note : la note pondérée sur 100 se calcule à mesure. Enregistrez un brouillon pour y revenir, puis soumettez
            l'évaluation quand elle est complète.
          </p>
          <EvaluationForm mode="edit" criteria={criteria} requestedCents={data.requestedCents} defaults={defaults} lastResult={reply} cancelHref={here} />
        </>
      ) : null}

      {data.state === "amend" ? (
        <>
          <div className="fr-alert fr-alert--warning fr-mb-3w">
            <h3 className="fr-alert__title">Vous amendez une évaluation soumise</h3>
            <p>Modifiez ce qui doit l'être et indiquez le motif. L'évaluation précédente et le motif sont conservés ; les notes du dossier sont recalculées.</p>
          </div>
          <EvaluationForm mode="amend" criteria={criteria} requestedCents={data.requestedCents} defaults={defaults} lastResult={reply} cancelHref={here} />
        </>
      ) : null}

      {data.state === "submitted" && evaluation ? (
        <>
          <EvaluationReadOnly criteria={criteria} evaluation={evaluation} amendments={data.amendments} />
          {data.canAmend ? (
            <section aria-labelledby="amender" className="fr-mb-4w">
              <h3 id="amender" className="fr-h5">
                Amender l'évaluation
              </h3>
              <p>Une évaluation soumise est verrouillée. Pour la corriger, amendez-la en indiquant le motif : il est conservé dans l'historique avec l'évaluation précédente.</p>
              <Button priority="secondary" iconId="fr-icon-edit-line" linkProps={{ to: `${here}?amender` }}>
                Amender
              </Button>
            </section>
          ) : (
            <p>Le dossier n'est plus en instruction : l'évaluation ne peut plus être amendée.</p>
          )}
        </>
      ) : null}

      {data.state === "waiting" ? (
        <div className="fr-callout fr-mb-4w">
          <h3 className="fr-callout__title">L'évaluation n'est pas encore ouverte</h3>
          <p className="fr-callout__text">
            Ce dossier vous est confié. L'évaluation s'ouvre quand l'agence régionale de santé l'a déclaré recevable (statut « En instruction »).
          </p>
        </div>
      ) : null}

      {data.state === "closed" ? (
        <div className="fr-callout fr-mb-4w">
          <h3 className="fr-callout__title">L'évaluation est fermée</h3>
          <p className="fr-callout__text">Le dossier n'est plus en instruction : cette évaluation ne peut plus être remplie.</p>
        </div>
      ) : null}

      <ul className="fr-raw-list">
        <li className="fr-mb-2w">
          {/* A plain link: the PDF is a download, not a page of the application. */}
          <a className="fr-link fr-link--download" href={`/instruction/dossiers/${encodeURIComponent(reference)}/fiche-evaluation`} download>
            Télécharger la fiche d'évaluation du dossier
            <span className="fr-link__detail">PDF — les évaluations soumises des deux grilles</span>
          </a>
        </li>
        <li>
          <Link to={dossierTab(reference, "evaluations")} className="fr-link fr-icon-arrow-left-line fr-link--icon-left">
            Toutes les évaluations du dossier
          </Link>
        </li>
      </ul>
    </>
  );
}
