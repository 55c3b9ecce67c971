import departementsData from "@etalab/decoupage-administratif/data/departements.json";

export interface Departement {
  code: string;
  name: string;
  regionCode: string;
  zone: "metro" | "drom" | "com";
}

/** The départements of the official geographic code (COG), from @etalab/decoupage-administratif. */
export const DEPARTEMENTS: readonly Departement[] = departementsData.map((d) => ({
  code: d.code,
  name: d.nom,
  regionCode: d.region,
  zone: d.zone as Departement["zone"],
}));

const BY_CODE = new Map(DEPARTEMENTS.map((d) => [d.code, d]));

export function findDepartement(code: string) {
  return BY_CODE.get(code) ?? null;
}

export function departementName(code: string) {
  return BY_CODE.get(code)?.name ?? `Département ${code}`;
}

/**
 * The time zone a département's applicants live in, to show them their local time next to the
 * Paris deadline. Only overseas départements differ from Paris.
 */
const OVERSEAS_TIME_ZONES: Record<string, string> = {
  "971": "America/Guadeloupe",
  "972": "America/Martinique",
  "973": "America/Cayenne",
  "974": "Indian/Reunion",
  "976": "Indian/Mayotte",
};

export function timeZoneOfDepartement(code: string) {
  return OVERSEAS_TIME_ZONES[code] ?? "Europe/Paris";
}
