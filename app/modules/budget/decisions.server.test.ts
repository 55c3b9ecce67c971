import { and, eq, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, transaction } from "~db/client.server";
import { applicationEvents, applications, auditLog, decisions, ledgerEntries, simulationOverrides } from "~db/schema";
import { DomainError } from "~/utils/errors";
import { BRETAGNE, createBudgetDossiers, createBudgetSetup, NORMANDIE, OCCITANIE, recommend } from "../../../tests/fixtures/budget";
import { applyDecision, closeWave, promotionCandidate, releaseForWithdrawal, reopenDecision, revokeOverride, setOverride, waveRanking } from "./decisions.server";
import { dossierLedgerPosition, programmeBalances, recordPayment, waveBalances } from "./service.server";

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, " ");
const statusOf = async (id: string) => (await db.select({ status: applications.status }).from(applications).where(eq(applications.id, id)))[0].status;
const currentDecision = async (id: string) => (await db.select().from(decisions).where(and(eq(decisions.applicationId, id), isNull(decisions.reopenedAt))))[0] ?? null;

/** Four reviewed dossiers in wave 1 (€300k, 3 buses): scores 90, 80, 70 and 45 (under the 50 threshold). */
async function rankedWave() {
  const setup = await createBudgetSetup({ wave1: { budgetCents: 300_000_00, busTarget: 3 } });
  const [first, second, third, weak] = await createBudgetDossiers(setup, setup.wave1.id, [
    { status: "reviewed", consolidatedScore: 90_00, arsScore: 90_00, anctScore: 90_00, regionCode: NORMANDIE, requestedCents: 100_000_00 },
    { status: "reviewed", consolidatedScore: 80_00, arsScore: 80_00, anctScore: 80_00, regionCode: BRETAGNE, requestedCents: 120_000_00 },
    { status: "reviewed", consolidatedScore: 70_00, arsScore: 70_00, anctScore: 70_00, regionCode: OCCITANIE, requestedCents: 100_000_00 },
    { status: "reviewed", consolidatedScore: 45_00, arsScore: 50_00, anctScore: 40_00, regionCode: OCCITANIE, requestedCents: 60_000_00 },
  ]);
  return { setup, first, second, third, weak };
}

describe("ranking and overrides", () => {
  it("ranks the wave's reviewed dossiers with the evaluators' mean recommendation and simulates the cut", async () => {
    const { setup, first, second, third, weak } = await rankedWave();
    await recommend(second.id, setup.agent.id, 100_000_00, "ars");
    await recommend(second.id, setup.manager.id, 90_000_00, "anct");
    const ranking = await waveRanking(setup.manager, setup.wave1.id);
    expect(ranking.dossiers.find((dossier) => dossier.id === second.id)?.recommendedCents).toBe(95_000_00);
    expect(ranking.simulation.rows.map((row) => [row.reference, row.outcome, row.awardedCents])).toEqual([
      [first.reference, "funded", 100_000_00],
      [second.reference, "funded", 95_000_00],
      [third.reference, "funded", 100_000_00],
      [weak.reference, "below_threshold", 60_000_00],
    ]);
    expect(ranking.simulation.totals).toMatchObject({ funded: 3, awardedCents: 295_000_00, buses: 3, regionsCovered: [NORMANDIE, BRETAGNE, OCCITANIE].sort() });
    expect(ranking.balance).toMatchObject({ remainingCents: 300_000_00, busesRemaining: 3 });
    expect(await refusal(waveRanking(setup.agent, setup.wave1.id))).toMatchObject({ status: 403 });
  });

  it("keeps every override with its justification; a new one revokes the previous, and the simulation follows", async () => {
    const { setup, first, third } = await rankedWave();
    const unjustified = await refusal(setOverride(setup.manager, setup.wave1.id, { reference: first.reference, mode: "exclude", justification: " " }));
    expect(unjustified).toMatchObject({ code: "invalid_override", status: 400, fieldErrors: { justification: ["Justifiez la dérogation par écrit."] } });
    expect((await refusal(setOverride(setup.manager, setup.wave1.id, { reference: first.reference, mode: "amount", justification: "Ajustement" }))).fieldErrors).toEqual({ awardedCents: ["Indiquez le montant à attribuer."] });

    await setOverride(setup.manager, setup.wave1.id, { reference: first.reference, mode: "amount", awardedCents: 90_000_00, justification: "Véhicule d'occasion" });
    await setOverride(setup.otherManager, setup.wave1.id, { reference: first.reference, mode: "exclude", justification: "Financé par le conseil régional" });
    await setOverride(setup.manager, setup.wave1.id, { reference: third.reference, mode: "amount", awardedCents: 80_000_00, justification: "Plan de financement révisé" });
    const kept = await db.select().from(simulationOverrides).where(eq(simulationOverrides.applicationId, first.id));
    expect(kept).toHaveLength(2);
    expect(kept.find((row) => row.mode === "amount")).toMatchObject({ revokedBy: setup.otherManager.id, justification: "Véhicule d'occasion" });
    const ranking = await waveRanking(setup.manager, setup.wave1.id);
    expect(ranking.overrides.map((override) => [override.mode, override.authorName])).toEqual([
      ["exclude", "Hélène Programme"],
      ["amount", "Farid Programme"],
    ]);
    expect(ranking.simulation.rows.map((row) => row.outcome)).toEqual(["excluded", "funded", "funded", "below_threshold"]);
    expect(ranking.simulation.totals.awardedCents).toBe(200_000_00);

    await revokeOverride(setup.manager, setup.wave1.id, first.reference);
    expect(await refusal(revokeOverride(setup.manager, setup.wave1.id, first.reference))).toMatchObject({ code: "no_override", status: 409 });
    const audits = await db.select().from(auditLog).where(eq(auditLog.action, "override.set"));
    expect(audits.some((row) => (row.data as { justification?: string }).justification === "Financé par le conseil régional")).toBe(true);
  });
});

