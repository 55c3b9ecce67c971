import type { LoaderFunctionArgs } from "@remix-run/node";
import { findPieceForAgent } from "~/modules/applications/pieces.server";
import { orErrorPage } from "~/modules/applications/route-errors.server";
import { INSTRUCTION_ROLES } from "~/modules/auth/roles";
import { requireRole } from "~/modules/auth/session.server";
import { storedFileResponse } from "~/modules/files/download.server";

/**
 * A file of a dossier for an agent who may see the dossier (404 outside its scope), streamed
 * from storage: a download, or with `?apercu=1` a PDF shown inline by the browser.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const agent = await requireRole(request, INSTRUCTION_ROLES);
  const piece = await orErrorPage(findPieceForAgent(agent, params.reference ?? "", params.pieceId ?? ""));
  return storedFileResponse(piece, { inline: new URL(request.url).searchParams.get("apercu") === "1" });
}
