import { type AcceptedFileType } from "./types";

export const MAX_FILE_NAME_LENGTH = 120;
const FALLBACK_STEM = "document";

/** Control and format characters, including the bidi overrides that make « fdp.exe » read « exe.pdf ». */
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;
/** Reserved on Windows, where reviewers download the files; `/` and `\` are gone with the directory part already. */
const RESERVED = /[<>:"/\\|?*]/g;
/**
 * What counts as an extension: a few letters or digits with at least one letter, so that
 * « compte rendu 12.03.2024 » keeps its date, while « devis.exe » loses « exe ».
 */
const EXTENSION = /^(?=.*\p{L})[\p{L}\p{N}]{1,8}$/u;

/**
 * The name a piece is stored and downloaded under: the user's own name, accents kept, made
 * harmless for a file system and a Content-Disposition header. With the sniffed `type`, the
 * extension is forced to that type's, so that a file opens in the right application
 * (`devis.exe` that is a PDF becomes `devis.pdf`).
 */
export function sanitizeFileName(name: string, type?: AcceptedFileType): string {
  const base = name.split(/[/\\]/).pop() ?? "";
  const cleaned = trimDotsAndSpaces(
    base
      .replace(/\s+/gu, " ")
      .replace(INVISIBLE, "")
      .replace(RESERVED, "")
      .normalize("NFC")
      .replace(/ {2,}/g, " "),
  );
  const { stem, extension } = splitExtension(cleaned);
  const finalExtension = type ? extensionFor(type, extension) : extension;
  const suffix = finalExtension ? `.${finalExtension}` : "";
  const room = MAX_FILE_NAME_LENGTH - Array.from(suffix).length;
  const cappedStem = trimDotsAndSpaces(Array.from(stem).slice(0, room).join(""));
  return `${cappedStem || FALLBACK_STEM}${suffix}`;
}

function extensionFor(type: AcceptedFileType, current: string): string {
  const lower = current.toLowerCase();
  return (type.extensions as readonly string[]).includes(lower) ? lower : type.extensions[0];
}

function splitExtension(name: string): { stem: string; extension: string } {
  const dot = name.lastIndexOf(".");
  const extension = dot > 0 ? name.slice(dot + 1) : "";
  if (!EXTENSION.test(extension)) return { stem: name, extension: "" };
  return { stem: name.slice(0, dot), extension };
}

/** Leading dots hide a file on Unix; trailing dots and spaces are dropped by Windows. */
function trimDotsAndSpaces(text: string): string {
  return text.replace(/^[. ]+/, "").replace(/[. ]+$/, "");
}
