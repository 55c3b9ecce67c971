import { createReadableStreamFromReadable } from "@remix-run/node";
import { StoredFileNotFoundError, fileStorage } from "./storage.server";

/** `filename` for old clients (ASCII, no quotes), `filename*` (RFC 6266 / 5987) with the real name. */
export function contentDisposition(disposition: "attachment" | "inline", fileName: string) {
  const ascii = fileName.normalize("NFD").replace(/[^\x20-\x7e]/g, "").replace(/["\\%;]/g, "_") || "piece";
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * A stored file as an HTTP response, streamed, with the type found in its bytes at upload.
 * `inline` is honoured for PDFs only (the browser's PDF viewer shows them); any other type is
 * always a download, so no uploaded content is ever rendered as a page of the portal's origin.
 */
export async function storedFileResponse(file: { id: string; sha256: string; mimeType: string; sizeBytes: number; fileName: string }, options: { inline?: boolean } = {}) {
  let stream;
  try {
    stream = await fileStorage().get(file.sha256);
  } catch (error) {
    if (!(error instanceof StoredFileNotFoundError)) throw error;
    // The row exists and the bytes do not: storage lost them. Say it, and leave a trace.
    console.error(`Pièce ${file.id} (${file.sha256}) introuvable dans le stockage`);
    throw new Response("Le fichier est introuvable dans le stockage du portail.", { status: 404 });
  }
  const inline = options.inline === true && file.mimeType === "application/pdf";
  return new Response(createReadableStreamFromReadable(stream), {
    headers: {
      "Content-Type": file.mimeType,
      "Content-Length": String(file.sizeBytes),
      "Content-Disposition": contentDisposition(inline ? "inline" : "attachment", file.fileName),
      // X-Content-Type-Options: nosniff is on every response of the portal (app/http/server.ts).
      "Cache-Control": "private, no-store",
    },
  });
}
