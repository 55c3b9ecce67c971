import regionsData from "@etalab/decoupage-administratif/data/regions.json";

export interface Region {
  /** INSEE code of the région (COG), e.g. « 28 » for Normandie. */
  code: string;
  name: string;
}

/**
 * The 18 régions that have an ARS (13 in metropolitan France, 5 overseas), read from the official
 * geographic code (COG) so that a redrawn map is a package update, not a code change. The
 * collectivités d'outre-mer (« com » zone) have no ARS of their own and are left out.
 */
export const REGIONS: readonly Region[] = regionsData
  .filter((region) => region.zone === "metro" || region.zone === "drom")
  .map((region) => ({ code: region.code, name: region.nom }))
  .sort((a, b) => a.name.localeCompare(b.name, "fr"));

const NAMES = new Map(REGIONS.map((region) => [region.code, region.name]));

export function isRegionCode(code: string) {
  return NAMES.has(code);
}

/** « Normandie » for « 28 »; the code itself for an unknown one (an old row, a redrawn map). */
export function regionName(code: string) {
  return NAMES.get(code) ?? `Région ${code}`;
}
