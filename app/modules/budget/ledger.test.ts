import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PaymentTranche } from "~db/schema";
import {
  balanceOf,
  checkCarryOver,
  checkCommitment,
  checkPayment,
  checkRelease,
  dossierPosition,
  EMPTY_TOTALS,
  maxAdvanceCents,
  summarize,
  totalsOf,
  type Balance,
  type LedgerRefusal,
  type StoredMovement,
} from "./ledger";

const REGIONS = ["28", "53", "11"] as const;

interface Model {
  waves: Array<{ id: string; budgetCents: number; busTarget: number }>;
  dossiers: Array<{ id: string; waveId: string; regionCode: string }>;
  advanceSharePercent: number;
}

type Operation =
  | { op: "commit"; dossier: number; amountCents: number; buses: number }
  | { op: "release"; dossier: number; amountCents: number; buses: number }
  | { op: "pay"; dossier: number; tranche: PaymentTranche; amountCents: number }
  | { op: "carry"; from: number; to: number; amountCents: number; buses: number };

const modelArb: fc.Arbitrary<Model> = fc
  .record({
    waves: fc.array(fc.record({ budgetCents: fc.integer({ min: 0, max: 2_000_000 }), busTarget: fc.integer({ min: 0, max: 8 }) }), { minLength: 1, maxLength: 3 }),
    dossierCount: fc.integer({ min: 1, max: 6 }),
    advanceSharePercent: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constantFrom(30, 33.5, 12.25)),
  })
  .chain(({ waves, dossierCount, advanceSharePercent }) =>
    fc
      .array(fc.record({ wave: fc.nat({ max: waves.length - 1 }), region: fc.constantFrom(...REGIONS) }), { minLength: dossierCount, maxLength: dossierCount })
      .map((dossiers) => ({
        waves: waves.map((wave, index) => ({ id: `w${index}`, ...wave })),
        dossiers: dossiers.map((dossier, index) => ({ id: `d${index}`, waveId: `w${dossier.wave}`, regionCode: dossier.region })),
        advanceSharePercent,
      })),
  );

/** Amounts around the interesting boundaries: small, exact-looking and above any budget. */
const amountArb = fc.oneof(fc.integer({ min: 0, max: 2_500_000 }), fc.integer({ min: 0, max: 50_000 }), fc.constantFrom(0, 1, 1_000_000));

function operationsArb(model: Model): fc.Arbitrary<Operation[]> {
  const dossier = fc.nat({ max: model.dossiers.length - 1 });
  const wave = fc.nat({ max: model.waves.length - 1 });
  const busesArb = fc.integer({ min: 0, max: 4 });
  return fc.array(
    fc.oneof(
      { weight: 4, arbitrary: fc.record({ op: fc.constant("commit" as const), dossier, amountCents: amountArb, buses: busesArb }) },
      { weight: 2, arbitrary: fc.record({ op: fc.constant("release" as const), dossier, amountCents: amountArb, buses: busesArb }) },
      { weight: 4, arbitrary: fc.record({ op: fc.constant("pay" as const), dossier, tranche: fc.constantFrom<PaymentTranche>("advance", "balance"), amountCents: amountArb }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant("carry" as const), from: wave, to: wave, amountCents: amountArb, buses: busesArb }) },
    ),
    { maxLength: 60 },
  );
}

/** The ledger of the model, with balances always recomputed from scratch from its entries. */
class ModelLedger {
  readonly entries: StoredMovement[] = [];
  private readonly byDossier = new Map<string, Array<StoredMovement & { applicationId: string }>>();
  constructor(readonly model: Model) {}

  wave(waveId: string): Balance {
    const envelope = this.model.waves.find((wave) => wave.id === waveId)!;
    return balanceOf(envelope, totalsOf(this.entries.filter((entry) => entry.waveId === waveId)));
  }

  dossier(dossierId: string) {
    return dossierPosition(totalsOf(this.byDossier.get(dossierId) ?? []));
  }

  private append(entry: StoredMovement, applicationId: string | null) {
    this.entries.push(entry);
    if (applicationId) {
      const list = this.byDossier.get(applicationId) ?? [];
      list.push({ ...entry, applicationId });
      this.byDossier.set(applicationId, list);
    }
  }

