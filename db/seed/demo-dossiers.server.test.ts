import { createHash } from "node:crypto";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~db/client.server";
import {
  applicationEvents,
  applicationPieces,
  applications,
  auditLog,
  calls,
  decisions,
  evaluationAssignments,
  evaluations,
  ledgerEntries,
  memberships,
  organisations,
  roleAssignments,
  users,
  waves,
  type ApplicationStatus,
} from "~db/schema";
import { canonicalJson } from "~/modules/audit/chain";
import type { SessionUser } from "~/modules/auth/roles";
import { verifyPassword } from "~/modules/auth/password.server";
import type { FormData } from "~/modules/applications/form";
import { TRANSITIONS } from "~/modules/applications/lifecycle";
import { missingItems } from "~/modules/applications/rules";
import { derivedColumns } from "~/modules/applications/service.server";
import { waveRanking } from "~/modules/budget/decisions.server";
import { readCallRules, type CallRules } from "~/modules/calls/schema";
import { canEvaluate } from "~/modules/instruction/assignment";
import { consolidate, evaluationScore } from "~/modules/instruction/scoring";
import { checkSiret } from "~/modules/organisations/siret";
import { DEMO_ACCOUNTS, DEMO_CALL_SLUG, DEMO_PASSWORD, seedDemo } from "./demo";
import { DEMO_TOP_DOSSIER_REFERENCE, DEMO_WAVE1_APPLICANT_EMAIL } from "./demo-dossiers";

const TABLES = { applications, applicationEvents, applicationPieces, evaluations, evaluationAssignments, organisations, memberships, users, roleAssignments };

async function rowCounts() {
  const counts: Record<string, number> = {};
  for (const [name, table] of Object.entries(TABLES)) {
    const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(table);
    counts[name] = row.count;
  }
  return counts;
}

async function sessionUser(email: string): Promise<SessionUser> {
  const [user] = await db.select().from(users).where(eq(users.email, email));
  const roles = await db.select({ role: roleAssignments.role, regionCode: roleAssignments.regionCode }).from(roleAssignments).where(eq(roleAssignments.userId, user.id));
  return { id: user.id, email: user.email, name: user.name, roles };
}

const accountOf = (role: string) => DEMO_ACCOUNTS.find((account) => account.role === role)!.email;

let rules: CallRules;
let wave1: typeof waves.$inferSelect;
let wave2: typeof waves.$inferSelect;
let dossiers: Array<typeof applications.$inferSelect>;

beforeAll(async () => {
  await seedDemo();
  const [call] = await db.select().from(calls).where(eq(calls.slug, DEMO_CALL_SLUG));
  rules = readCallRules(call.rules);
  [wave1, wave2] = await db.select().from(waves).where(eq(waves.callId, call.id)).orderBy(asc(waves.number));
  dossiers = await db.select().from(applications).where(eq(applications.callId, call.id));
}, 120_000);