describe("applying a decision", () => {
  it("selects with a commitment, waitlists with a rank and rejects with a motivation, in one transaction", async () => {
    const { setup, first, second, third, weak } = await rankedWave();
    await setOverride(setup.manager, setup.wave1.id, { reference: second.reference, mode: "amount", awardedCents: 100_000_00, justification: "Montant recommandé par le comité" });
    const result = await applyDecision(setup.manager, setup.wave1.id, {
      decisions: [
        { reference: first.reference, outcome: "selected", awardedCents: 100_000_00 },
        { reference: second.reference, outcome: "selected", awardedCents: 100_000_00, motivation: "Retenu après arbitrage" },
        { reference: third.reference, outcome: "waitlisted", waitlistRank: 1 },
        { reference: weak.reference, outcome: "rejected", motivation: "Note ANCT sous le seuil de l'appel." },
      ],
    });
    expect(result).toEqual({ selected: 2, waitlisted: 1, rejected: 1, committedCents: 200_000_00 });
    expect(await statusOf(first.id)).toBe("selected");
    expect(await statusOf(third.id)).toBe("waitlisted");
    expect(await statusOf(weak.id)).toBe("rejected");
    expect(await currentDecision(second.id)).toMatchObject({ outcome: "selected", awardedCents: 100_000_00, buses: 1, decidedBy: setup.manager.id, motivation: "Retenu après arbitrage" });
    expect(await currentDecision(third.id)).toMatchObject({ outcome: "waitlisted", waitlistRank: 1, awardedCents: null });
    expect(await currentDecision(weak.id)).toMatchObject({ outcome: "rejected", motivation: "Note ANCT sous le seuil de l'appel." });
    const [event] = await db.select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, first.id), eq(applicationEvents.event, "select")));
    expect(event).toMatchObject({ fromStatus: "reviewed", toStatus: "selected", actorId: setup.manager.id });
    expect((await waveBalances(setup.manager, setup.wave1.id)).balance).toMatchObject({ committedCents: 200_000_00, busesCommitted: 2, remainingCents: 100_000_00 });
    const [applied] = await db.select().from(auditLog).where(and(eq(auditLog.action, "decision.apply"), eq(auditLog.entityId, setup.wave1.id)));
    expect(applied.data).toMatchObject({ selected: 2, overrides: [{ applicationId: second.id, mode: "amount", justification: "Montant recommandé par le comité" }] });
  });

  it("refuses the whole decision when one selection does not fit, and writes nothing", async () => {
    const { setup, first, second, third } = await rankedWave();
    const error = await refusal(
      applyDecision(setup.manager, setup.wave1.id, {
        decisions: [
          { reference: first.reference, outcome: "selected", awardedCents: 100_000_00 },
          { reference: second.reference, outcome: "selected", awardedCents: 120_000_00 },
          { reference: third.reference, outcome: "selected", awardedCents: 100_000_00 },
        ],
      }),
    );
    expect(error).toMatchObject({ code: "budget_exceeded", status: 409 });
    expect(plain(error.message)).toBe(`${third.reference} : Engagement refusé : 100 000 € dépasse le reste à engager de la vague (80 000 €).`);
    for (const dossier of [first, second, third]) {
      expect(await statusOf(dossier.id)).toBe("reviewed");
      expect(await currentDecision(dossier.id)).toBeNull();
    }
    expect(await db.select().from(ledgerEntries).where(eq(ledgerEntries.waveId, setup.wave1.id))).toHaveLength(0);
  });

  it("tells what is wrong with a line: shape (400), award rules, rank, status (409)", async () => {
    const { setup, first, second, third } = await rankedWave();
    const shape = await refusal(applyDecision(setup.manager, setup.wave1.id, { decisions: [{ reference: first.reference, outcome: "rejected" }, { reference: second.reference, outcome: "selected" }] }));
    expect(shape).toMatchObject({ code: "invalid_decision", status: 400, fieldErrors: { "decisions.0.motivation": ["Motivez la décision de refus."], "decisions.1.awardedCents": ["Indiquez le montant attribué."] } });
    const award = await refusal(applyDecision(setup.manager, setup.wave1.id, { decisions: [{ reference: first.reference, outcome: "selected", awardedCents: 100_000_01 }] }));
    expect(award).toMatchObject({ code: "award_rules", status: 409 });
    expect(plain(award.message)).toBe(`${first.reference} : Le montant attribué (100 000,01 €) dépasse le montant demandé (100 000 €).`);
    await applyDecision(setup.manager, setup.wave1.id, { decisions: [{ reference: second.reference, outcome: "waitlisted", waitlistRank: 1 }] });
    expect(await refusal(applyDecision(setup.manager, setup.wave1.id, { decisions: [{ reference: third.reference, outcome: "waitlisted", waitlistRank: 1 }] }))).toMatchObject({ code: "rank_taken", status: 409 });
    const [submitted] = await createBudgetDossiers(setup, setup.wave1.id, [{ status: "submitted" }]);
    const status = await refusal(applyDecision(setup.manager, setup.wave1.id, { decisions: [{ reference: submitted.reference, outcome: "selected", awardedCents: 80_000_00 }] }));
    expect(status).toMatchObject({ code: "transition_status", status: 409, message: `${submitted.reference} : Action impossible : le dossier est au statut « Déposé ».` });
    expect(await refusal(applyDecision(setup.agent, setup.wave1.id, { decisions: [{ reference: first.reference, outcome: "rejected", motivation: "Non" }] }))).toMatchObject({ status: 403 });
    const otherWave = await refusal(applyDecision(setup.manager, setup.wave2.id, { decisions: [{ reference: first.reference, outcome: "rejected", motivation: "Non" }] }));
    expect(otherWave).toMatchObject({ code: "dossier_of_other_wave", status: 409 });
  });

  it("lets one of two managers' competing decisions through when both would overspend the wave", async () => {
    const { setup, first, second, third } = await rankedWave();
    const outcomes = await Promise.allSettled([
      applyDecision(setup.manager, setup.wave1.id, { decisions: [{ reference: first.reference, outcome: "selected", awardedCents: 100_000_00 }, { reference: second.reference, outcome: "selected", awardedCents: 120_000_00 }] }),
      applyDecision(setup.otherManager, setup.wave1.id, { decisions: [{ reference: third.reference, outcome: "selected", awardedCents: 100_000_00 }, { reference: second.reference, outcome: "waitlisted", waitlistRank: 1 }] }),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    const { balance } = await waveBalances(setup.manager, setup.wave1.id);
    expect(balance.committedCents).toBeLessThanOrEqual(300_000_00);
    expect([220_000_00, 100_000_00]).toContain(balance.committedCents);
  });
});