  /** Applies an operation through the checks; returns the refusal when the check refuses it. */
  apply(operation: Operation): LedgerRefusal | null {
    if (operation.op === "carry") {
      const from = this.model.waves[operation.from];
      const to = this.model.waves[operation.to];
      if (from.id === to.id) return null;
      const refused = checkCarryOver(this.wave(from.id), operation.amountCents, operation.buses);
      if (refused) return refused;
      this.append({ kind: "carry_over_out", waveId: from.id, regionCode: null, amountCents: operation.amountCents, buses: operation.buses, tranche: null }, null);
      this.append({ kind: "carry_over_in", waveId: to.id, regionCode: null, amountCents: operation.amountCents, buses: operation.buses, tranche: null }, null);
      return null;
    }
    const dossier = this.model.dossiers[operation.dossier];
    const base = { waveId: dossier.waveId, regionCode: dossier.regionCode };
    let refused: LedgerRefusal | null;
    if (operation.op === "commit") {
      refused = checkCommitment(this.wave(dossier.waveId), operation.amountCents, operation.buses);
      if (!refused) this.append({ ...base, kind: "commitment", amountCents: operation.amountCents, buses: operation.buses, tranche: null }, dossier.id);
    } else if (operation.op === "release") {
      refused = checkRelease(this.dossier(dossier.id), operation.amountCents, operation.buses);
      if (!refused) this.append({ ...base, kind: "release", amountCents: operation.amountCents, buses: operation.buses, tranche: null }, dossier.id);
    } else {
      const before = this.dossier(dossier.id);
      refused = checkPayment(before, operation.tranche, operation.amountCents, this.model.advanceSharePercent);
      if (!refused) {
        // The advance rule holds at the time of each advance payment.
        if (operation.tranche === "advance") expect(before.advancePaidCents + operation.amountCents).toBeLessThanOrEqual(maxAdvanceCents(before.committedCents, this.model.advanceSharePercent));
        this.append({ ...base, kind: "payment", amountCents: operation.amountCents, buses: 0, tranche: operation.tranche }, dossier.id);
      }
    }
    return refused;
  }

  assertInvariants() {
    let committedSum = 0;
    let remainingSum = 0;
    for (const envelope of this.model.waves) {
      const wave = this.wave(envelope.id);
      expect(wave.committedCents).toBeGreaterThanOrEqual(0);
      expect(wave.committedCents).toBeLessThanOrEqual(wave.availableCents);
      expect(wave.paidCents).toBeLessThanOrEqual(wave.committedCents);
      expect(wave.busesCommitted).toBeGreaterThanOrEqual(0);
      expect(wave.busesCommitted).toBeLessThanOrEqual(wave.busesAvailable);
      expect(wave.remainingCents).toBe(envelope.budgetCents + wave.carriedInCents - wave.carriedOutCents - wave.committedCents);
      expect(wave.remainingCents).toBeGreaterThanOrEqual(0);
      expect(wave.busesRemaining).toBeGreaterThanOrEqual(0);
      committedSum += wave.committedCents;
      remainingSum += wave.remainingCents;
    }
    for (const dossier of this.model.dossiers) {
      const position = this.dossier(dossier.id);
      expect(position.paidCents).toBeGreaterThanOrEqual(0);
      expect(position.paidCents).toBeLessThanOrEqual(position.committedCents);
      expect(position.buses).toBeGreaterThanOrEqual(0);
    }
    const summary = summarize(this.model.waves, this.entries);
    const budget = this.model.waves.reduce((sum, wave) => sum + wave.budgetCents, 0);
    const target = this.model.waves.reduce((sum, wave) => sum + wave.busTarget, 0);
    expect(summary.total.committedCents).toBe(committedSum);
    // Carry-overs move money between waves; the programme's remaining is budget − committed.
    expect(summary.total.remainingCents).toBe(budget - committedSum);
    expect(summary.total.remainingCents).toBe(remainingSum);
    expect(summary.total.committedCents).toBeLessThanOrEqual(budget);
    expect(summary.total.busesCommitted).toBeLessThanOrEqual(target);
    expect(summary.total.paidCents).toBeLessThanOrEqual(summary.total.committedCents);
    for (const envelope of this.model.waves) expect(summary.waves.get(envelope.id)).toEqual(this.wave(envelope.id));
    const regions = [...summary.regions.values()];
    expect(regions.reduce((sum, region) => sum + region.committedCents, 0)).toBe(committedSum);
    expect(regions.reduce((sum, region) => sum + region.paidCents, 0)).toBe(summary.total.paidCents);
    expect(regions.reduce((sum, region) => sum + region.busesCommitted, 0)).toBe(summary.total.busesCommitted);
  }
}

const scenarioArb = modelArb.chain((model) => fc.tuple(fc.constant(model), operationsArb(model)));

