import { SECTION_KEYS, type SectionKey } from "~/modules/applications/form";
import { formatDateTime } from "~/modules/calls/time";
import { SECTION_TITLES } from "./DossierLinks";

export interface TimelineEvent {
  id: number;
  event: string;
  motivation: string | null;
  data?: unknown;
  createdAt: string;
  actorName: string | null;
}

/**
 * What each history row says to the applicant. Their own steps name the person; the ARS's and the
 * programme's name the institution (agents act for it); a few carry the motivation the applicant
 * must read (why corrections, why not retained).
 */
const EVENTS: Record<string, { label: string; by: "actor" | "ars" | "programme" | null; showMotivation: boolean }> = {
  create: { label: "Dossier créé", by: "actor", showMotivation: false },
  submit: { label: "Déposé", by: "actor", showMotivation: false },
  resubmit: { label: "Déposé à nouveau après corrections", by: "actor", showMotivation: false },
  request_changes: { label: "Corrections demandées", by: "ars", showMotivation: true },
  admit: { label: "Déclaré recevable, instruction en cours", by: "ars", showMotivation: false },
  declare_ineligible: { label: "Déclaré irrecevable", by: "ars", showMotivation: true },
  complete_review: { label: "Instruction terminée", by: null, showMotivation: false },
  select: { label: "Retenu", by: "programme", showMotivation: false },
  waitlist: { label: "Inscrit sur la liste complémentaire", by: "programme", showMotivation: false },
  reject: { label: "Non retenu", by: "programme", showMotivation: true },
  reopen_decision: { label: "Décision réexaminée", by: "programme", showMotivation: true },
  withdraw: { label: "Retiré", by: "actor", showMotivation: true },
};

function byWhom(by: "actor" | "ars" | "programme" | null, actorName: string | null) {
  if (by === "actor") return actorName ? ` par ${actorName}` : "";
  if (by === "ars") return " par l'agence régionale de santé";
  if (by === "programme") return " par l'équipe du programme";
  return "";
}

function reopenedSectionsOf(data: unknown): SectionKey[] {
  const sections = (data as { sections?: unknown } | null)?.sections;
  return Array.isArray(sections) ? sections.filter((key): key is SectionKey => (SECTION_KEYS as string[]).includes(key)) : [];
}

/** The dossier's history, newest first: « Déposé le 6 janvier 2027 à 11:42 par Marie Durand ». */
export function TimelineList({ events }: { events: TimelineEvent[] }) {
  const newestFirst = [...events].reverse();
  return (
    <ol className="fr-raw-list">
      {newestFirst.map((event) => {
        const text = EVENTS[event.event] ?? { label: event.event, by: null, showMotivation: false };
        const sections = event.event === "request_changes" ? reopenedSectionsOf(event.data) : [];
        return (
          <li key={event.id} className="fr-highlight fr-ml-0 fr-mb-3w">
            <p className="fr-text--md fr-mb-1v">
              <strong>{text.label}</strong> le {formatDateTime(new Date(event.createdAt))}
              {byWhom(text.by, event.actorName)}
            </p>
            {sections.length > 0 ? (
              <p className="fr-text--sm fr-mb-1v">Parties rouvertes : {sections.map((key) => SECTION_TITLES[key]).join(", ")}</p>
            ) : null}
            {text.showMotivation && event.motivation ? (
              <p className="fr-text--sm fr-mb-0" style={{ whiteSpace: "pre-wrap" }}>
                Motif : {event.motivation}
              </p>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
