import { and, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { databaseEngine, db } from "~db/client.server";
import { auditLog, ledgerEntries } from "~db/schema";
import { DomainError } from "~/utils/errors";
import { BRETAGNE, createBudgetDossiers, createBudgetSetup, NORMANDIE } from "../../../tests/fixtures/budget";
import { carryOver, commitAward, dossierLedgerPosition, programmeBalances, recordPayment, releaseCommitment, waveBalances } from "./service.server";

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

/** Intl writes narrow no-break spaces in amounts; expectations are typed with plain ones. */
const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, " ");

/** How many audit rows of `action` record the entries of one wave (the test files share their database). */
async function auditCount(action: string, waveId: string) {
  const entries = await db.select({ id: ledgerEntries.id }).from(ledgerEntries).where(eq(ledgerEntries.waveId, waveId));
  if (entries.length === 0) return 0;
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(auditLog).where(and(eq(auditLog.action, action), inArray(auditLog.entityId, entries.map((entry) => String(entry.id)))));
  return row.count;
}

describe("commitments", () => {
  it("commits an award, writes the entry and its audit row, and the balances follow", async () => {
    const setup = await createBudgetSetup({ wave1: { budgetCents: 200_000_00, busTarget: 2 } });
    const [dossier] = await createBudgetDossiers(setup, setup.wave1.id, [{ requestedCents: 80_000_00, regionCode: NORMANDIE }]);
    const result = await commitAward(setup.manager, dossier.reference, { amountCents: 75_000_00, motivation: "Décision du comité du 12 mars" });
    expect(result.balance).toMatchObject({ committedCents: 75_000_00, remainingCents: 125_000_00, busesCommitted: 1, busesRemaining: 1 });
    const [entry] = await db.select().from(ledgerEntries).where(eq(ledgerEntries.applicationId, dossier.id));
    expect(entry).toMatchObject({ kind: "commitment", amountCents: 75_000_00, buses: 1, regionCode: NORMANDIE, waveId: setup.wave1.id, actorId: setup.manager.id, motivation: "Décision du comité du 12 mars" });
    const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.action, "ledger.commitment"), eq(auditLog.entityId, String(entry.id))));
    expect(audit.data).toMatchObject({ reference: dossier.reference, amountCents: 75_000_00, buses: 1, waveId: setup.wave1.id });
    const wave = await waveBalances(setup.manager, setup.wave1.id);
    expect(wave.balance).toEqual(result.balance);
    expect(wave.regions).toEqual([{ regionCode: NORMANDIE, regionName: "Normandie", committedCents: 75_000_00, paidCents: 0, busesCommitted: 1 }]);
  });

  it("refuses beyond the wave's budget or bus target, with the reason, and writes nothing", async () => {
    const setup = await createBudgetSetup({ wave1: { budgetCents: 150_000_00, busTarget: 1 } });
    const [first, second, third] = await createBudgetDossiers(setup, setup.wave1.id, [{ requestedCents: 80_000_00 }, { requestedCents: 80_000_00 }, { requestedCents: 40_000_00 }]);
    await commitAward(setup.manager, first.reference, { amountCents: 80_000_00 });
    const overBudget = await refusal(commitAward(setup.manager, second.reference, { amountCents: 80_000_00, buses: 0 }));
    expect(overBudget).toMatchObject({ code: "budget_exceeded", status: 409 });
    expect(plain(overBudget.message)).toBe("Engagement refusé : 80 000 € dépasse le reste à engager de la vague (70 000 €).");
    const overTarget = await refusal(commitAward(setup.manager, third.reference, { amountCents: 40_000_00 }));
    expect(overTarget).toMatchObject({ code: "bus_target_exceeded", status: 409 });
    expect(overTarget.message).toBe("Engagement refusé : 1 médicobus dépasse ce que l'objectif de la vague permet encore (0 médicobus).");
    expect(await db.select().from(ledgerEntries).where(eq(ledgerEntries.waveId, setup.wave1.id))).toHaveLength(1);
    expect(await auditCount("ledger.commitment", setup.wave1.id)).toBe(1);
  });

  it("keeps the award within the request and the co-financing band, counting what is already committed", async () => {
    const setup = await createBudgetSetup();
    const [dossier] = await createBudgetDossiers(setup, setup.wave1.id, [{ requestedCents: 80_000_00, totalCostCents: 200_000_00 }]);
    const tooMuch = await refusal(commitAward(setup.manager, dossier.reference, { amountCents: 80_000_01 }));
    expect(tooMuch).toMatchObject({ code: "award_rules", status: 409 });
    expect(plain(tooMuch.message)).toBe("Le montant attribué (80 000,01 €) dépasse le montant demandé (80 000 €).");
    const tooLow = await refusal(commitAward(setup.manager, dossier.reference, { amountCents: 50_000_00 }));
    expect(plain(tooLow.message)).toBe("Le montant attribué représente 25 % du coût total (200 000 €) : la part de l'État doit être comprise entre 30 % et 50 %.");
    await commitAward(setup.manager, dossier.reference, { amountCents: 70_000_00 });
    const topUp = await refusal(commitAward(setup.manager, dossier.reference, { amountCents: 10_000_01, buses: 0 }));
    expect(plain(topUp.message)).toBe("Le montant attribué (80 000,01 €) dépasse le montant demandé (80 000 €). Déjà engagé sur ce dossier : 70 000 €.");
    await commitAward(setup.manager, dossier.reference, { amountCents: 10_000_00, buses: 0 });
    expect(await dossierLedgerPosition(setup.manager, dossier.reference)).toMatchObject({ committedCents: 80_000_00, buses: 1 });
  });

  it("commits only to a selected dossier, by a program manager, with an amount", async () => {
    const setup = await createBudgetSetup();
    const [reviewed, selected] = await createBudgetDossiers(setup, setup.wave1.id, [{ status: "reviewed" }, {}]);
    expect(await refusal(commitAward(setup.manager, reviewed.reference, { amountCents: 80_000_00 }))).toMatchObject({ code: "not_selected", status: 409 });
    expect(await refusal(commitAward(setup.agent, selected.reference, { amountCents: 80_000_00 }))).toMatchObject({ code: "forbidden", status: 403 });
    expect(await refusal(commitAward(setup.manager, "MB-0000-NOPE00", { amountCents: 80_000_00 }))).toMatchObject({ code: "dossier_not_found", status: 404 });
    const invalid = await refusal(commitAward(setup.manager, selected.reference, { amountCents: -5 }));
    expect(invalid).toMatchObject({ code: "invalid_amount", status: 400, fieldErrors: { amount: ["Le montant doit être un nombre positif de centimes d'euro."] } });
    await commitAward(setup.manager, selected.reference, { amountCents: 70_000_00, waveId: setup.wave2.id });
    expect(await refusal(commitAward(setup.manager, selected.reference, { amountCents: 1_00, waveId: setup.wave1.id, buses: 0 }))).toMatchObject({ code: "dossier_in_other_wave", status: 409 });
  });
});

