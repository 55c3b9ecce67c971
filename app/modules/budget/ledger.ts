import type { LedgerEntryKind, PaymentTranche } from "~db/schema";
import { formatEuros, formatInteger } from "~/utils/format";

/**
 * The budget ledger's arithmetic, pure. Every figure of the programme's money — committed, paid,
 * remaining, buses — is derived from the ledger's entries (positive amounts; the kind gives the
 * sign), and every new entry is checked against those figures before it is written. The service
 * (service.server.ts) runs the same checks inside the transaction, after locking the wave.
 */

/** What an entry moves: an amount in cents (≥ 0), buses (≥ 0) and, for a payment, its tranche. */
export interface LedgerMovement {
  kind: LedgerEntryKind;
  amountCents: number;
  buses: number;
  tranche: PaymentTranche | null;
}

/** Sums by kind of a set of entries (one wave, one dossier, one région, or everything). */
export interface LedgerTotals {
  commitmentsCents: number;
  releasesCents: number;
  advancePaidCents: number;
  balancePaidCents: number;
  carriedInCents: number;
  carriedOutCents: number;
  busesCommitted: number;
  busesReleased: number;
  busesCarriedIn: number;
  busesCarriedOut: number;
}

export const EMPTY_TOTALS: Readonly<LedgerTotals> = Object.freeze({
  commitmentsCents: 0,
  releasesCents: 0,
  advancePaidCents: 0,
  balancePaidCents: 0,
  carriedInCents: 0,
  carriedOutCents: 0,
  busesCommitted: 0,
  busesReleased: 0,
  busesCarriedIn: 0,
  busesCarriedOut: 0,
});

/**
 * Adds one movement to running totals, in place (the caller owns `totals`). A movement may also
 * be a SQL sum of many entries of one kind and tranche: sums add up the same way.
 */
export function accumulate(totals: LedgerTotals, movement: LedgerMovement): LedgerTotals {
  switch (movement.kind) {
    case "commitment":
      totals.commitmentsCents += movement.amountCents;
      totals.busesCommitted += movement.buses;
      break;
    case "release":
      totals.releasesCents += movement.amountCents;
      totals.busesReleased += movement.buses;
      break;
    case "payment":
      if (movement.tranche === "advance") totals.advancePaidCents += movement.amountCents;
      else totals.balancePaidCents += movement.amountCents;
      break;
    case "carry_over_in":
      totals.carriedInCents += movement.amountCents;
      totals.busesCarriedIn += movement.buses;
      break;
    case "carry_over_out":
      totals.carriedOutCents += movement.amountCents;
      totals.busesCarriedOut += movement.buses;
      break;
  }
  return totals;
}

export function totalsOf(movements: Iterable<LedgerMovement>): LedgerTotals {
  const totals = { ...EMPTY_TOTALS };
  for (const movement of movements) accumulate(totals, movement);
  return totals;
}

/** What a wave (or the programme) holds: its budget and its bus target. */
export interface Envelope {
  budgetCents: number;
  busTarget: number;
}

export interface Balance {
  budgetCents: number;
  carriedInCents: number;
  carriedOutCents: number;
  /** Budget + carried in − carried out: what may be committed in all. */
  availableCents: number;
  /** Commitments − releases. */
  committedCents: number;
  paidCents: number;
  /** Available − committed. Never negative when every entry went through the checks. */
  remainingCents: number;
  busTarget: number;
  busesCarriedIn: number;
  busesCarriedOut: number;
  busesAvailable: number;
  busesCommitted: number;
  busesRemaining: number;
}

export function balanceOf(envelope: Envelope, totals: LedgerTotals): Balance {
  const availableCents = envelope.budgetCents + totals.carriedInCents - totals.carriedOutCents;
  const committedCents = totals.commitmentsCents - totals.releasesCents;
  const busesAvailable = envelope.busTarget + totals.busesCarriedIn - totals.busesCarriedOut;
  const busesCommitted = totals.busesCommitted - totals.busesReleased;
  return {
    budgetCents: envelope.budgetCents,
    carriedInCents: totals.carriedInCents,
    carriedOutCents: totals.carriedOutCents,
    availableCents,
    committedCents,
    paidCents: totals.advancePaidCents + totals.balancePaidCents,
    remainingCents: availableCents - committedCents,
    busTarget: envelope.busTarget,
    busesCarriedIn: totals.busesCarriedIn,
    busesCarriedOut: totals.busesCarriedOut,
    busesAvailable,
    busesCommitted,
    busesRemaining: busesAvailable - busesCommitted,
  };
}

