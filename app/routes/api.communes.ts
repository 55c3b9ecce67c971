import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/modules/auth/session.server";
import type { CommuneOption } from "~/components/dossier/SectionFormData";
import { searchCommunes } from "~/modules/geo/communes.server";

const MAX_COMMUNE_QUERY_LENGTH = 100;
const MAX_RESULTS = 20;

/**
 * The communes search of the territory step (name, postal code or INSEE code), for signed-in
 * users only: the COG is public, but this is not an open API.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const query = new URL(request.url).searchParams.get("q") ?? "";
  if (query.length > MAX_COMMUNE_QUERY_LENGTH) {
    return json({ message: `La recherche compte ${MAX_COMMUNE_QUERY_LENGTH} caractères au plus.`, communes: [] }, { status: 400 });
  }
  const communes: CommuneOption[] = searchCommunes(query, MAX_RESULTS).map(({ code, name, departementCode, postalCodes, population }) => ({ code, name, departementCode, postalCodes, population }));
  // The COG changes once a year: a browser may keep an answer for a few minutes.
  return json({ query, communes }, { headers: { "Cache-Control": "private, max-age=300" } });
}
