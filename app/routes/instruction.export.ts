import type { LoaderFunctionArgs } from "@remix-run/node";
import { readListValues } from "~/components/instruction/ListLinks";
import { orErrorPage } from "~/modules/applications/route-errors.server";
import { INSTRUCTION_ROLES } from "~/modules/auth/roles";
import { requireRole } from "~/modules/auth/session.server";
import { readExportFormat } from "~/modules/exports/columns";
import { dossierExport } from "~/modules/exports/lists.server";
import { exportResponse } from "~/modules/exports/stream.server";
import type { DossierListFilters } from "~/modules/instruction/schema";
import { agentScope } from "~/modules/instruction/scope";

/**
 * The instruction list as a CSV or XLSX file (`?format=csv|xlsx` and the list's own filters):
 * the same scope and filters as /instruction, so an ARS agent exports its région only. The
 * sort and page of the list do not apply: the file holds every matching dossier, by reference.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const agent = await requireRole(request, INSTRUCTION_ROLES);
  if (!agentScope(agent)) throw new Response("Votre compte n'a pas de région d'instruction : demandez-la à un administrateur.", { status: 403 });
  const searchParams = new URL(request.url).searchParams;
  const format = readExportFormat(searchParams.get("format"));
  // Raw query-string values: the list's schema parses them (400 in French when one does not parse).
  return orErrorPage((async () => exportResponse(dossierExport(agent, readListValues(searchParams) as DossierListFilters), format))());
}
