import { findCommune, type Commune } from "~/modules/geo/communes.server";
import { departementName } from "~/modules/geo/departements";
import { regionName } from "~/modules/geo/regions";

export interface TerritorySummary {
  communes: Commune[];
  unknownCodes: string[];
  populationCovered: number;
  departementCodes: string[];
  regionCodes: string[];
  /** The single région of the territory; null when there is none yet or more than one. */
  regionCode: string | null;
}

/** What the portal computes from the communes served: population, départements, région (COG). */
export function summarizeTerritory(codes: readonly string[]): TerritorySummary {
  const communes: Commune[] = [];
  const unknownCodes: string[] = [];
  for (const code of codes) {
    const commune = findCommune(code);
    if (commune) communes.push(commune);
    else unknownCodes.push(code);
  }
  const departementCodes = [...new Set(communes.map((c) => c.departementCode))].sort();
  const regionCodes = [...new Set(communes.map((c) => c.regionCode))].sort();
  return {
    communes,
    unknownCodes,
    populationCovered: communes.reduce((total, c) => total + c.population, 0),
    departementCodes,
    regionCodes,
    regionCode: regionCodes.length === 1 ? regionCodes[0] : null,
  };
}

/** The French explanation for a territory the call cannot accept, or null. */
export function territoryProblem(summary: TerritorySummary): string | null {
  if (summary.unknownCodes.length > 0) {
    return `Commune inconnue du code officiel géographique : ${summary.unknownCodes.join(", ")}.`;
  }
  if (summary.regionCodes.length > 1) {
    return `Le territoire s'étend sur plusieurs régions (${summary.regionCodes.map(regionName).join(", ")}). Un dossier est instruit par l'ARS d'une seule région : déposez un dossier par région.`;
  }
  return null;
}

export function describeDepartements(codes: readonly string[]) {
  return codes.map((code) => `${departementName(code)} (${code})`);
}