/** Where one dossier stands: what is committed to it, and what of that has been paid. */
export interface DossierPosition {
  committedCents: number;
  buses: number;
  advancePaidCents: number;
  balancePaidCents: number;
  paidCents: number;
  /** Committed − paid: what may still be paid or released. */
  unpaidCents: number;
}

export function dossierPosition(totals: LedgerTotals): DossierPosition {
  const committedCents = totals.commitmentsCents - totals.releasesCents;
  const paidCents = totals.advancePaidCents + totals.balancePaidCents;
  return {
    committedCents,
    buses: totals.busesCommitted - totals.busesReleased,
    advancePaidCents: totals.advancePaidCents,
    balancePaidCents: totals.balancePaidCents,
    paidCents,
    unpaidCents: committedCents - paidCents,
  };
}

/**
 * The largest advance the call allows on a commitment: its share (`advanceSharePercent`),
 * rounded down to the cent so that the advance never exceeds the share.
 */
export function maxAdvanceCents(committedCents: number, advanceSharePercent: number) {
  return Math.floor((committedCents * advanceSharePercent) / 100);
}

export interface LedgerRefusal {
  code: string;
  /** 400: the figure itself is not an amount; 409: the ledger does not allow it now. */
  status: 400 | 409;
  message: string;
}

const refusal = (code: string, status: 400 | 409, message: string): LedgerRefusal => ({ code, status, message });

function amountProblem(amountCents: number, buses: number, options: { positiveAmount: boolean }): LedgerRefusal | null {
  if (!Number.isSafeInteger(amountCents) || amountCents < 0 || (options.positiveAmount && amountCents === 0)) {
    return refusal("invalid_amount", 400, "Le montant doit être un nombre positif de centimes d'euro.");
  }
  if (!Number.isSafeInteger(buses) || buses < 0) return refusal("invalid_buses", 400, "Le nombre de médicobus doit être un entier positif ou nul.");
  if (amountCents === 0 && buses === 0) return refusal("empty_entry", 400, "L'écriture ne porte ni sur un montant ni sur des médicobus.");
  return null;
}

const buses = (count: number) => `${formatInteger(count)} médicobus`;

/** A commitment fits in what the wave has left, in euros and in buses. */
export function checkCommitment(wave: Balance, amountCents: number, busCount: number): LedgerRefusal | null {
  const problem = amountProblem(amountCents, busCount, { positiveAmount: true });
  if (problem) return problem;
  if (amountCents > wave.remainingCents) {
    return refusal("budget_exceeded", 409, `Engagement refusé : ${formatEuros(amountCents)} dépasse le reste à engager de la vague (${formatEuros(Math.max(0, wave.remainingCents))}).`);
  }
  if (busCount > wave.busesRemaining) {
    return refusal("bus_target_exceeded", 409, `Engagement refusé : ${buses(busCount)} dépasse ce que l'objectif de la vague permet encore (${buses(Math.max(0, wave.busesRemaining))}).`);
  }
  return null;
}

/** A release gives back at most what is committed to the dossier and not yet paid. */
export function checkRelease(dossier: DossierPosition, amountCents: number, busCount: number): LedgerRefusal | null {
  const problem = amountProblem(amountCents, busCount, { positiveAmount: false });
  if (problem) return problem;
  if (amountCents > dossier.unpaidCents) {
    return refusal(
      "release_exceeds_commitment",
      409,
      dossier.paidCents > 0
        ? `Désengagement refusé : ${formatEuros(amountCents)} dépasse l'engagement non versé du dossier (${formatEuros(Math.max(0, dossier.unpaidCents))} ; ${formatEuros(dossier.paidCents)} déjà versés).`
        : `Désengagement refusé : ${formatEuros(amountCents)} dépasse l'engagement du dossier (${formatEuros(Math.max(0, dossier.committedCents))}).`,
    );
  }
  if (busCount > dossier.buses) {
    return refusal("release_exceeds_buses", 409, `Désengagement refusé : le dossier n'a que ${buses(dossier.buses)} engagés.`);
  }
  return null;
}

/**
 * A payment never exceeds what is committed and not yet paid; the advance comes first and stays
 * within the call's share of the commitment; once the balance has started, no more advance.
 */