describe("ledger invariants over random sequences", () => {
  it("keeps committed ≤ available budget, paid ≤ committed, buses ≤ target and remaining = budget ± carry-overs − committed", () => {
    fc.assert(
      fc.property(scenarioArb, ([model, operations]) => {
        const ledger = new ModelLedger(model);
        for (const operation of operations) {
          const refused = ledger.apply(operation);
          if (refused) {
            expect(refused.message).toMatch(/refusé|montant|médicobus|écriture/);
            expect([400, 409]).toContain(refused.status);
          }
          ledger.assertInvariants();
        }
      }),
      { numRuns: 300 },
    );
  });

  it("refuses only what would break a rule: the exact remainder passes, one cent or one bus more does not", () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat({ max: 5 }), ([model, operations], pick) => {
        const ledger = new ModelLedger(model);
        for (const operation of operations) ledger.apply(operation);
        const dossier = model.dossiers[pick % model.dossiers.length];
        const wave = ledger.wave(dossier.waveId);
        if (wave.remainingCents > 0) {
          expect(checkCommitment(wave, wave.remainingCents, wave.busesRemaining)).toBeNull();
          expect(checkCarryOver(wave, wave.remainingCents, wave.busesRemaining)).toBeNull();
        }
        expect(checkCommitment(wave, wave.remainingCents + 1, 0)?.code).toBe("budget_exceeded");
        expect(checkCommitment(wave, 1, wave.busesRemaining + 1)?.code).toBe(wave.remainingCents >= 1 ? "bus_target_exceeded" : "budget_exceeded");
        expect(checkCarryOver(wave, wave.remainingCents + 1, 0)?.code).toBe("carry_over_exceeds_remaining");

        const position = ledger.dossier(dossier.id);
        if (position.unpaidCents > 0) expect(checkPayment(position, "balance", position.unpaidCents, model.advanceSharePercent)).toBeNull();
        if (position.committedCents > 0) expect(checkPayment(position, "balance", position.unpaidCents + 1, model.advanceSharePercent)?.code).toBe("payment_exceeds_commitment");
        if (position.unpaidCents > 0 || position.buses > 0) expect(checkRelease(position, position.unpaidCents, position.buses)).toBeNull();
        expect(checkRelease(position, position.unpaidCents + 1, 0)?.code).toBe("release_exceeds_commitment");
      }),
      { numRuns: 300 },
    );
  });
});

describe("balances", () => {
  const wave = { budgetCents: 5_000_000_00, busTarget: 50 };

  it("derives committed, paid and remaining from the entries", () => {
    const totals = totalsOf([
      { kind: "commitment", amountCents: 80_000_00, buses: 1, tranche: null },
      { kind: "commitment", amountCents: 60_000_00, buses: 1, tranche: null },
      { kind: "release", amountCents: 60_000_00, buses: 1, tranche: null },
      { kind: "payment", amountCents: 24_000_00, buses: 0, tranche: "advance" },
      { kind: "carry_over_out", amountCents: 1_000_000_00, buses: 10, tranche: null },
    ]);
    expect(balanceOf(wave, totals)).toEqual({
      budgetCents: 5_000_000_00,
      carriedInCents: 0,
      carriedOutCents: 1_000_000_00,
      availableCents: 4_000_000_00,
      committedCents: 80_000_00,
      paidCents: 24_000_00,
      remainingCents: 3_920_000_00,
      busTarget: 50,
      busesCarriedIn: 0,
      busesCarriedOut: 10,
      busesAvailable: 40,
      busesCommitted: 1,
      busesRemaining: 39,
    });
  });

  it("sums per région and in total; carry-overs cancel out in the total", () => {
    const waves = [
      { id: "w1", budgetCents: 100_00, busTarget: 2 },
      { id: "w2", budgetCents: 50_00, busTarget: 1 },
    ];
    const summary = summarize(waves, [
      { waveId: "w1", regionCode: "28", kind: "commitment", amountCents: 40_00, buses: 1, tranche: null },
      { waveId: "w1", regionCode: null, kind: "carry_over_out", amountCents: 60_00, buses: 1, tranche: null },
      { waveId: "w2", regionCode: null, kind: "carry_over_in", amountCents: 60_00, buses: 1, tranche: null },
      { waveId: "w2", regionCode: "53", kind: "commitment", amountCents: 110_00, buses: 2, tranche: null },
      { waveId: "w2", regionCode: "53", kind: "payment", amountCents: 10_00, buses: 0, tranche: "balance" },
    ]);
    expect(summary.waves.get("w1")).toMatchObject({ committedCents: 40_00, remainingCents: 0, busesRemaining: 0 });
    expect(summary.waves.get("w2")).toMatchObject({ availableCents: 110_00, committedCents: 110_00, remainingCents: 0, busesAvailable: 2, busesRemaining: 0 });
    expect(summary.regions.get("28")).toEqual({ committedCents: 40_00, paidCents: 0, busesCommitted: 1 });
    expect(summary.regions.get("53")).toEqual({ committedCents: 110_00, paidCents: 10_00, busesCommitted: 2 });
    expect(summary.total).toMatchObject({ budgetCents: 150_00, availableCents: 150_00, committedCents: 150_00, paidCents: 10_00, remainingCents: 0, busTarget: 3, busesCommitted: 3 });
  });

  it("refuses an entry of a wave it does not know", () => {
    expect(() => summarize([], [{ waveId: "w9", regionCode: null, kind: "commitment", amountCents: 1, buses: 0, tranche: null }])).toThrow(RangeError);
  });
});

