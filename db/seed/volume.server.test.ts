import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~db/client.server";
import { APPLICATION_STATUSES, applicationEvents, applicationPieces, applications, decisions, evaluations, ledgerEntries, memberships, waves, type ApplicationStatus } from "~db/schema";
import type { FormData } from "~/modules/applications/form";
import { TRANSITIONS } from "~/modules/applications/lifecycle";
import { missingItems } from "~/modules/applications/rules";
import { awardProblem } from "~/modules/budget/award";
import { dossierPosition, maxAdvanceCents, summarize, totalsOf } from "~/modules/budget/ledger";
import { CallRulesSchema } from "~/modules/calls/schema";
import { consolidate, evaluationScore } from "~/modules/instruction/scoring";
import { seedVolume, volumeDossier, volumeReference, type VolumeContext } from "./volume";

const COUNT = 600;
const rules = CallRulesSchema.parse({});
let result: Awaited<ReturnType<typeof seedVolume>>;
let dossiers: Array<typeof applications.$inferSelect>;
let callWaves: Array<typeof waves.$inferSelect>;

beforeAll(async () => {
  result = await seedVolume({ count: COUNT, seed: 11, callSlug: "volume-test", batchSize: 250 });
  dossiers = await db.select().from(applications).where(eq(applications.callId, result.callId));
  callWaves = await db.select().from(waves).where(eq(waves.callId, result.callId)).orderBy(asc(waves.number));
}, 180_000);

const waveOf = (number: 1 | 2) => callWaves.find((wave) => wave.number === number)!;

