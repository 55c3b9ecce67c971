import { formatDateTime } from "~/modules/calls/time";
import { ACCEPTED_FILE_TYPES } from "~/modules/files/types";

const sizes = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });

function formatSize(bytes: number) {
  if (bytes < 1024) return `${bytes} octets`;
  if (bytes < 1024 * 1024) return `${sizes.format(bytes / 1024)} ko`;
  return `${sizes.format(bytes / 1024 / 1024)} Mo`;
}

function typeLabel(mimeType: string) {
  return ACCEPTED_FILE_TYPES.find((type) => type.mimeType === mimeType)?.code.toUpperCase() ?? mimeType;
}

/** Where an agent downloads a file of a dossier; `?apercu=1` opens a PDF in the browser instead. */
export function pieceHref(reference: string, pieceId: string, preview = false) {
  return `/instruction/dossiers/${encodeURIComponent(reference)}/pieces/${pieceId}${preview ? "?apercu=1" : ""}`;
}

/**
 * A file of a dossier for an agent: the download, and for a PDF an « Aperçu » that opens it in a
 * new tab (the title says so, as the RGAA asks for a new window).
 */
export function DossierFileLinks({ reference, file }: { reference: string; file: { id: string; fileName: string; mimeType: string; sizeBytes: number; createdAt: string } }) {
  return (
    <>
      <a className="fr-link fr-link--download" href={pieceHref(reference, file.id)} download>
        {file.fileName}
        <span className="fr-link__detail">
          {typeLabel(file.mimeType)} – {formatSize(file.sizeBytes)} – déposé le {formatDateTime(new Date(file.createdAt))}
        </span>
      </a>
      {file.mimeType === "application/pdf" ? (
        <a className="fr-link fr-link--sm fr-ml-2w" href={pieceHref(reference, file.id, true)} target="_blank" rel="noopener noreferrer" title={`Aperçu de « ${file.fileName} » – nouvelle fenêtre`}>
          Aperçu<span className="fr-sr-only"> de « {file.fileName} »</span>
        </a>
      ) : null}
    </>
  );
}