describe("releases and payments", () => {
  async function committedDossier() {
    const setup = await createBudgetSetup();
    const [dossier] = await createBudgetDossiers(setup, setup.wave1.id, [{ requestedCents: 80_000_00 }]);
    await commitAward(setup.manager, dossier.reference, { amountCents: 80_000_00 });
    return { setup, dossier };
  }

  it("pays an advance within the call's share (30 %), then the balance, never beyond the commitment", async () => {
    const { setup, dossier } = await committedDossier();
    const overAdvance = await refusal(recordPayment(setup.manager, dossier.reference, { tranche: "advance", amountCents: 24_000_01 }));
    expect(overAdvance).toMatchObject({ code: "advance_exceeds_share", status: 409 });
    await recordPayment(setup.manager, dossier.reference, { tranche: "advance", amountCents: 24_000_00 });
    await recordPayment(setup.manager, dossier.reference, { tranche: "balance", amountCents: 50_000_00 });
    expect(await refusal(recordPayment(setup.manager, dossier.reference, { tranche: "advance", amountCents: 1_00 }))).toMatchObject({ code: "advance_after_balance" });
    const over = await refusal(recordPayment(setup.manager, dossier.reference, { tranche: "balance", amountCents: 6_000_01 }));
    expect(plain(over.message)).toBe("Versement refusé : 6 000,01 € dépasse le reste à verser sur l'engagement (6 000 €).");
    const last = await recordPayment(setup.manager, dossier.reference, { tranche: "balance", amountCents: 6_000_00, motivation: "Solde sur pièces justificatives" });
    expect(last.position).toMatchObject({ committedCents: 80_000_00, paidCents: 80_000_00, unpaidCents: 0 });
    expect(await auditCount("ledger.payment", setup.wave1.id)).toBe(3);
    expect((await waveBalances(setup.manager, setup.wave1.id)).balance).toMatchObject({ committedCents: 80_000_00, paidCents: 80_000_00 });
  });

  it("releases what is unpaid (all by default), never what was paid, with a motivation", async () => {
    const { setup, dossier } = await committedDossier();
    await recordPayment(setup.manager, dossier.reference, { tranche: "advance", amountCents: 20_000_00 });
    expect(await refusal(releaseCommitment(setup.manager, dossier.reference, { motivation: "  " }))).toMatchObject({ code: "motivation_required", status: 400 });
    expect(await refusal(releaseCommitment(setup.manager, dossier.reference, { amountCents: 60_000_01, motivation: "Trop" }))).toMatchObject({ code: "release_exceeds_commitment", status: 409 });
    const released = await releaseCommitment(setup.manager, dossier.reference, { motivation: "Projet abandonné après l'avance" });
    expect(released).toMatchObject({ amountCents: 60_000_00, buses: 1 });
    expect(await dossierLedgerPosition(setup.manager, dossier.reference)).toMatchObject({ committedCents: 20_000_00, paidCents: 20_000_00, unpaidCents: 0, buses: 0 });
    expect(await refusal(releaseCommitment(setup.manager, dossier.reference, { motivation: "Encore" }))).toMatchObject({ code: "nothing_committed", status: 409 });
    expect((await waveBalances(setup.manager, setup.wave1.id)).balance).toMatchObject({ committedCents: 20_000_00, remainingCents: 5_000_000_00 - 20_000_00, busesCommitted: 0 });
  });

  it("refuses a payment on a dossier with nothing committed", async () => {
    const setup = await createBudgetSetup();
    const [dossier] = await createBudgetDossiers(setup, setup.wave1.id, [{}]);
    expect(await refusal(recordPayment(setup.manager, dossier.reference, { tranche: "advance", amountCents: 1_00 }))).toMatchObject({ code: "nothing_committed", status: 409 });
  });
});

