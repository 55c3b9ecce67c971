import { formatDateTime } from "~/modules/calls/time";

export interface PrivateNote {
  id: string;
  body: string;
  createdAt: string;
  authorName: string | null;
}

/** The annotations privées of a dossier, oldest first, each with its author and time. */
export function NotesList({ notes }: { notes: readonly PrivateNote[] }) {
  if (notes.length === 0) return <p>Aucune annotation pour le moment.</p>;
  return (
    <ol className="fr-raw-list fr-mb-4w" aria-label="Annotations privées">
      {notes.map((note) => (
        <li key={note.id} className="fr-highlight fr-ml-0 fr-mb-3w">
          <p className="fr-text--sm fr-mb-1v">
            <strong>{note.authorName ?? "Agent"}</strong> · <time dateTime={note.createdAt}>le {formatDateTime(new Date(note.createdAt))}</time>
          </p>
          <p className="fr-mb-0" style={{ whiteSpace: "pre-wrap" }}>
            {note.body}
          </p>
        </li>
      ))}
    </ol>
  );
}