/** Intl writes narrow no-break spaces in amounts; the expectations are typed with plain ones. */
const plain = (refused: LedgerRefusal | null) => refused && { ...refused, message: refused.message.replace(/[\u202f\u00a0]/g, " ") };

describe("checks and their French messages", () => {
  const wave = balanceOf({ budgetCents: 100_000_00, busTarget: 2 }, totalsOf([{ kind: "commitment", amountCents: 80_000_00, buses: 1, tranche: null }]));
  const committed = dossierPosition(totalsOf([{ kind: "commitment", amountCents: 80_000_00, buses: 1, tranche: null }]));

  it("tells why a commitment is refused", () => {
    expect(plain(checkCommitment(wave, 20_000_01, 1))).toEqual({ code: "budget_exceeded", status: 409, message: "Engagement refusé : 20 000,01 € dépasse le reste à engager de la vague (20 000 €)." });
    expect(plain(checkCommitment(wave, 20_000_00, 2))).toEqual({ code: "bus_target_exceeded", status: 409, message: "Engagement refusé : 2 médicobus dépasse ce que l'objectif de la vague permet encore (1 médicobus)." });
    expect(checkCommitment(wave, 20_000_00, 1)).toBeNull();
  });

  it("refuses figures that are not amounts", () => {
    for (const amount of [0, -1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 2]) expect(checkCommitment(wave, amount, 1)?.code).toBe("invalid_amount");
    expect(checkCommitment(wave, 1, -1)?.code).toBe("invalid_buses");
    expect(checkRelease(committed, 0, 0)?.code).toBe("empty_entry");
    expect(checkPayment(committed, "balance", 0, 30)?.status).toBe(400);
  });

  it("keeps the advance within the call's share, before the balance", () => {
    expect(maxAdvanceCents(80_000_00, 30)).toBe(24_000_00);
    expect(maxAdvanceCents(99, 33.5)).toBe(33);
    expect(checkPayment(committed, "advance", 24_000_00, 30)).toBeNull();
    expect(plain(checkPayment(committed, "advance", 24_000_01, 30))?.message).toBe("Versement refusé : l'avance est limitée à 30 % de l'engagement, soit 24 000 € (0 € déjà versés en avance).");
    const afterBalance = dossierPosition(totalsOf([
      { kind: "commitment", amountCents: 80_000_00, buses: 1, tranche: null },
      { kind: "payment", amountCents: 1_000_00, buses: 0, tranche: "balance" },
    ]));
    expect(checkPayment(afterBalance, "advance", 1_00, 30)?.code).toBe("advance_after_balance");
    expect(checkPayment(dossierPosition({ ...EMPTY_TOTALS }), "balance", 1_00, 30)?.code).toBe("nothing_committed");
  });

  it("never releases what was paid", () => {
    const paid = dossierPosition(totalsOf([
      { kind: "commitment", amountCents: 80_000_00, buses: 1, tranche: null },
      { kind: "payment", amountCents: 24_000_00, buses: 0, tranche: "advance" },
    ]));
    expect(checkRelease(paid, 56_000_00, 1)).toBeNull();
    expect(plain(checkRelease(paid, 56_000_01, 0))?.message).toBe("Désengagement refusé : 56 000,01 € dépasse l'engagement non versé du dossier (56 000 € ; 24 000 € déjà versés).");
    expect(checkRelease(paid, 0, 2)?.code).toBe("release_exceeds_buses");
  });
});
