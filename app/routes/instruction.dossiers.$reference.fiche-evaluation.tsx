import type { LoaderFunctionArgs } from "@remix-run/node";
import { orErrorPage } from "~/modules/applications/route-errors.server";
import { INSTRUCTION_ROLES } from "~/modules/auth/roles";
import { requireRole } from "~/modules/auth/session.server";
import { renderEvaluationSheetFor } from "~/modules/instruction/evaluation-sheet.server";

/**
 * The evaluation sheet as a PDF download: agents whose scope covers the dossier (404 otherwise);
 * an agent who declared a conflict of interest gets 403, since the sheet shows everyone's scores.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const agent = await requireRole(request, INSTRUCTION_ROLES);
  const { fileName, pdf } = await orErrorPage(renderEvaluationSheetFor(agent, params.reference ?? ""));
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Content-Length": String(pdf.length),
      // Scores and names of evaluators: not for shared caches.
      "Cache-Control": "private, no-store",
    },
  });
}
