import { SideMenu, type SideMenuProps } from "@codegouvfr/react-dsfr/SideMenu";
import type { SectionKey } from "~/modules/applications/form";
import { sectionPath, stepsWithProgress } from "./DossierLinks";

type StepState = "complete" | "incomplete" | "reopened";

const STEP_MARKS: Record<StepState, { label: string; badge: string }> = {
  complete: { label: "Complet", badge: "fr-badge--success" },
  incomplete: { label: "À compléter", badge: "fr-badge--warning" },
  reopened: { label: "À corriger", badge: "fr-badge--warning" },
};

/** Under the step's title (the side menu is narrow: beside it, the badge would wrap). */
function StepLabel({ title, state }: { title: string; state: StepState | null }) {
  if (!state) return <>{title}</>;
  return (
    <span>
      <span style={{ display: "block" }}>{title}</span>
      <span className={`fr-badge fr-badge--sm fr-badge--no-icon fr-mt-1v ${STEP_MARKS[state].badge}`}>{STEP_MARKS[state].label}</span>
    </span>
  );
}

/**
 * The dossier's navigation: its overview, the seven steps of the form each marked « Complet »,
 * « À compléter » (from the same missing items as the recap) or « À corriger », and the messages. The page shown is
 * marked aria-current.
 */
export function DossierStepsMenu({
  reference,
  missing,
  pathname,
  unreadMessages,
  reopenedSections,
  showProgress,
}: {
  reference: string;
  missing: ReadonlyArray<{ section: SectionKey }>;
  pathname: string;
  unreadMessages: number;
  /** In correction: the parts the ARS reopened, marked « À corriger ». */
  reopenedSections: readonly string[];
  /** Only while the dossier can still change: after submission « À compléter » would be noise. */
  showProgress: boolean;
}) {
  const base = `/dossiers/${reference}`;
  const here = pathname.replace(/\/+$/, "");
  const messagesPath = `${base}/messages`;
  const items: SideMenuProps.Item[] = [
    { text: "Vue d'ensemble", linkProps: { to: base }, isActive: here === base },
    ...stepsWithProgress(missing).map((step) => {
      const to = sectionPath(reference, step.key);
      return {
        text: <StepLabel title={`${step.number}. ${step.title}`} state={!showProgress ? null : reopenedSections.includes(step.key) ? "reopened" : step.complete ? "complete" : "incomplete"} />,
        linkProps: { to },
        isActive: here === to,
      };
    }),
    {
      text: (
        <>
          Messagerie
          {unreadMessages > 0 && here !== messagesPath ? (
            <span className="fr-badge fr-badge--sm fr-badge--info fr-badge--no-icon fr-ml-1w">
              {unreadMessages} non lu{unreadMessages > 1 ? "s" : ""}
            </span>
          ) : null}
        </>
      ),
      linkProps: { to: messagesPath },
      isActive: here === messagesPath,
    },
  ];
  return <SideMenu id="dossier-menu" title="Mon dossier" burgerMenuButtonText="Étapes du dossier" items={items} />;
}
