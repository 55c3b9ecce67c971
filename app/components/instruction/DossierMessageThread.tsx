import { fr } from "@codegouvfr/react-dsfr";
import { formatDateTime } from "~/modules/calls/time";

export interface ThreadMessage {
  id: string | number;
  side: "applicant" | "agent";
  body: string;
  createdAt: string;
  authorName: string | null;
}

/**
 * The thread between the applicant and the agents, oldest first, as the agents read it: each
 * message names its author and side in words (the background colour only repeats it).
 */
export function DossierMessageThread({ messages }: { messages: readonly ThreadMessage[] }) {
  if (messages.length === 0) return <p>Aucun message pour le moment.</p>;
  return (
    <ol className="fr-raw-list fr-mb-4w" aria-label="Messages du dossier">
      {messages.map((message) => (
        <li
          key={message.id}
          className="fr-p-3w fr-mb-2w"
          style={{ background: message.side === "agent" ? fr.colors.decisions.background.alt.blueFrance.default : fr.colors.decisions.background.alt.grey.default }}
        >
          <article aria-label={`Message du ${formatDateTime(new Date(message.createdAt))}`}>
            <p className="fr-text--sm fr-mb-1w">
              <strong>{message.side === "agent" ? `${message.authorName ?? "Agent"} — instruction` : `${message.authorName ?? "Membre de l'organisation"} — porteur de projet`}</strong>
              {" · "}
              <time dateTime={message.createdAt}>le {formatDateTime(new Date(message.createdAt))}</time>
            </p>
            <p className="fr-mb-0" style={{ whiteSpace: "pre-wrap" }}>
              {message.body}
            </p>
          </article>
        </li>
      ))}
    </ol>
  );
}
