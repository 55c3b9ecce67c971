import type { SerializeFrom } from "@remix-run/node";
import { useRouteLoaderData } from "@remix-run/react";
import type { loader } from "~/routes/instruction.dossiers.$reference";

/** The id Remix gives the instruction layout of a dossier (app/routes/instruction.dossiers.$reference.tsx). */
export const INSTRUCTION_DOSSIER_ROUTE_ID = "routes/instruction.dossiers.$reference";

export type InstructionDossierData = SerializeFrom<typeof loader>;

/**
 * The dossier as the instruction layout loaded it (getInstructionView: already scoped to the
 * agent, scores hidden from a conflicted agent), for the tabs rendered in its outlet.
 */
export function useInstructionData(): InstructionDossierData {
  const data = useRouteLoaderData<typeof loader>(INSTRUCTION_DOSSIER_ROUTE_ID);
  if (!data) throw new Error("useInstructionData() est appelé hors des pages d'instruction d'un dossier.");
  return data;
}

/** The URL of a tab of the dossier: `dossierTab("MB-…", "messages")`. */
export function dossierTab(reference: string, tab: "" | "recevabilite" | "evaluations" | "messages" | "notes" | "historique") {
  const base = `/instruction/dossiers/${encodeURIComponent(reference)}`;
  return tab ? `${base}/${tab}` : base;
}
