import type { ApplicationStatus } from "~db/schema";
import { formatInteger } from "~/utils/format";

/**
 * What the programme dashboard counts and how its page is asked for, as data shared by the
 * query module (dashboard.server.ts), the route and the components.
 */

/**
 * A dossier counts as filed once submitted, whatever came after, except when it was withdrawn:
 * a withdrawn dossier is no longer part of the programme's picture. (`submittedAt` also leaves
 * out a draft withdrawn before it was ever filed.)
 */
export const NOT_FILED_STATUSES = ["draft", "withdrawn"] as const satisfies readonly ApplicationStatus[];

/** Reviewed: both rubrics done, with or without a decision since. The score distribution reads these. */
export const REVIEWED_STATUSES = ["reviewed", "selected", "waitlisted", "rejected"] as const satisfies readonly ApplicationStatus[];

export interface RegionRow {
  regionCode: string;
  regionName: string;
  filed: number;
  reviewed: number;
  selected: number;
  /** From the ledger (programmeBalances). */
  committedCents: number;
  paidCents: number;
  busesCommitted: number;
}

export interface DepartementRow {
  code: string;
  name: string;
  regionCode: string;
  /** Overseas départements have no outline in the map package: the table lists them. */
  overseas: boolean;
  dossiers: number;
  medicobus: number;
  population: number;
}

/** Scores are out of 100 in integer hundredths (app/modules/instruction/scoring.ts); bins of 10 points. */
export const SCORE_BIN_HUNDREDTHS = 10_00;
export const SCORE_BIN_COUNT = 10;

/** The bin of a consolidated score: 0 for [0, 10[, …, 9 for [90, 100] (a perfect score joins the last bin). */
export function scoreBinOf(scoreHundredths: number) {
  return Math.min(SCORE_BIN_COUNT - 1, Math.max(0, Math.floor(scoreHundredths / SCORE_BIN_HUNDREDTHS)));
}

export function scoreBinLabel(bin: number) {
  const from = (bin * SCORE_BIN_HUNDREDTHS) / 100;
  const to = ((bin + 1) * SCORE_BIN_HUNDREDTHS) / 100;
  return bin === SCORE_BIN_COUNT - 1 ? `${from} à ${to}` : `${from} à moins de ${to}`;
}

/** Counts per bin (every bin present, zero included) from the SQL's sparse rows. */
export function scoreHistogram(rows: ReadonlyArray<{ bin: number; dossiers: number }>): number[] {
  const counts = Array.from({ length: SCORE_BIN_COUNT }, () => 0);
  for (const row of rows) counts[scoreBinOf(row.bin * SCORE_BIN_HUNDREDTHS)] += row.dossiers;
  return counts;
}

const plural = (count: number, one: string, many: string) => `${formatInteger(count)} ${count > 1 ? many : one}`;

/** The measures the map can show (`?carte=`), in the select's order. */
export const MAP_MEASURES = {
  dossiers: {
    label: "Dossiers déposés",
    legendTitle: "Dossiers déposés par département",
    describe: (value: number) => plural(value, "dossier déposé", "dossiers déposés"),
  },
  medicobus: {
    label: "Médicobus financés",
    legendTitle: "Médicobus financés desservant le département",
    describe: (value: number) => plural(value, "médicobus financé", "médicobus financés"),
  },
  population: {
    label: "Population couverte",
    legendTitle: "Population couverte par les projets retenus (habitants)",
    describe: (value: number) => plural(value, "habitant couvert", "habitants couverts"),
  },
} as const;

export type MapMeasure = keyof typeof MAP_MEASURES;
export const MAP_MEASURE_KEYS = Object.keys(MAP_MEASURES) as MapMeasure[];

export interface DashboardParams {
  carte: MapMeasure;
  /** A wave number, or null for every wave of the call. */
  vague: number | null;
}

export const DEFAULT_PARAMS: DashboardParams = { carte: "dossiers", vague: null };

export const PARAM_LABELS = { carte: "Mesure affichée sur la carte", vague: "Vague" } as const;

/**
 * The page's GET parameters. An unknown value is refused with a French message by field (the
 * route answers 400 with the defaults shown), never silently replaced by another view.
 */
export function readDashboardParams(search: URLSearchParams, waveNumbers: readonly number[]): { params: DashboardParams; errors: Partial<Record<keyof DashboardParams, string>> } {
  const params = { ...DEFAULT_PARAMS };
  const errors: Partial<Record<keyof DashboardParams, string>> = {};
  const carte = search.get("carte");
  if (carte !== null && carte !== "") {
    if ((MAP_MEASURE_KEYS as string[]).includes(carte)) params.carte = carte as MapMeasure;
    else errors.carte = `Choisissez une mesure de la liste : ${MAP_MEASURE_KEYS.map((key) => MAP_MEASURES[key].label.toLowerCase()).join(", ")}.`;
  }
  const vague = search.get("vague");
  if (vague !== null && vague !== "" && vague !== "toutes") {
    const number = /^\d{1,3}$/.test(vague) ? Number(vague) : Number.NaN;
    if (waveNumbers.includes(number)) params.vague = number;
    else errors.vague = waveNumbers.length > 0 ? `Choisissez une vague de l'appel (${waveNumbers.join(", ")}) ou toutes les vagues.` : "L'appel à projets n'a pas de vague.";
  }
  return { params, errors };
}