describe("reopening and promotion", () => {
  it("reopens a selected decision with a motivation, releases its commitment and proposes the first waitlisted dossier that fits", async () => {
    const setup = await createBudgetSetup({ wave1: { budgetCents: 200_000_00, busTarget: 3 } });
    const [kept, big, small] = await createBudgetDossiers(setup, setup.wave1.id, [
      { status: "reviewed", consolidatedScore: 90_00, arsScore: 90_00, anctScore: 90_00, requestedCents: 80_000_00 },
      { status: "reviewed", consolidatedScore: 80_00, arsScore: 80_00, anctScore: 80_00, requestedCents: 150_000_00 },
      { status: "reviewed", consolidatedScore: 70_00, arsScore: 70_00, anctScore: 70_00, requestedCents: 60_000_00 },
    ]);
    await applyDecision(setup.manager, setup.wave1.id, {
      decisions: [
        { reference: kept.reference, outcome: "selected", awardedCents: 80_000_00 },
        { reference: big.reference, outcome: "waitlisted", waitlistRank: 1 },
        { reference: small.reference, outcome: "waitlisted", waitlistRank: 2 },
      ],
    });
    // €120k left: the first on the list (€150k) does not fit, the second (€60k) does.
    expect(await promotionCandidate(setup.manager, setup.wave1.id)).toMatchObject({ reference: small.reference, waitlistRank: 2, proposedCents: 60_000_00 });

    expect(await refusal(reopenDecision(setup.manager, kept.reference, { motivation: "" }))).toMatchObject({ code: "transition_motivation", status: 400 });
    const reopened = await reopenDecision(setup.manager, kept.reference, { motivation: "Le porteur renonce au projet." });
    expect(reopened).toEqual({ releasedCents: 80_000_00 });
    expect(await statusOf(kept.id)).toBe("reviewed");
    expect(await currentDecision(kept.id)).toBeNull();
    const [old] = await db.select().from(decisions).where(eq(decisions.applicationId, kept.id));
    expect(old).toMatchObject({ outcome: "selected", reopenedBy: setup.manager.id, reopenMotivation: "Le porteur renonce au projet." });
    expect(await dossierLedgerPosition(setup.manager, kept.reference)).toMatchObject({ committedCents: 0, buses: 0 });
    expect(await promotionCandidate(setup.manager, setup.wave1.id)).toMatchObject({ reference: big.reference, waitlistRank: 1 });
    // Given the ranking the page has just read, the same candidate, from that ranking's balance.
    const ranking = await waveRanking(setup.manager, setup.wave1.id);
    expect(await promotionCandidate(setup.manager, setup.wave1.id, ranking)).toMatchObject({ reference: big.reference, waitlistRank: 1 });
    const spent = { ...ranking, balance: { ...ranking.balance, remainingCents: 0 } };
    expect(await promotionCandidate(setup.manager, setup.wave1.id, spent)).toBeNull();

    // Promotion: the waitlisted dossier is selected; its reserve-list decision is closed, kept.
    await applyDecision(setup.manager, setup.wave1.id, { decisions: [{ reference: big.reference, outcome: "selected", awardedCents: 150_000_00 }] });
    expect(await currentDecision(big.id)).toMatchObject({ outcome: "selected", awardedCents: 150_000_00 });
    expect(await db.select().from(decisions).where(eq(decisions.applicationId, big.id))).toHaveLength(2);
  });

  it("refuses to reopen a selected decision once money was paid", async () => {
    const { setup, first } = await rankedWave();
    await applyDecision(setup.manager, setup.wave1.id, { decisions: [{ reference: first.reference, outcome: "selected", awardedCents: 100_000_00 }] });
    await recordPayment(setup.manager, first.reference, { tranche: "advance", amountCents: 30_000_00 });
    expect(await refusal(reopenDecision(setup.manager, first.reference, { motivation: "Erreur" }))).toMatchObject({ code: "already_paid", status: 409 });
    expect(await statusOf(first.id)).toBe("selected");
  });
});

