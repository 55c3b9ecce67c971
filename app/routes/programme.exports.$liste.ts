import type { LoaderFunctionArgs } from "@remix-run/node";
import { orErrorPage } from "~/modules/applications/route-errors.server";
import { parseAuditFilters } from "~/modules/audit/queries.server";
import { requireRole } from "~/modules/auth/session.server";
import { readExportFormat } from "~/modules/exports/columns";
import { auditExport, decisionsExport, isProgrammeList, ledgerExport, rankingExport } from "~/modules/exports/lists.server";
import { exportResponse } from "~/modules/exports/stream.server";

/**
 * The programme's lists as CSV or XLSX files: /programme/exports/decisions, /ecritures,
 * /journal (with the journal's filters) and /classement?vague=<id>, each `?format=csv|xlsx`.
 * Program managers only; the role is checked here, not by the layout (a resource route has none).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const manager = await requireRole(request, "program_manager");
  const name = params.liste ?? "";
  if (!isProgrammeList(name)) throw new Response("Cet export n'existe pas.", { status: 404 });
  const searchParams = new URL(request.url).searchParams;
  const format = readExportFormat(searchParams.get("format"));
  return orErrorPage(
    (async () => {
      switch (name) {
        case "decisions":
          return exportResponse(decisionsExport(manager), format);
        case "ecritures":
          return exportResponse(ledgerExport(manager), format);
        case "journal":
          return exportResponse(await auditExport(manager, parseAuditFilters(Object.fromEntries(searchParams))), format);
        case "classement":
          return exportResponse(await rankingExport(manager, searchParams.get("vague") ?? ""), format);
      }
    })(),
  );
}
