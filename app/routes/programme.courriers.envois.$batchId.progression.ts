import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { orErrorPage } from "~/modules/applications/route-errors.server";
import { requireRole } from "~/modules/auth/session.server";
import { letterBatchProgress } from "~/modules/letters/service.server";

/** The progress of a sending as JSON, polled by its page every second and a half while it runs. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const manager = await requireRole(request, "program_manager");
  const progress = await orErrorPage(letterBatchProgress(manager, params.batchId ?? ""));
  return json(progress, { headers: { "Cache-Control": "no-store" } });
}
