import { and, asc, count, eq, inArray, isNotNull, isNull, notInArray, sql, type SQL } from "drizzle-orm";
import { db } from "~db/client.server";
import { applications, calls, decisions } from "~db/schema";
import type { SessionUser } from "~/modules/auth/roles";
import { assertProgramManager, programmeBalances } from "~/modules/budget/service.server";
import { findCommune } from "~/modules/geo/communes.server";
import { DEPARTEMENTS } from "~/modules/geo/departements";
import { regionName, REGIONS } from "~/modules/geo/regions";
import { NOT_FILED_STATUSES, REVIEWED_STATUSES, SCORE_BIN_COUNT, SCORE_BIN_HUNDREDTHS, scoreHistogram, type DepartementRow, type RegionRow } from "./dashboard";

/*
 * The programme dashboard's figures, for the national team. Every figure is a GROUP BY in the
 * database — a handful of queries whatever the number of dossiers, never one per dossier — and
 * money comes only from the ledger, through programmeBalances (budget module): nothing here
 * adds up commitments or payments on its own.
 */

/** The dossiers the dashboard counts as filed (see NOT_FILED_STATUSES). */
const filed = and(isNotNull(applications.submittedAt), notInArray(applications.status, [...NOT_FILED_STATUSES]))!;

/** The current decision of a dossier is `selected` (a reopened decision no longer counts). */
const currentlySelected = and(eq(decisions.outcome, "selected"), isNull(decisions.reopenedAt));

const countWhere = (condition: SQL) => sql<string>`count(*) filter (where ${condition})`.mapWith(Number);

/** The call the programme area works on: the one asked for, else the first one created (as on the public home page). */
async function programmeCall(callId?: string) {
  const [call] = await db
    .select({ id: calls.id, title: calls.title })
    .from(calls)
    .where(callId ? eq(calls.id, callId) : undefined)
    .orderBy(asc(calls.createdAt))
    .limit(1);
  return call ?? null;
}

/** Filed, reviewed and selected dossiers per région. */
async function dossiersByRegion(callId: string) {
  return db
    .select({
      regionCode: applications.regionCode,
      filed: countWhere(filed),
      reviewed: countWhere(inArray(applications.status, [...REVIEWED_STATUSES])),
      selected: countWhere(eq(applications.status, "selected")),
    })
    .from(applications)
    .where(and(eq(applications.callId, callId), isNotNull(applications.regionCode)))
    .groupBy(applications.regionCode);
}

/** Consolidated scores of reviewed and decided dossiers, counted by wave (of filing) and 10-point bin. */
async function scoreBins(callId: string) {
  // Constants written into the SQL, not bound: GROUP BY must see the same expression as SELECT.
  const bin = sql<string>`least(floor(${applications.consolidatedScore} / ${sql.raw(String(SCORE_BIN_HUNDREDTHS))}), ${sql.raw(String(SCORE_BIN_COUNT - 1))})`.mapWith(Number);
  return db
    .select({ waveId: applications.waveId, bin, dossiers: count() })
    .from(applications)
    .where(and(eq(applications.callId, callId), inArray(applications.status, [...REVIEWED_STATUSES]), isNotNull(applications.consolidatedScore)))
    .groupBy(applications.waveId, bin);
}

/** How many dossiers are filed, and how many of them name no département (not on the map). */
async function filedTotals(callId: string) {
  const [row] = await db
    .select({ filed: countWhere(filed), unlocated: countWhere(and(filed, sql`cardinality(${applications.departementCodes}) = 0`)!) })
    .from(applications)
    .where(eq(applications.callId, callId));
  return row;
}

/** A dossier counts once in each of the départements its communes are in. */
async function filedByDepartement(callId: string) {
  const rows = db
    .select({ code: sql<string>`unnest(${applications.departementCodes})`.as("code") })
    .from(applications)
    .where(and(eq(applications.callId, callId), filed))
    .as("filed_departements");
  return db.select({ code: rows.code, dossiers: count() }).from(rows).groupBy(rows.code);
}

/**
 * Buses of the current `selected` decisions, in each département the dossier serves: a médicobus
 * touring two départements counts in both (the map shows where buses go, not a partition of them;
 * the national total is the gauge's).
 */
async function busesByDepartement(callId: string) {
  const rows = db
    .select({ code: sql<string>`unnest(${applications.departementCodes})`.as("code"), buses: decisions.buses })
    .from(decisions)
    .innerJoin(applications, eq(applications.id, decisions.applicationId))
    .where(and(eq(applications.callId, callId), currentlySelected))
    .as("selected_departements");
  return db.select({ code: rows.code, buses: sql<string>`coalesce(sum(${rows.buses}), 0)`.mapWith(Number) }).from(rows).groupBy(rows.code);
}

/** The communes the form lists (territoire.communes), as a jsonb array even when the form has none. */
const communesOf = sql`case when jsonb_typeof(${applications.formData} -> 'territoire' -> 'communes') = 'array' then ${applications.formData} -> 'territoire' -> 'communes' else '[]'::jsonb end`;

/**
 * Population covered by the selected dossiers, per département. Where a dossier's form lists its
 * communes, each commune's population (COG, the figure `populationCovered` adds up at each save)
 * counts in the commune's own département: the database groups the communes of the selected
 * dossiers by INSEE code, and the commune index gives each one's département and population.
 * A selected dossier without a list of communes (written by another tool) has only its total:
 * it is attributed to its first département in code order, the page says so.
 */
