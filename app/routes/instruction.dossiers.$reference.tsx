import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useLocation, type ShouldRevalidateFunction } from "@remix-run/react";
import { DossierStatusBadge } from "~/components/dossier/DossierStatusBadge";
import { dossierTab } from "~/components/instruction/DossierData";
import { DossierScores } from "~/components/instruction/DossierScores";
import { DossierTabs } from "~/components/instruction/DossierTabs";
import tabsCss from "~/components/instruction/DossierTabs.css?url";
import { orErrorPage } from "~/modules/applications/route-errors.server";
import { INSTRUCTION_ROLES } from "~/modules/auth/roles";
import { requireRole } from "~/modules/auth/session.server";
import { formatDateTime } from "~/modules/calls/time";
import { getInstructionView } from "~/modules/instruction/queries.server";
import { rubricName } from "~/components/instruction/DossierEvaluations";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: tabsCss }];

/**
 * The frame of every instruction page of a dossier: who filed it, its status and scores, the
 * tabs. Its loader is the one authorization and query of the dossier for the tabs in its outlet
 * (useInstructionData): getInstructionView answers 404 outside the agent's scope.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const agent = await requireRole(request, INSTRUCTION_ROLES);
  const view = await orErrorPage(getInstructionView(agent, params.reference ?? ""));
  return json({ ...view, agentId: agent.id });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.dossier.reference} — ${data.dossier.title || "Dossier sans titre"} — Instruction — Portail Médicobus` : "Dossier — Instruction — Portail Médicobus" },
];

/** Leaving the messages, which marked the thread read: the unread count on the tab must drop. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ currentUrl, defaultShouldRevalidate }) => currentUrl.pathname.endsWith("/messages") || defaultShouldRevalidate;

export default function InstructionDossierLayout() {
  const data = useLoaderData<typeof loader>();
  const { pathname } = useLocation();
  const { dossier, organisation, wave, territory } = data;
  const myPendingRubrics = data.assignments.filter((assignment) => assignment.evaluatorId === data.agentId && !assignment.submitted).map((assignment) => assignment.rubric);
  return (
    <div className="fr-container fr-mb-6w">
      <Breadcrumb currentPageLabel={`Dossier ${dossier.reference}`} segments={[{ label: "Instruction", linkProps: { to: "/instruction" } }]} />
      <div className="fr-mb-3w">
        <p className="fr-mb-1w fr-text--sm">
          Dossier n° <strong>{dossier.reference}</strong> — {wave.title}
          {territory.regionName ? ` — ${territory.regionName}` : ""}
        </p>
        <h1 className="fr-mb-1w">{dossier.title || "Dossier sans titre"}</h1>
        <p className="fr-text--lead fr-mb-2w">{organisation.name}</p>
        <div className="fr-mb-2w">
          <DossierStatusBadge status={dossier.status} />
        </div>
        {dossier.submittedAt ? (
          <p className="fr-text--sm fr-mb-2w">Déposé le {formatDateTime(new Date(dossier.submittedAt))} (heure de Paris)</p>
        ) : null}
        <DossierScores scores={data.scores} threshold={data.rubrics.scoreGapThreshold} />
      </div>
      {myPendingRubrics.length > 0 && !data.conflictDeclared ? (
        <div className="fr-notice fr-notice--info fr-mb-3w">
          <div className="fr-container">
            <div className="fr-notice__body">
              <p className="fr-notice__title">
                Vous évaluez ce dossier ({myPendingRubrics.map((rubric) => rubricName(rubric)).join(", ")}). Un lien avec le porteur de projet ?{" "}
                <Link to={`${dossierTab(dossier.reference, "evaluations")}#conflit`}>Déclarez un conflit d'intérêts</Link> avant d'évaluer.
              </p>
            </div>
          </div>
        </div>
      ) : null}
      <DossierTabs reference={dossier.reference} pathname={pathname} unreadMessages={data.unreadMessages} />
      <Outlet />
    </div>
  );
}