describe("withdrawal and closing a wave", () => {
  async function decidedWave() {
    const context = await rankedWave();
    const { setup, first, second, third, weak } = context;
    await applyDecision(setup.manager, setup.wave1.id, {
      decisions: [
        { reference: first.reference, outcome: "selected", awardedCents: 100_000_00 },
        { reference: second.reference, outcome: "waitlisted", waitlistRank: 1 },
        { reference: third.reference, outcome: "waitlisted", waitlistRank: 2 },
        { reference: weak.reference, outcome: "rejected", motivation: "Sous le seuil." },
      ],
    });
    return context;
  }

  it("releases a withdrawn selected dossier's commitment inside the withdrawal's transaction and closes its decision", async () => {
    const { setup, first, second } = await decidedWave();
    const result = await transaction(async (tx) => {
      // What the applications module's withdrawal does around it: lock the dossier, change its status.
      const [locked] = await tx.select().from(applications).where(eq(applications.id, first.id)).for("update");
      const released = await releaseForWithdrawal(tx, setup.applicant, locked, "Le véhicule n'est plus disponible.");
      await tx.update(applications).set({ status: "withdrawn" }).where(eq(applications.id, first.id));
      return released;
    });
    expect(result).toEqual({ releasedCents: 100_000_00, releasedBuses: 1 });
    expect(await currentDecision(first.id)).toBeNull();
    expect((await waveBalances(setup.manager, setup.wave1.id)).balance).toMatchObject({ committedCents: 0, remainingCents: 300_000_00, busesRemaining: 3 });
    expect(await promotionCandidate(setup.manager, setup.wave1.id)).toMatchObject({ reference: second.reference, waitlistRank: 1 });
  });

  it("closes a wave: its remainder and its reserve list (in order) go to the next wave, in one transaction", async () => {
    const { setup, first, second, third } = await decidedWave();
    const [alreadyThere] = await createBudgetDossiers(setup, setup.wave2.id, [{ status: "reviewed", consolidatedScore: 60_00, arsScore: 60_00, anctScore: 60_00 }]);
    await applyDecision(setup.manager, setup.wave2.id, { decisions: [{ reference: alreadyThere.reference, outcome: "waitlisted", waitlistRank: 1 }] });

    const closed = await closeWave(setup.manager, { fromWaveId: setup.wave1.id, toWaveId: setup.wave2.id, motivation: "Clôture de la vague 1 après le comité" });
    expect(closed).toEqual({ carriedCents: 200_000_00, carriedBuses: 2, waitlistCarried: 2 });
    expect(await currentDecision(second.id)).toMatchObject({ waveId: setup.wave2.id, outcome: "waitlisted", waitlistRank: 2 });
    expect(await currentDecision(third.id)).toMatchObject({ waveId: setup.wave2.id, outcome: "waitlisted", waitlistRank: 3 });
    const programme = await programmeBalances(setup.manager, setup.call.id);
    expect(programme.waves.map((wave) => [wave.balance.availableCents, wave.balance.committedCents, wave.balance.remainingCents])).toEqual([
      [100_000_00, 100_000_00, 0],
      [5_200_000_00, 0, 5_200_000_00],
    ]);
    expect((await waveRanking(setup.manager, setup.wave1.id)).dossiers.map((dossier) => dossier.id)).toEqual([]);
    expect((await waveRanking(setup.manager, setup.wave2.id)).dossiers.map((dossier) => dossier.id).sort()).toEqual([second.id, third.id, alreadyThere.id].sort());
    expect(await promotionCandidate(setup.manager, setup.wave2.id)).toMatchObject({ reference: alreadyThere.reference, waitlistRank: 1 });

    // The carried reserve is promoted against the next wave's budget.
    await applyDecision(setup.manager, setup.wave2.id, { decisions: [{ reference: second.reference, outcome: "selected", awardedCents: 120_000_00 }] });
    expect((await waveBalances(setup.manager, setup.wave2.id)).balance).toMatchObject({ committedCents: 120_000_00 });
    expect(await statusOf(first.id)).toBe("selected");
    const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.action, "wave.close"), eq(auditLog.entityId, setup.wave1.id)));
    expect(audit.data).toMatchObject({ carriedCents: 200_000_00, waitlistCarried: 2, motivation: "Clôture de la vague 1 après le comité" });

    // Closed once: a second closing is refused by the service itself, and moves nothing.
    const again = await refusal(closeWave(setup.manager, { fromWaveId: setup.wave1.id, toWaveId: setup.wave2.id }));
    expect([again.status, again.message]).toEqual([409, "La vague 1 est déjà clôturée."]);
    expect((await waveBalances(setup.manager, setup.wave2.id)).balance).toMatchObject({ committedCents: 120_000_00, availableCents: 5_200_000_00 });
  });

  it("refuses to close a wave whose reviewed dossiers still wait for a decision, carrying nothing", async () => {
    const setup = await createBudgetSetup();
    await createBudgetDossiers(setup, setup.wave1.id, [{ status: "reviewed", consolidatedScore: 70_00, arsScore: 70_00, anctScore: 70_00 }]);
    const refused = await refusal(closeWave(setup.manager, { fromWaveId: setup.wave1.id, toWaveId: setup.wave2.id }));
    expect([refused.status, refused.message]).toEqual([409, "Un dossier instruit attend encore une décision sur la vague 1 : appliquez la décision avant de clôturer."]);
    expect((await db.select().from(ledgerEntries).where(eq(ledgerEntries.waveId, setup.wave1.id)))).toEqual([]);
  });
});

