import { createReadableStreamFromReadable, type LoaderFunctionArgs } from "@remix-run/node";
import { findPieceForMember } from "~/modules/applications/pieces.server";
import { requireUser } from "~/modules/auth/session.server";
import { StoredFileNotFoundError, fileStorage } from "~/modules/files/storage.server";
import { DomainError } from "~/utils/errors";

/** `filename` for old clients (ASCII, no quotes), `filename*` (RFC 6266 / 5987) with the real name. */
function contentDisposition(fileName: string) {
  const ascii = fileName.normalize("NFD").replace(/[^\x20-\x7e]/g, "").replace(/["\\%;]/g, "_") || "piece";
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * A file of a dossier, for a member of its organisation (404 for anyone else), streamed from
 * storage. Always a download with the type found in its bytes at upload, never sniffed again by
 * the browser: a file is never rendered in the portal's origin.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  let piece: Awaited<ReturnType<typeof findPieceForMember>>;
  try {
    piece = await findPieceForMember(user, params.reference ?? "", params.pieceId ?? "");
  } catch (error) {
    if (error instanceof DomainError) throw new Response(error.message, { status: error.status });
    throw error;
  }
  let stream;
  try {
    stream = await fileStorage().get(piece.sha256);
  } catch (error) {
    if (!(error instanceof StoredFileNotFoundError)) throw error;
    // The row exists and the bytes do not: storage lost them. Say it, and leave a trace.
    console.error(`Pièce ${piece.id} (${piece.sha256}) introuvable dans le stockage`);
    throw new Response("Le fichier est introuvable dans le stockage du portail.", { status: 404 });
  }
  return new Response(createReadableStreamFromReadable(stream), {
    headers: {
      "Content-Type": piece.mimeType,
      "Content-Length": String(piece.sizeBytes),
      "Content-Disposition": contentDisposition(piece.fileName),
      // X-Content-Type-Options: nosniff is on every response of the portal (app/http/server.ts);
      // set here too, the adapter would send it twice.
      "Cache-Control": "private, no-store",
    },
  });
}