describe("volume seed", () => {
  it("writes N dossiers in every status, each with its organisation and owner, wave 1 decided and wave 2 open", async () => {
    expect(dossiers).toHaveLength(COUNT);
    expect(new Set(dossiers.map((dossier) => dossier.status))).toEqual(new Set(APPLICATION_STATUSES));
    const inWave = (number: 1 | 2) => new Set(dossiers.filter((dossier) => dossier.waveId === waveOf(number).id).map((dossier) => dossier.status));
    for (const status of ["submitted", "changes_requested", "under_review", "reviewed"] as const) expect(inWave(1)).not.toContain(status);
    for (const status of ["selected", "waitlisted", "rejected"] as const) expect(inWave(2)).not.toContain(status);
    const owners = await db.select().from(memberships).where(inArray(memberships.organisationId, dossiers.map((dossier) => dossier.organisationId)));
    expect(owners.filter((row) => row.role === "owner")).toHaveLength(COUNT);
    expect(new Set(dossiers.map((dossier) => dossier.regionCode)).size).toBeGreaterThanOrEqual(15);
  });

  it("keeps the ledger within wave 1's budget and bus target, with payments and releases the ledger's rules allow", async () => {
    const entries = await db.select().from(ledgerEntries).where(inArray(ledgerEntries.waveId, callWaves.map((wave) => wave.id)));
    const summary = summarize(callWaves, entries);
    const wave1 = summary.waves.get(waveOf(1).id)!;
    expect(wave1.committedCents).toBe(result.committedCents);
    expect(wave1.remainingCents).toBeGreaterThanOrEqual(0);
    expect(wave1.busesRemaining).toBeGreaterThanOrEqual(0);
    expect(wave1.busesCommitted).toBe(result.selected);
    expect(wave1.paidCents).toBeGreaterThan(0);
    expect(summary.waves.get(waveOf(2).id)!.committedCents).toBe(0);

    const current = await db.select().from(decisions).where(and(eq(decisions.waveId, waveOf(1).id), isNull(decisions.reopenedAt)));
    const byId = new Map(dossiers.map((dossier) => [dossier.id, dossier]));
    for (const decision of current.filter((row) => row.outcome === "selected")) {
      const dossier = byId.get(decision.applicationId)!;
      expect(dossier.status).toBe("selected");
      const position = dossierPosition(totalsOf(entries.filter((entry) => entry.applicationId === dossier.id)));
      expect(position.committedCents).toBe(decision.awardedCents);
      expect(position.unpaidCents).toBeGreaterThanOrEqual(0);
      expect(position.advancePaidCents).toBeLessThanOrEqual(maxAdvanceCents(position.committedCents, rules.advanceSharePercent));
      expect(awardProblem(dossier, decision.awardedCents!, rules.stateSharePercent)).toBeNull();
    }
    // Withdrawn after selection: the commitment released, the decision closed with why.
    const reopened = await db.select().from(decisions).where(and(eq(decisions.waveId, waveOf(1).id), eq(decisions.outcome, "selected")));
    const withdrawn = reopened.filter((row) => row.reopenedAt !== null);
    expect(withdrawn).toHaveLength(result.withdrawnAfterSelection);
    for (const decision of withdrawn) {
      expect(byId.get(decision.applicationId)!.status).toBe("withdrawn");
      expect(dossierPosition(totalsOf(entries.filter((entry) => entry.applicationId === decision.applicationId))).committedCents).toBe(0);
    }
    // A reserve list ranked 1..n, a motivation on every rejection, no wave-1 dossier left undecided.
    const ranks = current.filter((row) => row.outcome === "waitlisted").map((row) => row.waitlistRank).sort((a, b) => a! - b!);
    expect(ranks).toEqual(Array.from({ length: result.waitlisted }, (_, index) => index + 1));
    expect(current.filter((row) => row.outcome === "rejected").every((row) => row.motivation)).toBe(true);
    expect(dossiers.filter((dossier) => dossier.waveId === waveOf(1).id && dossier.status === "reviewed")).toEqual([]);
  });

  it("writes submitted dossiers that pass the call's rules, scores computed by scoring.ts, and histories of allowed transitions", async () => {
    const pieces = await db.select({ applicationId: applicationPieces.applicationId, pieceCode: applicationPieces.pieceCode }).from(applicationPieces).where(inArray(applicationPieces.applicationId, dossiers.map((dossier) => dossier.id)));
    const evaluationRows = await db.select().from(evaluations).where(inArray(evaluations.applicationId, dossiers.map((dossier) => dossier.id)));
    const events = await db.select().from(applicationEvents).where(inArray(applicationEvents.applicationId, dossiers.map((dossier) => dossier.id))).orderBy(asc(applicationEvents.createdAt), asc(applicationEvents.id));
    for (const dossier of dossiers) {
      if (dossier.submittedAt) {
        const pieceCodes = new Set(pieces.filter((piece) => piece.applicationId === dossier.id).map((piece) => piece.pieceCode));
        expect(missingItems({ formData: dossier.formData as FormData, pieceCodes, rules }), dossier.reference).toEqual([]);
      }
      const own = evaluationRows.filter((row) => row.applicationId === dossier.id);
      for (const evaluation of own) {
        const marks = Object.fromEntries(Object.entries(evaluation.scores).map(([code, criterion]) => [code, criterion.score as number]));
        expect(evaluation.weightedScore).toBe(evaluationScore(rules.rubrics[evaluation.rubric], marks));
      }
      if (dossier.consolidatedScore !== null) {
        const of = (rubric: "ars" | "anct") => own.filter((row) => row.rubric === rubric).map((row) => row.weightedScore!);
        expect({ arsScore: dossier.arsScore, anctScore: dossier.anctScore, consolidatedScore: dossier.consolidatedScore, scoreGapFlag: dossier.scoreGapFlag }).toEqual(consolidate({ ars: of("ars"), anct: of("anct") }, rules));
      }
      let status: ApplicationStatus = "draft";
      for (const event of events.filter((row) => row.applicationId === dossier.id).slice(1)) {
        const transition = TRANSITIONS[event.event as keyof typeof TRANSITIONS];
        expect(transition.from as readonly string[], `${dossier.reference} ${event.event}`).toContain(status);
        expect(event.toStatus).toBe(transition.to);
        status = event.toStatus!;
      }
      expect(status, dossier.reference).toBe(dossier.status);
    }
  });

  it("is deterministic: the same seed gives the same dossier, and references never repeat", async () => {
    const context: VolumeContext = {
      seed: 42,
      prefix: "test",
      rules,
      regions: ["28", "53", "76"],
      pieceFiles: new Map(rules.pieces.map((piece) => [piece.code, { sha256: "0".repeat(64), sizeBytes: 1000 }])),
      callId: "00000000-0000-4000-8000-000000000001",
      wave1: { id: "00000000-0000-4000-8000-000000000002" },
      wave2: { id: "00000000-0000-4000-8000-000000000003" },
      managerId: "manager",
      arsAgents: new Map(["28", "53", "76"].map((code) => [code, { id: `ars-${code}` }])),
      anctAgents: [{ id: "anct-1" }],
      midnight: Date.UTC(2026, 0, 15),
    };
    expect(volumeDossier(context, 7)).toEqual(volumeDossier(context, 7));
    expect(volumeDossier(context, 7).application.reference).not.toBe(volumeDossier(context, 8).application.reference);
    const references = new Set(Array.from({ length: 100_000 }, (_, index) => volumeReference(42, index)));
    expect(references.size).toBe(100_000);
  });
});
