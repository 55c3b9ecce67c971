import type { ApplicationStatus } from "~db/schema";
import { SECTION_TITLES } from "~/components/dossier/DossierLinks";
import { STATUS_LABELS } from "~/modules/applications/lifecycle";
import { formatDateTime } from "~/modules/calls/time";

export interface HistoryEvent {
  id: number;
  event: string;
  fromStatus: ApplicationStatus | null;
  toStatus: ApplicationStatus | null;
  motivation: string | null;
  data?: unknown;
  createdAt: string;
  actorName: string | null;
}

export interface HistoryAmendment {
  rubricLabel: string;
  evaluatorName: string;
  reason: string;
  at: string;
  amendedByName: string | null;
}

/** What each history row says to an agent; unlike the applicant's timeline, agents see who acted and every motivation. */
const EVENT_LABELS: Record<string, string> = {
  create: "Dossier créé",
  submit: "Dossier déposé",
  resubmit: "Dossier déposé à nouveau après corrections",
  request_changes: "Corrections demandées",
  admit: "Déclaré recevable",
  declare_ineligible: "Déclaré irrecevable",
  complete_review: "Instruction terminée : les deux grilles sont notées",
  select: "Retenu",
  waitlist: "Inscrit sur la liste complémentaire",
  reject: "Non retenu",
  reopen_decision: "Décision réexaminée",
  withdraw: "Retiré par le porteur de projet",
};

function stringList(data: unknown, key: string): string[] {
  const value = (data as Record<string, unknown> | null)?.[key];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

type Row = { key: string; at: string; title: string; by: string | null; lines: string[]; motivation: string | null };

/**
 * The dossier's history for the agents, newest first: status changes with their author and
 * motivation, the checks that failed when admissibility was decided, and the amendments of
 * submitted evaluations with their reason.
 */
export function DossierHistory({ events, amendments, checkLabels }: { events: readonly HistoryEvent[]; amendments: readonly HistoryAmendment[]; checkLabels: Record<string, string> }) {
  const rows: Row[] = [
    ...events.map((event): Row => {
      const lines: string[] = [];
      if (event.fromStatus && event.toStatus && event.fromStatus !== event.toStatus) lines.push(`Statut : ${STATUS_LABELS[event.fromStatus]} → ${STATUS_LABELS[event.toStatus]}`);
      const sections = stringList(event.data, "sections");
      if (sections.length > 0) lines.push(`Parties rouvertes : ${sections.map((key) => SECTION_TITLES[key as keyof typeof SECTION_TITLES] ?? key).join(", ")}`);
      const failed = stringList(event.data, "failedChecks");
      if (event.event === "admit" || event.event === "declare_ineligible") {
        lines.push(failed.length > 0 ? `Points non conformes au moment de la décision : ${failed.map((code) => checkLabels[code] ?? code).join(" ; ")}` : "Tous les points de la liste de vérification étaient conformes.");
      }
      return { key: `event-${event.id}`, at: event.createdAt, title: EVENT_LABELS[event.event] ?? event.event, by: event.actorName, lines, motivation: event.motivation };
    }),
    ...amendments.map(
      (amendment, index): Row => ({
        key: `amendment-${index}`,
        at: amendment.at,
        title: `Évaluation modifiée après soumission (${amendment.rubricLabel.toLowerCase()}, ${amendment.evaluatorName})`,
        by: amendment.amendedByName,
        lines: [],
        motivation: amendment.reason,
      }),
    ),
  ].sort((a, b) => b.at.localeCompare(a.at));

  if (rows.length === 0) return <p>Aucun événement pour le moment.</p>;
  return (
    <ol className="fr-raw-list" aria-label="Historique du dossier, du plus récent au plus ancien">
      {rows.map((row) => (
        <li key={row.key} className="fr-highlight fr-ml-0 fr-mb-3w">
          <p className="fr-mb-1v">
            <strong>{row.title}</strong> le <time dateTime={row.at}>{formatDateTime(new Date(row.at))}</time>
            {row.by ? ` par ${row.by}` : ""}
          </p>
          {row.lines.map((line) => (
            <p key={line} className="fr-text--sm fr-mb-1v">
              {line}
            </p>
          ))}
          {row.motivation ? (
            <p className="fr-text--sm fr-mb-0" style={{ whiteSpace: "pre-wrap" }}>
              Motivation : {row.motivation}
            </p>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
