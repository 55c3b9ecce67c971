import { createReadableStreamFromReadable, type LoaderFunctionArgs } from "@remix-run/node";
import { orErrorPage } from "~/modules/applications/route-errors.server";
import { requireRole } from "~/modules/auth/session.server";
import { contentDisposition } from "~/modules/files/download.server";
import { decisionLetterForMember } from "~/modules/letters/service.server";

/**
 * The decision letter of a dossier, as it was mailed: members of the dossier's organisation only,
 * once the letter is prepared and while its decision stands (404 otherwise, as for the receipt).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "applicant");
  const letter = await orErrorPage(decisionLetterForMember(user, params.reference ?? ""));
  if (!letter) throw new Response("Aucun courrier de décision n'est disponible pour ce dossier.", { status: 404 });
  const stream = await orErrorPage(letter.open());
  return new Response(createReadableStreamFromReadable(stream), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": contentDisposition("attachment", letter.fileName),
      "Cache-Control": "private, no-store",
    },
  });
}
