import type { SerializeFrom } from "@remix-run/node";
import { useRouteLoaderData } from "@remix-run/react";
import type { loader } from "~/routes/dossiers.$reference";

/** The id Remix gives the dossier layout route (app/routes/dossiers.$reference.tsx). */
export const DOSSIER_ROUTE_ID = "routes/dossiers.$reference";

export type DossierLayoutData = SerializeFrom<typeof loader>;

/**
 * The dossier as the layout loaded it (getDossierViewForMember, already authorized), for the pages
 * rendered in its outlet: they show it without querying it again.
 */
export function useDossierData(): DossierLayoutData {
  const data = useRouteLoaderData<typeof loader>(DOSSIER_ROUTE_ID);
  if (!data) throw new Error("useDossierData() est appelé hors des pages d'un dossier.");
  return data;
}