describe("demo dossiers", () => {
  it("are seeded once: a second start changes nothing", async () => {
    const before = await rowCounts();
    const [audit] = await db.select({ count: sql<number>`count(*)::int` }).from(auditLog);
    await seedDemo();
    expect(await rowCounts()).toEqual(before);
    const [auditAfter] = await db.select({ count: sql<number>`count(*)::int` }).from(auditLog);
    expect(auditAfter.count).toBe(audit.count);
  });

  it("hold no decision and no ledger entry: the programme team takes them", async () => {
    expect(await db.select().from(decisions)).toEqual([]);
    expect(await db.select().from(ledgerEntries)).toEqual([]);
    expect(dossiers.filter((dossier) => ["selected", "waitlisted", "rejected"].includes(dossier.status))).toEqual([]);
  });

  it("cover wave 1 with reviewed, inadmissible and withdrawn dossiers, and wave 2 with work for the ARS of Normandie", () => {
    const byWave = (wave: typeof wave1, status: ApplicationStatus) => dossiers.filter((dossier) => dossier.waveId === wave.id && dossier.status === status);
    expect(byWave(wave1, "reviewed").length).toBeGreaterThanOrEqual(40);
    expect(byWave(wave1, "ineligible").length).toBeGreaterThanOrEqual(2);
    expect(byWave(wave1, "withdrawn")).toHaveLength(1);
    const normandie = (status: ApplicationStatus) => byWave(wave2, status).filter((dossier) => dossier.regionCode === "28");
    expect(normandie("submitted").length).toBeGreaterThanOrEqual(2);
    expect(normandie("under_review").length).toBeGreaterThanOrEqual(2);
    expect(byWave(wave2, "draft")).toHaveLength(1);
    expect(new Set(byWave(wave1, "reviewed").map((dossier) => dossier.regionCode)).size).toBeGreaterThanOrEqual(12);
  });

  it("rank wave 1 with a real cut line: funded dossiers, dossiers below the cut, dossiers under a threshold", async () => {
    const manager = await sessionUser(accountOf("program_manager"));
    const ranking = await waveRanking(manager, wave1.id);
    const { simulation } = ranking;
    const outcomes = simulation.rows.map((row) => row.outcome);
    expect(simulation.rows[0].reference).toBe(DEMO_TOP_DOSSIER_REFERENCE);
    expect(simulation.rows[0].outcome).toBe("funded");
    expect(simulation.cut.lastFundedRank).not.toBeNull();
    expect(simulation.cut.firstBelowRank).not.toBeNull();
    expect(outcomes.filter((outcome) => outcome === "below_cut").length).toBeGreaterThanOrEqual(5);
    expect(outcomes.filter((outcome) => outcome === "below_threshold")).toHaveLength(3);
    // The euros bind, not the 50 buses.
    expect(simulation.totals.buses).toBeLessThan(wave1.busTarget);
    expect(simulation.remainingCents).toBeLessThan(Math.max(...simulation.rows.filter((row) => row.outcome === "below_cut").map((row) => row.awardedCents)));
    const fundable = simulation.rows.filter((row) => row.outcome !== "below_threshold");
    const demand = fundable.reduce((total, row) => total + row.awardedCents, 0) / wave1.budgetCents;
    expect(demand).toBeGreaterThan(1.2);
    expect(demand).toBeLessThan(1.45);
    // Three ARS/ANCT gaps above the threshold, and ties on the consolidated score.
    expect(ranking.dossiers.filter((dossier) => dossier.scoreGapFlag)).toHaveLength(3);
    const scores = ranking.dossiers.map((dossier) => dossier.consolidatedScore);
    expect(scores.length - new Set(scores).size).toBeGreaterThanOrEqual(2);
  });

  it("pass the call's rules: complete forms, pieces, money rules, SIRET, one région, columns derived as a save derives them", async () => {
    const pieces = await db.select().from(applicationPieces).where(inArray(applicationPieces.applicationId, dossiers.map((dossier) => dossier.id)));
    const organisationRows = await db.select().from(organisations).where(inArray(organisations.id, dossiers.map((dossier) => dossier.organisationId)));
    for (const dossier of dossiers) {
      const formData = dossier.formData as FormData;
      const { title, ...derived } = derivedColumns(formData);
      expect(dossier.title).toBe(title);
      expect({ regionCode: dossier.regionCode, departementCodes: dossier.departementCodes, populationCovered: dossier.populationCovered, totalCostCents: dossier.totalCostCents, requestedCents: dossier.requestedCents }).toEqual(derived);
      expect(dossier.regionCode).not.toBeNull();
      const organisation = organisationRows.find((row) => row.id === dossier.organisationId)!;
      expect(checkSiret(organisation.siret).ok, organisation.siret).toBe(true);
      expect(rules.eligibleSponsorKinds).toContain(organisation.kind);
      if (dossier.status === "draft") continue;
      const own = pieces.filter((piece) => piece.applicationId === dossier.id);
      for (const piece of own) expect(piece.createdAt > dossier.createdAt && piece.createdAt < dossier.submittedAt!).toBe(true);
      const pieceCodes = new Set(own.map((piece) => piece.pieceCode));
      expect(missingItems({ formData, pieceCodes, rules }), dossier.reference).toEqual([]);
      // About €80k–€140k for one médicobus.
      expect(dossier.requestedCents).toBeGreaterThanOrEqual(80_000_00);
      expect(dossier.requestedCents).toBeLessThanOrEqual(140_000_00);
      expect(createHash("sha256").update(canonicalJson(dossier.submittedData)).digest("hex")).toBe(dossier.submittedHash);
    }
  });

  it("carry scores computed by scoring.ts from evaluations by assigned evaluators allowed to score them", async () => {
    const reviewed = dossiers.filter((dossier) => dossier.status === "reviewed");
    const rows = await db.select().from(evaluations).where(inArray(evaluations.applicationId, reviewed.map((dossier) => dossier.id)));
    const assignments = await db.select().from(evaluationAssignments);
    const grants = await db.select().from(roleAssignments);
    for (const dossier of reviewed) {
      const own = rows.filter((row) => row.applicationId === dossier.id);
      expect(own.map((row) => row.rubric).sort()).toEqual(["anct", "ars"]);
      for (const evaluation of own) {
        expect(evaluation.status).toBe("submitted");
        const marks = Object.fromEntries(Object.entries(evaluation.scores).map(([code, criterion]) => [code, criterion.score as number]));
        expect(evaluation.weightedScore).toBe(evaluationScore(rules.rubrics[evaluation.rubric], marks));
        expect(evaluation.recommendedCents).toBeLessThanOrEqual(dossier.requestedCents);
        const evaluatorGrants = grants.filter((grant) => grant.userId === evaluation.evaluatorId).map(({ role, regionCode }) => ({ role, regionCode }));
        expect(canEvaluate(evaluation.rubric, evaluatorGrants, dossier.regionCode)).toBe(true);
        expect(assignments.some((row) => row.applicationId === dossier.id && row.rubric === evaluation.rubric && row.evaluatorId === evaluation.evaluatorId)).toBe(true);
      }
      const scoresOf = (rubric: "ars" | "anct") => own.filter((row) => row.rubric === rubric).map((row) => row.weightedScore!);
      expect({ arsScore: dossier.arsScore, anctScore: dossier.anctScore, consolidatedScore: dossier.consolidatedScore, scoreGapFlag: dossier.scoreGapFlag }).toEqual(consolidate({ ars: scoresOf("ars"), anct: scoresOf("anct") }, rules));
    }
  });

  it("tell each dossier's story in its history, one allowed transition after another", async () => {
    const events = await db.select().from(applicationEvents).where(inArray(applicationEvents.applicationId, dossiers.map((dossier) => dossier.id))).orderBy(asc(applicationEvents.createdAt), asc(applicationEvents.id));
    for (const dossier of dossiers) {
      const own = events.filter((event) => event.applicationId === dossier.id);
      expect(own[0]).toMatchObject({ event: "create", toStatus: "draft" });
      let status: ApplicationStatus = "draft";
      for (const event of own.slice(1)) {
        const transition = TRANSITIONS[event.event as keyof typeof TRANSITIONS];
        expect(transition, event.event).toBeDefined();
        expect(transition.from as readonly string[]).toContain(status);
        expect(event.fromStatus).toBe(status);
        expect(event.toStatus).toBe(transition.to);
        if (transition.motivation === "required") expect(event.motivation).toBeTruthy();
        status = event.toStatus!;
      }
      expect(status, dossier.reference).toBe(dossier.status);
      if (dossier.submittedAt) expect(dossier.submittedAt.getTime()).toBeLessThan(Date.now());
    }
  });

  it("leave the demo applicant without organisation; give the wave-1 applicant the top dossier and a working sign-in", async () => {
    const [applicant] = await db.select().from(users).where(eq(users.email, accountOf("applicant")));
    expect(await db.select().from(memberships).where(eq(memberships.userId, applicant.id))).toEqual([]);

    const [wave1Applicant] = await db.select().from(users).where(eq(users.email, DEMO_WAVE1_APPLICANT_EMAIL));
    expect(wave1Applicant.emailVerifiedAt).not.toBeNull();
    expect(await verifyPassword(wave1Applicant.passwordHash, DEMO_PASSWORD)).toBe(true);
    const [top] = dossiers.filter((dossier) => dossier.reference === DEMO_TOP_DOSSIER_REFERENCE);
    expect(top.status).toBe("reviewed");
    const owned = await db.select().from(memberships).where(and(eq(memberships.userId, wave1Applicant.id), eq(memberships.organisationId, top.organisationId)));
    expect(owned).toMatchObject([{ role: "owner" }]);

    // The seeded owners and evaluators cannot sign in, and the demo accounts stay the newest.
    const seeded = await db.select().from(users).where(sql`${users.email} not in ${DEMO_ACCOUNTS.map((account) => account.email)}`);
    expect(seeded.length).toBeGreaterThan(50);
    for (const user of seeded) expect(user.passwordHash).toBeNull();
    const [oldestDemo] = await db.select({ at: sql<Date>`min(${users.createdAt})` }).from(users).where(inArray(users.email, DEMO_ACCOUNTS.map((account) => account.email)));
    for (const user of seeded) expect(user.createdAt.getTime()).toBeLessThan(new Date(oldestDemo.at).getTime());
  });
});
