import type { LoaderFunctionArgs } from "@remix-run/node";
import { orErrorPage } from "~/modules/applications/route-errors.server";
import { requireRole } from "~/modules/auth/session.server";
import { contentDisposition } from "~/modules/files/download.server";
import { previewDecisionLetter } from "~/modules/letters/service.server";

/** The letter of a decision as it would be prepared now, shown in the browser's PDF viewer: the programme team only. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const manager = await requireRole(request, "program_manager");
  const { fileName, pdf } = await orErrorPage(previewDecisionLetter(manager, params.decisionId ?? ""));
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": contentDisposition("inline", `apercu-${fileName}`),
      "Content-Length": String(pdf.length),
      // A letter names people and amounts: not for shared caches.
      "Cache-Control": "private, no-store",
    },
  });
}
