/**
 * The file types a pièce justificative may have. The type of an upload is decided by its bytes
 * (see sniff.ts), never by its name or by the Content-Type the browser sends; the first
 * extension of each type is the one a stored file name ends with.
 */
export const ACCEPTED_FILE_TYPES = [
  { code: "pdf", label: "Document PDF", mimeType: "application/pdf", extensions: ["pdf"] },
  { code: "png", label: "Image PNG", mimeType: "image/png", extensions: ["png"] },
  { code: "jpeg", label: "Image JPEG", mimeType: "image/jpeg", extensions: ["jpg", "jpeg"] },
  { code: "odt", label: "Texte OpenDocument (ODT)", mimeType: "application/vnd.oasis.opendocument.text", extensions: ["odt"] },
  { code: "ods", label: "Tableur OpenDocument (ODS)", mimeType: "application/vnd.oasis.opendocument.spreadsheet", extensions: ["ods"] },
  {
    code: "docx",
    label: "Document Word (DOCX)",
    mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    extensions: ["docx"],
  },
  {
    code: "xlsx",
    label: "Classeur Excel (XLSX)",
    mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    extensions: ["xlsx"],
  },
] as const;

export type AcceptedFileType = (typeof ACCEPTED_FILE_TYPES)[number];
export type AcceptedFileTypeCode = AcceptedFileType["code"];

export function acceptedFileType(code: AcceptedFileTypeCode): AcceptedFileType {
  const type = ACCEPTED_FILE_TYPES.find((candidate) => candidate.code === code);
  if (!type) throw new Error(`Unknown file type code: ${code}`);
  return type;
}

export const MAX_FILE_MEGABYTES = 20;
export const MAX_FILE_BYTES = MAX_FILE_MEGABYTES * 1024 * 1024;

/**
 * For the file input's `accept` attribute: it only filters the browser's file picker (a
 * convenience), the server still decides by the bytes.
 */
export const FILE_INPUT_ACCEPT = ACCEPTED_FILE_TYPES.flatMap((type) => [
  ...type.extensions.map((extension) => `.${extension}`),
  type.mimeType,
]).join(",");

/** The hint under the DSFR upload field. */
export const FILE_INPUT_HINT = `Taille maximale : ${MAX_FILE_MEGABYTES} Mo. Formats acceptés : ${ACCEPTED_FILE_TYPES.map((type) =>
  type.code.toUpperCase(),
).join(", ")}.`;

/**
 * Written as a sentence rather than generated from the list, because French needs the
 * grouping (« une image PNG ou JPEG »); a test checks that it names every accepted type.
 */
export const REJECTED_TYPE_MESSAGE =
  "Ce type de fichier n'est pas accepté : déposez un PDF, une image PNG ou JPEG, ou un document ODT, ODS, DOCX ou XLSX.";
export const TOO_LARGE_MESSAGE = `Le fichier dépasse ${MAX_FILE_MEGABYTES} Mo.`;
