import { Link } from "@remix-run/react";
import { dossierTab } from "./DossierData";

const TABS = [
  { tab: "", label: "Dossier" },
  { tab: "recevabilite", label: "Recevabilité" },
  { tab: "evaluations", label: "Évaluations" },
  { tab: "messages", label: "Messages" },
  { tab: "notes", label: "Notes privées" },
  { tab: "historique", label: "Historique" },
] as const;

/**
 * The tabs of a dossier, as links (one URL per tab: shareable, works without JavaScript, the
 * back button goes back a tab). Styled like DSFR tabs (DossierTabs.css); the current one is
 * marked aria-current="page", which is what a screen reader announces for a link.
 */
export function DossierTabs({ reference, pathname, unreadMessages }: { reference: string; pathname: string; unreadMessages: number }) {
  const base = dossierTab(reference, "");
  const current = (tab: string) => (tab === "" ? pathname.replace(/\/$/, "") === base : pathname === `${base}/${tab}` || pathname.startsWith(`${base}/${tab}/`));
  return (
    <nav className="mb-tabnav fr-mb-4w" aria-label="Rubriques du dossier">
      <ul className="fr-tabs__list">
        {TABS.map(({ tab, label }) => {
          const isCurrent = current(tab);
          // The count is what is unread elsewhere: on the messages tab itself, the thread is being read.
          const unread = tab === "messages" && !isCurrent && unreadMessages > 0 ? unreadMessages : 0;
          return (
            <li key={tab}>
              <Link className="fr-tabs__tab" to={dossierTab(reference, tab)} aria-current={isCurrent ? "page" : undefined} prefetch="intent">
                {label}
                {unread > 0 ? (
                  <span className="fr-badge fr-badge--sm fr-badge--info fr-badge--no-icon fr-ml-1w">
                    {unread}
                    <span className="fr-sr-only"> non lu{unread > 1 ? "s" : ""}</span>
                  </span>
                ) : null}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
