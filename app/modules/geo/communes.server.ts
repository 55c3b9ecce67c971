import { createRequire } from "node:module";

export interface Commune {
  /** INSEE code (COG). */
  code: string;
  name: string;
  departementCode: string;
  regionCode: string;
  postalCodes: string[];
  population: number;
  /** SIREN of the EPCI the commune belongs to, when it belongs to one. */
  epciCode: string | null;
}

interface RawCommune {
  code: string;
  nom: string;
  type: string;
  departement: string;
  region: string;
  codesPostaux?: string[];
  population?: number;
}

interface RawEpci {
  code: string;
  membres: Array<{ code: string }>;
}

interface CommuneIndex {
  byCode: Map<string, Commune>;
  /** Communes with their normalised name, for search. */
  searchable: Array<{ commune: Commune; key: string }>;
}

let index: CommuneIndex | null = null;

/** « Saint-Étienne-du-Rouvray » → « saint etienne du rouvray »: what people type, accents or not. */
export function normaliseName(value: string) {
  return value
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/**
 * The ~35,000 current communes of the official geographic code, loaded once per process on first
 * use (8 MB of JSON: not at import time, so pages that do not need them do not pay for them).
 * Delegated and associated communes are left out: a dossier names current communes only.
 */
function load(): CommuneIndex {
  if (index) return index;
  // createRequire: the JSON files are large and read synchronously once; bundling them would
  // put 12 MB into the server build.
  const require = createRequire(import.meta.url);
  const rawCommunes = require("@etalab/decoupage-administratif/data/communes.json") as RawCommune[];
  const rawEpci = require("@etalab/decoupage-administratif/data/epci.json") as RawEpci[];
  const epciOf = new Map<string, string>();
  for (const epci of rawEpci) for (const member of epci.membres) epciOf.set(member.code, epci.code);

  const byCode = new Map<string, Commune>();
  const searchable: CommuneIndex["searchable"] = [];
  for (const raw of rawCommunes) {
    if (raw.type !== "commune-actuelle") continue;
    const commune: Commune = {
      code: raw.code,
      name: raw.nom,
      departementCode: raw.departement,
      regionCode: raw.region,
      postalCodes: raw.codesPostaux ?? [],
      population: raw.population ?? 0,
      epciCode: epciOf.get(raw.code) ?? null,
    };
    byCode.set(commune.code, commune);
    searchable.push({ commune, key: normaliseName(commune.name) });
  }
  index = { byCode, searchable };
  return index;
}

export function findCommune(code: string): Commune | null {
  return load().byCode.get(code) ?? null;
}

/**
 * Search by name (accents and hyphens ignored; names starting with the query first, then the
 * largest) or by postal code / INSEE code when the query is digits.
 */
export function searchCommunes(query: string, limit = 20): Commune[] {
  const { searchable, byCode } = load();
  const trimmed = query.trim();
  if (/^\d[\dAB]{1,4}$/.test(trimmed)) {
    const exact = byCode.get(trimmed);
    const byPostcode = searchable
      .filter(({ commune }) => commune.postalCodes.some((postcode) => postcode.startsWith(trimmed)))
      .map(({ commune }) => commune);
    return [...(exact ? [exact] : []), ...byPostcode.filter((c) => c !== exact)].slice(0, limit);
  }
  const key = normaliseName(trimmed);
  if (key.length < 2) return [];
  const matches = searchable.filter((entry) => entry.key.includes(key));
  matches.sort((a, b) => {
    const aStarts = a.key.startsWith(key) ? 0 : 1;
    const bStarts = b.key.startsWith(key) ? 0 : 1;
    return aStarts - bStarts || b.commune.population - a.commune.population || a.key.localeCompare(b.key);
  });
  return matches.slice(0, limit).map((entry) => entry.commune);
}
