import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { databaseEngine, db } from "~db/client.server";
import { applications, conflictsOfInterest, evaluationAssignments, organisations, type ApplicationStatus } from "~db/schema";
import { createCall } from "../../../tests/fixtures/dossiers";
import { createInstructionCast, NORMANDIE } from "../../../tests/fixtures/instruction";
import { createUser } from "../../../tests/fixtures/users";
import { DomainError } from "~/utils/errors";
import { listDossiersForAgent } from "./queries.server";
import { compareForRanking } from "./scoring";

/** A small deterministic generator: the same 2,000 dossiers on every run and both engines. */
function generator(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const TERRITORIES = [
  { regionCode: "28", departementCodes: ["61"] },
  { regionCode: "28", departementCodes: ["14", "50"] },
  { regionCode: "53", departementCodes: ["35"] },
  { regionCode: "53", departementCodes: ["22", "29"] },
  { regionCode: "52", departementCodes: ["72"] },
];
const STATUSES: ApplicationStatus[] = ["draft", "submitted", "changes_requested", "under_review", "reviewed", "ineligible", "selected", "waitlisted", "rejected", "withdrawn"];
const SCORED: ApplicationStatus[] = ["reviewed", "selected", "waitlisted", "rejected"];

type Row = typeof applications.$inferInsert & { organisationName: string };
let rows: Row[];
let cast: Awaited<ReturnType<typeof createInstructionCast>>;
let waveIds: { wave1: string; wave2: string };

beforeAll(async () => {
  cast = await createInstructionCast();
  const { call, wave1, wave2 } = await createCall();
  waveIds = { wave1: wave1.id, wave2: wave2.id };
  const owner = await createUser();
  const orgs = await db
    .insert(organisations)
    .values(["CPTS du Perche ornais", "Commune de Bruz", "Communauté de communes du Bocage", "Centre de santé 100% Rural", "MSP de la Sarthe"].map((name, index) => ({ kind: index === 1 ? ("commune" as const) : ("cpts" as const), name, siret: "73282932000074", seatCommuneCode: "61001", createdBy: owner.id })))
    .returning();
  const random = generator(42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const start = Date.UTC(2026, 0, 5);
  rows = Array.from({ length: 2000 }, (_, index): Row => {
    const territory = pick(TERRITORIES);
    const status = pick(STATUSES);
    const organisation = pick(orgs);
    const scored = SCORED.includes(status);
    const arsScore = scored ? Math.floor(random() * 10_001) : null;
    const anctScore = scored ? Math.floor(random() * 10_001) : null;
    return {
      reference: `MB-2026-L${String(index).padStart(5, "0")}`,
      callId: call.id,
      waveId: random() < 0.5 ? wave1.id : wave2.id,
      organisationId: organisation.id,
      organisationName: organisation.name,
      status,
      title: `Médicobus ${index}`,
      regionCode: territory.regionCode,
      departementCodes: territory.departementCodes,
      // Few distinct values, so that ties on the score fall through to the next keys.
      populationCovered: 1000 * (1 + Math.floor(random() * 5)),
      requestedCents: 80_000_00,
      submittedAt: status === "draft" ? null : new Date(start + Math.floor(random() * 60) * 3_600_000),
      arsScore,
      anctScore,
      // Coarse scores: many ties at the top keys.
      consolidatedScore: scored ? Math.round(((arsScore! * 60 + anctScore! * 40) / 100) / 500) * 500 : null,
      scoreGapFlag: scored && Math.abs(arsScore! - anctScore!) > 2000,
    };
  });
  for (let offset = 0; offset < rows.length; offset += 250) {
    await db.insert(applications).values(rows.slice(offset, offset + 250).map(({ organisationName: _name, ...row }) => row));
  }
});

afterEach(() => vi.restoreAllMocks());

const visible = (row: Row) => row.status !== "draft";
const references = (list: Row[]) => list.map((row) => row.reference);
const countsOf = (list: Row[]) => {
  const counts: Record<string, number> = Object.fromEntries(STATUSES.filter((status) => status !== "draft").map((status) => [status, 0]));
  for (const row of list) counts[row.status!] += 1;
  return counts;
};
const ranking = (a: Row, b: Row) =>
  compareForRanking(
    { reference: a.reference, consolidatedScore: a.consolidatedScore ?? null, arsScore: a.arsScore ?? null, populationCovered: a.populationCovered!, submittedAt: a.submittedAt ?? null },
    { reference: b.reference, consolidatedScore: b.consolidatedScore ?? null, arsScore: b.arsScore ?? null, populationCovered: b.populationCovered!, submittedAt: b.submittedAt ?? null },
  );

describe("instruction list over 2,000 dossiers", () => {
  it("gives an ARS agent its région only, newest first, with counts per status", async () => {
    const expected = rows.filter((row) => visible(row) && row.regionCode === NORMANDIE).sort((a, b) => b.submittedAt!.getTime() - a.submittedAt!.getTime() || (a.reference < b.reference ? -1 : 1));
    const list = await listDossiersForAgent(cast.arsNormandie, { page: 2, pageSize: 25 });
    expect(list.total).toBe(expected.length);
    expect(list.pageCount).toBe(Math.ceil(expected.length / 25));
    expect(list.dossiers.map((row) => row.reference)).toEqual(references(expected.slice(25, 50)));
    expect(list.counts).toEqual(countsOf(expected));
    expect(list.dossiers.every((row) => row.regionCode === NORMANDIE)).toBe(true);
  });

  it("filters by wave, département, status and score range, sorted by the committee's ranking", async () => {
    const expected = rows
      .filter((row) => visible(row) && row.waveId === waveIds.wave2 && row.departementCodes!.includes("35") && row.consolidatedScore != null && row.consolidatedScore >= 4000 && row.consolidatedScore <= 8000)
      .sort(ranking);
    const list = await listDossiersForAgent(cast.manager, { waveId: waveIds.wave2, departementCode: "35", status: "reviewed", scoreMin: "40", scoreMax: "80", sort: "score", page: 1, pageSize: 100 });
    const reviewed = expected.filter((row) => row.status === "reviewed");
    expect(list.dossiers.map((row) => row.reference)).toEqual(references(reviewed.slice(0, 100)));
    expect(list.total).toBe(reviewed.length);
    // The counts ignore the status filter (tabs), not the other filters.
    expect(list.counts).toEqual(countsOf(expected));
    expect(reviewed.length).toBeGreaterThan(5);
  });

  it("searches by reference or organisation name, and filters flagged dossiers", async () => {
    const byName = await listDossiersForAgent(cast.manager, { q: "bruz", pageSize: 100 });
    expect(byName.total).toBe(rows.filter((row) => visible(row) && row.organisationName === "Commune de Bruz").length);
    const byReference = await listDossiersForAgent(cast.manager, { q: "L0012" });
    expect(byReference.dossiers.map((row) => row.reference).sort()).toEqual(references(rows.filter((row) => visible(row) && row.reference.includes("L0012"))).sort());
    // « 100% » is searched as text, not as a wildcard.
    const percent = await listDossiersForAgent(cast.manager, { q: "100%" });
    expect(percent.total).toBe(rows.filter((row) => visible(row) && row.organisationName.includes("100%")).length);
    const flagged = await listDossiersForAgent(cast.manager, { flagged: "on" });
    expect(flagged.total).toBe(rows.filter((row) => visible(row) && row.scoreGapFlag).length);
  });

  it("lists the dossiers assigned to me, with my rubrics", async () => {
    const mine = rows.filter((row) => row.status === "under_review" && row.regionCode === NORMANDIE).slice(0, 7);
    const ids = await db.select({ id: applications.id, reference: applications.reference }).from(applications);
    const idOf = new Map(ids.map((row) => [row.reference, row.id]));
    await db.insert(evaluationAssignments).values(mine.map((row) => ({ applicationId: idOf.get(row.reference)!, rubric: "ars" as const, evaluatorId: cast.arsNormandie.id, dueAt: new Date() })));
    const list = await listDossiersForAgent(cast.arsNormandie, { assignedToMe: "on", sort: "reference" });
    expect(list.dossiers.map((row) => row.reference)).toEqual(references(mine).sort());
    expect(list.dossiers.every((row) => row.myRubrics.join() === "ars")).toBe(true);
    expect(list.counts.under_review).toBe(7);
  });

  it("hides the scores of a dossier on which the agent declared a conflict, even from the score filter", async () => {
    const target = rows.find((row) => row.status === "reviewed" && row.regionCode === NORMANDIE && row.consolidatedScore! >= 5000)!;
    const [{ id }] = await db.select({ id: applications.id }).from(applications).where(eq(applications.reference, target.reference));
    await db.insert(conflictsOfInterest).values({ applicationId: id, userId: cast.anctNormandie.id, reason: "Lien" });
    const conflicted = await listDossiersForAgent(cast.anctNormandie, { q: target.reference });
    expect(conflicted.dossiers).toEqual([expect.objectContaining({ reference: target.reference, consolidatedScore: null, arsScore: null, anctScore: null, conflictDeclared: true })]);
    expect((await listDossiersForAgent(cast.anctNormandie, { q: target.reference, scoreMin: "0" })).total).toBe(0);
    const other = await listDossiersForAgent(cast.anctNational, { q: target.reference });
    expect(other.dossiers[0]).toMatchObject({ consolidatedScore: target.consolidatedScore, conflictDeclared: false });
  });

  it("answers in two database round trips whatever the page size", async () => {
    const client = (db as unknown as { $client: Record<string, (...args: unknown[]) => unknown> }).$client;
    // why: counting the driver's calls is the only way to see the number of round trips.
    const spy = vi.spyOn(client, databaseEngine === "pglite" ? "query" : "unsafe");
    const list = await listDossiersForAgent(cast.manager, { pageSize: 100, sort: "score" });
    expect(list.dossiers).toHaveLength(100);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it("refuses applicants (403) and unreadable filters (400, French)", async () => {
    const applicant = await createUser();
    const forbidden = await listDossiersForAgent(applicant).catch((error: unknown) => error);
    expect(forbidden).toBeInstanceOf(DomainError);
    expect((forbidden as DomainError).status).toBe(403);
    const invalid = (await listDossiersForAgent(cast.manager, { scoreMin: "cent", status: "gagné" as never, pageSize: "500" }).catch((error: unknown) => error)) as DomainError;
    expect(invalid.status).toBe(400);
    expect(invalid.fieldErrors).toMatchObject({ scoreMin: ["Une note est comprise entre 0 et 100."], status: ["Statut inconnu."], pageSize: ["100 dossiers par page au plus."] });
  });
});