export function checkPayment(dossier: DossierPosition, tranche: PaymentTranche, amountCents: number, advanceSharePercent: number): LedgerRefusal | null {
  const problem = amountProblem(amountCents, 0, { positiveAmount: true });
  if (problem) return problem;
  if (dossier.committedCents <= 0) return refusal("nothing_committed", 409, "Versement refusé : aucun montant n'est engagé pour ce dossier.");
  if (amountCents > dossier.unpaidCents) {
    return refusal("payment_exceeds_commitment", 409, `Versement refusé : ${formatEuros(amountCents)} dépasse le reste à verser sur l'engagement (${formatEuros(Math.max(0, dossier.unpaidCents))}).`);
  }
  if (tranche === "advance") {
    if (dossier.balancePaidCents > 0) return refusal("advance_after_balance", 409, "Versement refusé : le solde a commencé à être versé, l'avance n'est plus possible.");
    const ceiling = maxAdvanceCents(dossier.committedCents, advanceSharePercent);
    if (dossier.advancePaidCents + amountCents > ceiling) {
      return refusal(
        "advance_exceeds_share",
        409,
        `Versement refusé : l'avance est limitée à ${formatInteger(advanceSharePercent)} % de l'engagement, soit ${formatEuros(ceiling)} (${formatEuros(dossier.advancePaidCents)} déjà versés en avance).`,
      );
    }
  }
  return null;
}

/** A carry-over moves at most what the source wave has left, in euros and in buses. */
export function checkCarryOver(from: Balance, amountCents: number, busCount: number): LedgerRefusal | null {
  const problem = amountProblem(amountCents, busCount, { positiveAmount: false });
  if (problem) return problem;
  if (amountCents > from.remainingCents) {
    return refusal("carry_over_exceeds_remaining", 409, `Report refusé : ${formatEuros(amountCents)} dépasse le reste à engager de la vague (${formatEuros(Math.max(0, from.remainingCents))}).`);
  }
  if (busCount > from.busesRemaining) {
    return refusal("carry_over_exceeds_buses", 409, `Report refusé : ${buses(busCount)} dépasse ce que l'objectif de la vague laisse (${buses(Math.max(0, from.busesRemaining))}).`);
  }
  return null;
}

/** An entry as the ledger stores it, for summaries over many waves and régions. */
export interface StoredMovement extends LedgerMovement {
  waveId: string;
  regionCode: string | null;
}

export interface RegionFigures {
  committedCents: number;
  paidCents: number;
  busesCommitted: number;
}

export interface LedgerSummary {
  waves: Map<string, Balance>;
  regions: Map<string, RegionFigures>;
  total: Balance;
}

/**
 * Committed / paid / remaining per wave, per région and in total. In the total, carry-overs
 * cancel out (what one wave gives, another receives): total available = Σ wave budgets.
 */
export function summarize(waves: ReadonlyArray<Envelope & { id: string }>, movements: Iterable<StoredMovement>): LedgerSummary {
  const waveTotals = new Map<string, LedgerTotals>(waves.map((wave) => [wave.id, { ...EMPTY_TOTALS }]));
  const regionTotals = new Map<string, LedgerTotals>();
  const all = { ...EMPTY_TOTALS };
  for (const movement of movements) {
    const totals = waveTotals.get(movement.waveId);
    if (!totals) throw new RangeError(`Ledger entry of an unknown wave ${movement.waveId}`);
    accumulate(totals, movement);
    accumulate(all, movement);
    if (movement.regionCode !== null) {
      let region = regionTotals.get(movement.regionCode);
      if (!region) regionTotals.set(movement.regionCode, (region = { ...EMPTY_TOTALS }));
      accumulate(region, movement);
    }
  }
  const programme = waves.reduce<Envelope>((sum, wave) => ({ budgetCents: sum.budgetCents + wave.budgetCents, busTarget: sum.busTarget + wave.busTarget }), { budgetCents: 0, busTarget: 0 });
  return {
    waves: new Map(waves.map((wave) => [wave.id, balanceOf(wave, waveTotals.get(wave.id)!)])),
    regions: new Map(
      [...regionTotals].map(([code, totals]) => {
        const position = dossierPosition(totals);
        return [code, { committedCents: position.committedCents, paidCents: position.paidCents, busesCommitted: position.buses }];
      }),
    ),
    total: balanceOf(programme, all),
  };
}
