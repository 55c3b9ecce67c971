import type { LoaderFunctionArgs } from "@remix-run/node";
import { orErrorPage } from "~/modules/applications/route-errors.server";
import { requireRole } from "~/modules/auth/session.server";
import { scdlResponse } from "~/modules/exports/scdl.server";

/**
 * The awarded subsidies as open data, in the SCDL « subventions » schema (CSV as the schema
 * wants it: comma, UTF-8, point decimals). Refused with 409 and the list of problems when a row
 * breaks a rule of the schema: nothing half-valid is ever published.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const manager = await requireRole(request, "program_manager");
  return orErrorPage(scdlResponse(manager));
}
