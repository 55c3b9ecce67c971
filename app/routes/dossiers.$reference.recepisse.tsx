import type { LoaderFunctionArgs } from "@remix-run/node";
import { renderDossierReceipt } from "~/modules/applications/receipt.server";
import { orErrorPage } from "~/modules/applications/route-errors.server";
import { requireRole } from "~/modules/auth/session.server";

/** The submission receipt as a PDF download: members of the dossier's organisation only, once submitted (404 otherwise). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "applicant");
  const { fileName, pdf } = await orErrorPage(renderDossierReceipt(user, params.reference ?? ""));
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Content-Length": String(pdf.length),
      // A receipt names people and amounts: not for shared caches.
      "Cache-Control": "private, no-store",
    },
  });
}