describe("carry-over and programme balances", () => {
  it("carries what wave 1 leaves into wave 2 and the totals add up per wave, région and programme", async () => {
    const setup = await createBudgetSetup({ wave1: { budgetCents: 300_000_00, busTarget: 3 }, wave2: { budgetCents: 200_000_00, busTarget: 2 } });
    const [normand, breton] = await createBudgetDossiers(setup, setup.wave1.id, [{ regionCode: NORMANDIE, requestedCents: 80_000_00 }, { regionCode: BRETAGNE, requestedCents: 100_000_00 }]);
    await commitAward(setup.manager, normand.reference, { amountCents: 80_000_00 });
    await commitAward(setup.manager, breton.reference, { amountCents: 100_000_00 });
    await recordPayment(setup.manager, breton.reference, { tranche: "advance", amountCents: 30_000_00 });

    expect(await refusal(carryOver(setup.manager, { fromWaveId: setup.wave2.id, toWaveId: setup.wave1.id }))).toMatchObject({ code: "carry_over_direction", status: 409 });
    expect(await refusal(carryOver(setup.manager, { fromWaveId: setup.wave1.id, toWaveId: setup.wave2.id, amountCents: 120_000_01 }))).toMatchObject({ code: "carry_over_exceeds_remaining" });
    const carried = await carryOver(setup.manager, { fromWaveId: setup.wave1.id, toWaveId: setup.wave2.id });
    expect(carried).toMatchObject({ amountCents: 120_000_00, buses: 1 });
    expect(await refusal(carryOver(setup.manager, { fromWaveId: setup.wave1.id, toWaveId: setup.wave2.id }))).toMatchObject({ code: "nothing_to_carry", status: 409 });
    expect(await auditCount("ledger.carry_over_out", setup.wave1.id)).toBe(1);
    expect(await auditCount("ledger.carry_over_in", setup.wave2.id)).toBe(1);

    const programme = await programmeBalances(setup.manager, setup.call.id);
    expect(programme.envelopeMatches).toBe(false);
    expect(programme.waves.map((wave) => [wave.number, wave.balance.availableCents, wave.balance.committedCents, wave.balance.remainingCents, wave.balance.busesAvailable])).toEqual([
      [1, 180_000_00, 180_000_00, 0, 2],
      [2, 320_000_00, 0, 320_000_00, 3],
    ]);
    expect(programme.regions).toEqual([
      { regionCode: BRETAGNE, regionName: "Bretagne", committedCents: 100_000_00, paidCents: 30_000_00, busesCommitted: 1 },
      { regionCode: NORMANDIE, regionName: "Normandie", committedCents: 80_000_00, paidCents: 0, busesCommitted: 1 },
    ]);
    expect(programme.total).toMatchObject({ budgetCents: 500_000_00, committedCents: 180_000_00, paidCents: 30_000_00, remainingCents: 320_000_00, busTarget: 5, busesCommitted: 2, busesRemaining: 3 });

    // Wave 2 now funds a dossier of wave 1 with the carried money (a promoted reserve).
    const [reserve] = await createBudgetDossiers(setup, setup.wave1.id, [{ requestedCents: 100_000_00 }]);
    const promoted = await commitAward(setup.manager, reserve.reference, { amountCents: 100_000_00, waveId: setup.wave2.id });
    expect(promoted.balance).toMatchObject({ committedCents: 100_000_00, remainingCents: 220_000_00 });
  });

  it("is for program managers only", async () => {
    const setup = await createBudgetSetup();
    expect(await refusal(programmeBalances(setup.agent, setup.call.id))).toMatchObject({ status: 403 });
    expect(await refusal(waveBalances(setup.applicant, setup.wave1.id))).toMatchObject({ status: 403 });
    expect(await refusal(carryOver(setup.agent, { fromWaveId: setup.wave1.id, toWaveId: setup.wave2.id }))).toMatchObject({ status: 403 });
  });
});