async function populationByDepartement(callId: string) {
  const selectedDossiers = and(eq(applications.callId, callId), currentlySelected);
  const communeRows = db
    .select({ code: sql<string>`jsonb_array_elements(${communesOf}) ->> 'code'`.as("commune_code") })
    .from(decisions)
    .innerJoin(applications, eq(applications.id, decisions.applicationId))
    .where(selectedDossiers)
    .as("selected_communes");
  const [byCommune, withoutCommunes] = await Promise.all([
    db.select({ code: communeRows.code, dossiers: count() }).from(communeRows).groupBy(communeRows.code),
    db
      .select({ code: sql<string | null>`${applications.departementCodes}[1]`, population: sql<string>`coalesce(sum(${applications.populationCovered}), 0)`.mapWith(Number) })
      .from(decisions)
      .innerJoin(applications, eq(applications.id, decisions.applicationId))
      .where(and(selectedDossiers, sql`jsonb_array_length(${communesOf}) = 0`))
      .groupBy(sql`${applications.departementCodes}[1]`),
  ]);
  const population = new Map<string, number>();
  const add = (code: string, inhabitants: number) => population.set(code, (population.get(code) ?? 0) + inhabitants);
  for (const row of byCommune) {
    const commune = row.code ? findCommune(row.code) : null;
    if (commune) add(commune.departementCode, commune.population * row.dossiers);
  }
  for (const row of withoutCommunes) if (row.code) add(row.code, row.population);
  return { population, attributedByTotal: withoutCommunes.length > 0 };
}

/**
 * Everything /programme shows: the ledger's balances per wave, per région and in total; the
 * dossiers per région; the score distribution per wave; the figures per département. Null when
 * no call exists yet.
 */
export async function programmeDashboard(actor: SessionUser, options: { callId?: string } = {}) {
  assertProgramManager(actor);
  const call = await programmeCall(options.callId);
  if (!call) return null;
  const [balances, regionCounts, bins, overall, dossiersByDep, busesByDep, populationByDep, selected] = await Promise.all([
    programmeBalances(actor, call.id),
    dossiersByRegion(call.id),
    scoreBins(call.id),
    filedTotals(call.id),
    filedByDepartement(call.id),
    busesByDepartement(call.id),
    populationByDepartement(call.id),
    db
      .select({ buses: sql<string>`coalesce(sum(${decisions.buses}), 0)`.mapWith(Number), dossiers: count() })
      .from(decisions)
      .innerJoin(applications, eq(applications.id, decisions.applicationId))
      .where(and(eq(applications.callId, call.id), currentlySelected)),
  ]);

  const counts = new Map(regionCounts.map((row) => [row.regionCode!, row]));
  const money = new Map(balances.regions.map((row) => [row.regionCode, row]));
  // Every région with an ARS, zeros included, plus any other code found in the data.
  const regionCodes = [...new Set([...REGIONS.map((region) => region.code), ...counts.keys(), ...money.keys()])];
  const regions: RegionRow[] = regionCodes
    .map((code) => ({
      regionCode: code,
      regionName: regionName(code),
      filed: counts.get(code)?.filed ?? 0,
      reviewed: counts.get(code)?.reviewed ?? 0,
      selected: counts.get(code)?.selected ?? 0,
      committedCents: money.get(code)?.committedCents ?? 0,
      paidCents: money.get(code)?.paidCents ?? 0,
      busesCommitted: money.get(code)?.busesCommitted ?? 0,
    }))
    .sort((a, b) => a.regionName.localeCompare(b.regionName, "fr"));

  const dossiersOf = new Map(dossiersByDep.map((row) => [row.code, row.dossiers]));
  const busesOf = new Map(busesByDep.map((row) => [row.code, row.buses]));
  const departements: DepartementRow[] = DEPARTEMENTS.filter((departement) => departement.zone !== "com").map((departement) => ({
    code: departement.code,
    name: departement.name,
    regionCode: departement.regionCode,
    overseas: departement.zone === "drom",
    dossiers: dossiersOf.get(departement.code) ?? 0,
    medicobus: busesOf.get(departement.code) ?? 0,
    population: populationByDep.population.get(departement.code) ?? 0,
  }));

  const scores = {
    all: scoreHistogram(bins),
    byWave: Object.fromEntries(balances.waves.map((wave) => [wave.number, scoreHistogram(bins.filter((row) => row.waveId === wave.id))])) as Record<number, number[]>,
  };

  return {
    call,
    balances,
    regions,
    scores,
    departements,
    totals: {
      filed: overall.filed,
      /** Filed dossiers whose communes name no département: counted above, absent from the map. */
      unlocated: overall.unlocated,
      reviewed: regions.reduce((sum, row) => sum + row.reviewed, 0),
      selectedDossiers: selected[0]?.dossiers ?? 0,
      /** Buses of the current `selected` decisions (the ledger's busesCommitted says the same when every decision went through the service). */
      selectedBuses: selected[0]?.buses ?? 0,
    },
    populationAttributedByTotal: populationByDep.attributedByTotal,
  };
}

export type ProgrammeDashboard = NonNullable<Awaited<ReturnType<typeof programmeDashboard>>>;
