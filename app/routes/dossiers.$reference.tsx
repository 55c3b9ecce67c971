import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Outlet, useLoaderData, useLocation, type ShouldRevalidateFunction } from "@remix-run/react";
import { DeadlineNotice, type OverseasDeadline } from "~/components/dossier/DeadlineNotice";
import { deadlineElsewhere, OVERSEAS_PLACES } from "~/components/dossier/DeadlineText";
import { DossierCorrectionsBanner } from "~/components/dossier/DossierCorrectionsBanner";
import { DossierStatusBadge } from "~/components/dossier/DossierStatusBadge";
import { DossierStepsMenu } from "~/components/dossier/DossierStepsMenu";
import { getDossierViewForMember } from "~/modules/applications/queries.server";
import { orErrorPage } from "~/modules/applications/route-errors.server";
import { requireRole } from "~/modules/auth/session.server";
import { formatDateTime } from "~/modules/calls/time";
import { timeZoneOfDepartement } from "~/modules/geo/departements";

/**
 * The frame of every page of a dossier: title, reference, status, deadline, the correction
 * request when there is one, and the steps. Its loader is the one authorization and query of the
 * dossier for the pages in its outlet (useDossierData in app/components/dossier/DossierData.ts).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "applicant");
  const view = await orErrorPage(getDossierViewForMember(user, params.reference ?? ""));
  const closesAt = new Date(view.wave.closesAt);
  const overseas: OverseasDeadline[] = [];
  for (const code of new Set(view.territory.communes.map((commune) => commune.departementCode))) {
    const timeZone = timeZoneOfDepartement(code);
    const time = OVERSEAS_PLACES[code] ? deadlineElsewhere(closesAt, timeZone) : null;
    if (time && !overseas.some((item) => item.timeZone === timeZone)) overseas.push({ place: OVERSEAS_PLACES[code], timeZone, time });
  }
  const lastCorrectionRequest = view.events.findLast((event) => event.event === "request_changes") ?? null;
  return json({
    ...view,
    now: new Date().toISOString(),
    overseasDeadlines: overseas,
    correctionRequest: lastCorrectionRequest && { motivation: lastCorrectionRequest.motivation, createdAt: lastCorrectionRequest.createdAt },
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.dossier.title || "Dossier sans titre"} — ${data.dossier.reference} — Portail Médicobus` : "Dossier — Portail Médicobus" },
];

/** Leaving the messages, which marked the thread read: the unread counts shown here must drop. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ currentUrl, defaultShouldRevalidate }) =>
  currentUrl.pathname.endsWith("/messages") || defaultShouldRevalidate;

export default function DossierLayout() {
  const data = useLoaderData<typeof loader>();
  const { pathname } = useLocation();
  const { dossier } = data;
  return (
    <div className="fr-container fr-mb-6w">
      <Breadcrumb currentPageLabel={`Dossier ${dossier.reference}`} segments={[{ label: "Mon espace", linkProps: { to: "/mon-espace" } }]} />
      <div className="fr-mb-4w">
        <p className="fr-mb-1w fr-text--sm">
          Dossier n° <strong>{dossier.reference}</strong> — {data.organisation.name} — {data.wave.title}
        </p>
        <h1 className="fr-mb-2w">{dossier.title || "Dossier sans titre"}</h1>
        <div className="fr-mb-2w">
          <DossierStatusBadge status={dossier.status} />
        </div>
        {dossier.status === "draft" ? (
          <DeadlineNotice closesAt={data.wave.closesAt} serverNow={data.now} overseas={data.overseasDeadlines} countdown />
        ) : dossier.submittedAt ? (
          <p className="fr-mb-0">
            <span className="fr-icon-checkbox-circle-line fr-icon--sm fr-mr-1v" aria-hidden="true" />
            Déposé le {formatDateTime(new Date(dossier.submittedAt))} (heure de Paris)
          </p>
        ) : null}
      </div>
      {dossier.status === "changes_requested" ? (
        <DossierCorrectionsBanner reference={dossier.reference} request={data.correctionRequest} reopenedSections={dossier.reopenedSections} />
      ) : null}
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-4 fr-col-lg-3">
          <DossierStepsMenu
            reference={dossier.reference}
            missing={data.missing}
            pathname={pathname}
            unreadMessages={data.unreadMessages}
            reopenedSections={dossier.status === "changes_requested" ? dossier.reopenedSections : []}
            showProgress={dossier.status === "draft" || dossier.status === "changes_requested"}
          />
        </div>
        <div className="fr-col-12 fr-col-md-8 fr-col-lg-9">
          <Outlet />
        </div>
      </div>
    </div>
  );
}