describe("the ledger is append-only", () => {
  it("refuses UPDATE and DELETE of an entry in the database itself", async () => {
    const setup = await createBudgetSetup();
    const [dossier] = await createBudgetDossiers(setup, setup.wave1.id, [{}]);
    await commitAward(setup.manager, dossier.reference, { amountCents: 80_000_00 });
    await expect(db.update(ledgerEntries).set({ amountCents: 1 }).where(eq(ledgerEntries.applicationId, dossier.id))).rejects.toThrow();
    await expect(db.delete(ledgerEntries).where(eq(ledgerEntries.applicationId, dossier.id))).rejects.toThrow();
    const [entry] = await db.select().from(ledgerEntries).where(eq(ledgerEntries.applicationId, dossier.id));
    expect(entry.amountCents).toBe(80_000_00);
  });
});

describe("under concurrency", () => {
  it(`never overspends a wave: 200 concurrent commit attempts from separate connections (${databaseEngine})`, { timeout: 180_000 }, async () => {
    const budgetCents = 3_000_000_00;
    const busTarget = 30;
    const setup = await createBudgetSetup({ wave1: { budgetCents, busTarget } });
    // Requests between €60k and €120k: sometimes the budget binds first, sometimes the bus target.
    const requests = Array.from({ length: 200 }, (_, index) => 60_000_00 + ((index * 7_919) % 61) * 1_000_00);
    const dossiers = await createBudgetDossiers(setup, setup.wave1.id, requests.map((requestedCents) => ({ requestedCents })));
    const managers = [setup.manager, setup.otherManager];

    const outcomes = await Promise.all(
      dossiers.map((dossier, index) =>
        commitAward(managers[index % 2], dossier.reference, { amountCents: dossier.requestedCents }).then(
          () => ({ ok: true as const, amountCents: dossier.requestedCents }),
          (error: unknown) => ({ ok: false as const, amountCents: dossier.requestedCents, error }),
        ),
      ),
    );
    const accepted = outcomes.filter((outcome) => outcome.ok);
    const refused = outcomes.filter((outcome) => !outcome.ok);
    const { balance } = await waveBalances(setup.manager, setup.wave1.id);

    expect(balance.committedCents).toBeLessThanOrEqual(budgetCents);
    expect(balance.busesCommitted).toBeLessThanOrEqual(busTarget);
    expect(balance.committedCents).toBe(accepted.reduce((sum, outcome) => sum + outcome.amountCents, 0));
    expect(balance.busesCommitted).toBe(accepted.length);
    expect(accepted.length + refused.length).toBe(200);
    expect(refused.length).toBeGreaterThan(0);
    for (const outcome of refused) {
      // Every refused attempt is told why, in French, and the reason is true of the final state
      // (what remains only shrinks): its amount did not fit, or no bus was left.
      expect(outcome.error).toBeInstanceOf(DomainError);
      const error = outcome.error as DomainError;
      expect(error.status).toBe(409);
      expect(["budget_exceeded", "bus_target_exceeded"]).toContain(error.code);
      expect(error.message).toMatch(/^Engagement refusé : .+ dépasse /);
      expect(outcome.amountCents > balance.remainingCents || balance.busesRemaining === 0).toBe(true);
    }
    const entries = await db.select({ id: ledgerEntries.id }).from(ledgerEntries).where(eq(ledgerEntries.waveId, setup.wave1.id));
    expect(entries).toHaveLength(accepted.length);
    const audits = await db.select({ id: auditLog.id }).from(auditLog).where(and(eq(auditLog.action, "ledger.commitment"), inArray(auditLog.entityId, entries.map((entry) => String(entry.id)))));
    expect(audits).toHaveLength(accepted.length);
  });

  it("never pays beyond a commitment: 20 concurrent balance payments of €10,000 on €80,000", { timeout: 60_000 }, async () => {
    const setup = await createBudgetSetup();
    const [dossier] = await createBudgetDossiers(setup, setup.wave1.id, [{ requestedCents: 80_000_00 }]);
    await commitAward(setup.manager, dossier.reference, { amountCents: 80_000_00 });
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => recordPayment(setup.manager, dossier.reference, { tranche: "balance", amountCents: 10_000_00 })));
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(8);
    for (const outcome of outcomes) if (outcome.status === "rejected") expect(outcome.reason).toMatchObject({ code: "payment_exceeds_commitment", status: 409 });
    expect(await dossierLedgerPosition(setup.manager, dossier.reference)).toMatchObject({ committedCents: 80_000_00, paidCents: 80_000_00 });
  });

  it("keeps both waves whole when commitments race a carry-over", { timeout: 60_000 }, async () => {
    const setup = await createBudgetSetup({ wave1: { budgetCents: 500_000_00, busTarget: 6 }, wave2: { budgetCents: 100_000_00, busTarget: 1 } });
    const dossiers = await createBudgetDossiers(setup, setup.wave1.id, Array.from({ length: 8 }, () => ({ requestedCents: 80_000_00 })));
    const results = await Promise.allSettled([
      ...dossiers.map((dossier) => commitAward(setup.manager, dossier.reference, { amountCents: 80_000_00 })),
      carryOver(setup.otherManager, { fromWaveId: setup.wave1.id, toWaveId: setup.wave2.id, amountCents: 200_000_00, buses: 2 }),
    ]);
    expect(results.filter((result) => result.status === "rejected").every((result) => (result as PromiseRejectedResult).reason instanceof DomainError)).toBe(true);
    const programme = await programmeBalances(setup.manager, setup.call.id);
    for (const wave of programme.waves) {
      expect(wave.balance.remainingCents).toBeGreaterThanOrEqual(0);
      expect(wave.balance.busesRemaining).toBeGreaterThanOrEqual(0);
    }
    expect(programme.total.committedCents + programme.total.remainingCents).toBe(600_000_00);
  });
});
