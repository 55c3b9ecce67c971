import { and, asc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { db, transaction, type Executor, type Transaction } from "~db/client.server";
import { applications, calls, ledgerEntries, organisations, users, waves, type LedgerEntryKind, type PaymentTranche } from "~db/schema";
import { recordAudit } from "~/modules/audit/service.server";
import { hasRole, type SessionUser } from "~/modules/auth/roles";
import { readCallRules } from "~/modules/calls/schema";
import { regionName } from "~/modules/geo/regions";
import { DomainError } from "~/utils/errors";
import { formatEuros } from "~/utils/format";
import { awardProblem } from "./award";
import {
  accumulate,
  balanceOf,
  checkCarryOver,
  checkCommitment,
  checkPayment,
  checkRelease,
  dossierPosition,
  EMPTY_TOTALS,
  maxAdvanceCents,
  summarize,
  type Balance,
  type DossierPosition,
  type LedgerRefusal,
  type LedgerTotals,
} from "./ledger";

/*
 * The budget ledger's verbs. Why no interleaving of requests can overspend a wave:
 *
 * Every entry is appended by `appendEntry`-style code below, which first locks the wave's row
 * (SELECT … FOR UPDATE), then reads the wave's sums, checks the new entry against them and
 * inserts it, all in one transaction. Two writers of the same wave are therefore serialised: the
 * second waits on the row lock until the first commits (or rolls back). Under READ COMMITTED —
 * PostgreSQL's default, and what our transactions use — each statement reads a snapshot taken
 * when *it* starts, so the SUM the second writer runs after obtaining the lock sees every entry
 * the first one committed. Nothing is read before the lock that the check depends on. (Under
 * REPEATABLE READ this would not hold — the snapshot would date from the transaction's first
 * statement — so the lock query also reads the isolation level and fails loudly if it changes.)
 * The ledger table itself refuses UPDATE and DELETE (migration 0007), so sums only grow by
 * entries written under the lock.
 *
 * Lock order, the same in every verb so that two transactions never wait on each other in a
 * circle: dossier rows first (by id), then wave rows (by id), then the audit chain's lock (taken
 * by recordAudit, last). A dossier's entries all live in one wave (the wave of its first
 * commitment), so locking that wave also serialises the checks of its payments and releases.
 */

const MANAGER_ONLY = "Réservé à l'équipe programme.";

export function assertProgramManager(actor: SessionUser) {
  if (!hasRole(actor, "program_manager")) throw new DomainError("forbidden", 403, MANAGER_ONLY);
}

function refuse(refusal: LedgerRefusal, field = "amount"): never {
  throw new DomainError(refusal.code, refusal.status, refusal.message, refusal.status === 400 ? { [field]: [refusal.message] } : {});
}

const waveNotFound = () => new DomainError("wave_not_found", 404, "Vague introuvable.");
const dossierNotFound = () => new DomainError("dossier_not_found", 404, "Dossier introuvable.");

export type LockedWave = { id: string; callId: string; number: number; title: string; budgetCents: number; busTarget: number };

/** Locks waves in id order (see the lock order above) and returns them by id. */
export async function lockWaves(tx: Transaction, waveIds: readonly string[]): Promise<Map<string, LockedWave>> {
  const locked = new Map<string, LockedWave>();
  for (const id of [...new Set(waveIds)].sort()) {
    const [row] = await tx
      .select({ id: waves.id, callId: waves.callId, number: waves.number, title: waves.title, budgetCents: waves.budgetCents, busTarget: waves.busTarget, isolation: sql<string>`current_setting('transaction_isolation')` })
      .from(waves)
      .where(eq(waves.id, id))
      .for("update");
    if (!row) throw waveNotFound();
    if (row.isolation !== "read committed") throw new Error(`The ledger's wave lock relies on READ COMMITTED, the transaction runs in ${row.isolation}`);
    const { isolation: _isolation, ...wave } = row;
    locked.set(id, wave);
  }
  return locked;
}

const sumCents = sql<string>`coalesce(sum(${ledgerEntries.amountCents}), 0)`.mapWith(Number);
const sumBuses = sql<string>`coalesce(sum(${ledgerEntries.buses}), 0)`.mapWith(Number);

/** The sums by kind of the entries matching `where`, as ledger totals. */
async function totalsWhere(executor: Executor, where: SQL): Promise<LedgerTotals> {
  const rows = await executor
    .select({ kind: ledgerEntries.kind, tranche: ledgerEntries.tranche, amountCents: sumCents, buses: sumBuses })
    .from(ledgerEntries)
    .where(where)
    .groupBy(ledgerEntries.kind, ledgerEntries.tranche);
  const totals = { ...EMPTY_TOTALS };
  for (const row of rows) accumulate(totals, row);
  return totals;
}

export const waveBalance = async (executor: Executor, wave: LockedWave) => balanceOf(wave, await totalsWhere(executor, eq(ledgerEntries.waveId, wave.id)));

export type LockedDossier = typeof applications.$inferSelect;

async function lockDossier(tx: Transaction, reference: string): Promise<LockedDossier> {
  const [dossier] = await tx.select().from(applications).where(eq(applications.reference, reference)).for("update");
  if (!dossier) throw dossierNotFound();
  return dossier;
}

/** The wave a dossier's money lives in: the wave of its first entry, else the one given, else its own. */
async function dossierWaveId(tx: Transaction, dossier: LockedDossier, requested?: string) {
  const [first] = await tx.select({ waveId: ledgerEntries.waveId }).from(ledgerEntries).where(eq(ledgerEntries.applicationId, dossier.id)).orderBy(asc(ledgerEntries.id)).limit(1);
  if (first && requested && requested !== first.waveId) {
    throw new DomainError("dossier_in_other_wave", 409, "Ce dossier a déjà des engagements sur une autre vague : ses écritures restent sur cette vague.");
  }
  return first?.waveId ?? requested ?? dossier.waveId;
}

async function callRules(tx: Executor, callId: string) {
  const [call] = await tx.select({ rules: calls.rules }).from(calls).where(eq(calls.id, callId));
  return readCallRules(call?.rules);
}

interface NewEntry {
  waveId: string;
  applicationId: string | null;
  regionCode: string | null;
  kind: LedgerEntryKind;
  amountCents: number;
  buses: number;
  tranche?: PaymentTranche | null;
  counterpartWaveId?: string | null;
  motivation?: string | null;
}

/** Inserts an entry and its audit row, in the caller's transaction (after the checks, under the wave lock). */
async function appendEntry(tx: Transaction, actor: SessionUser, entry: NewEntry, context: Record<string, unknown> = {}) {
  const motivation = entry.motivation?.trim() || null;
  const [row] = await tx
    .insert(ledgerEntries)
    .values({ ...entry, tranche: entry.tranche ?? null, counterpartWaveId: entry.counterpartWaveId ?? null, motivation, actorId: actor.id })
    .returning({ id: ledgerEntries.id, createdAt: ledgerEntries.createdAt });
  await recordAudit(tx, {
    actorId: actor.id,
    action: `ledger.${entry.kind}`,
    entityType: "ledger_entry",
    entityId: String(row.id),
    data: { waveId: entry.waveId, applicationId: entry.applicationId, amountCents: entry.amountCents, buses: entry.buses, ...(entry.tranche ? { tranche: entry.tranche } : {}), ...(entry.counterpartWaveId ? { counterpartWaveId: entry.counterpartWaveId } : {}), ...(motivation ? { motivation } : {}), ...context },
  });
  return row;
}

export interface CommitmentInput {
  amountCents: number;
  /** Buses the commitment funds: one médicobus per dossier unless said otherwise. */
  buses?: number;
  /** The wave to draw on; by default the dossier's own wave (a carried-over dossier may be funded by the next one). */
  waveId?: string;
  motivation?: string | null;
}

/**
 * Commits money to a dossier inside the caller's transaction, the dossier row already locked:
 * the award rules (≤ requested, within the co-financing band, counting what is already
 * committed), then the wave's budget and bus target under the wave lock. Used by `commitAward`
 * and by the decision, which selects and commits in one transaction.
 */
export async function commitInTransaction(tx: Transaction, actor: SessionUser, dossier: LockedDossier, input: CommitmentInput) {
  const waveId = await dossierWaveId(tx, dossier, input.waveId);
  const wave = (await lockWaves(tx, [waveId])).get(waveId)!;
  if (wave.callId !== dossier.callId) throw new DomainError("wave_of_other_call", 409, "Cette vague n'appartient pas à l'appel à projets du dossier.");
  const rules = await callRules(tx, dossier.callId);
  const buses = input.buses ?? 1;
  const before = dossierPosition(await totalsWhere(tx, eq(ledgerEntries.applicationId, dossier.id)));
  const balance = await waveBalance(tx, wave);
  const refused = checkCommitment(balance, input.amountCents, buses);
  if (refused) refuse(refused);
  const problem = awardProblem(dossier, before.committedCents + input.amountCents, rules.stateSharePercent);
  if (problem) throw new DomainError("award_rules", 409, before.committedCents > 0 ? `${problem} Déjà engagé sur ce dossier : ${formatEuros(before.committedCents)}.` : problem);
  const entry = await appendEntry(tx, actor, { waveId, applicationId: dossier.id, regionCode: dossier.regionCode, kind: "commitment", amountCents: input.amountCents, buses, motivation: input.motivation }, { reference: dossier.reference });
  return { entryId: entry.id, waveId, balance: { ...balance, committedCents: balance.committedCents + input.amountCents, remainingCents: balance.remainingCents - input.amountCents, busesCommitted: balance.busesCommitted + buses, busesRemaining: balance.busesRemaining - buses } satisfies Balance };
}

/**
 * Commits (part of) the award of a selected dossier. Refused with a 409 and the reason when the
 * wave's remaining budget or bus target would be exceeded, or the award rules broken.
 */
export async function commitAward(actor: SessionUser, reference: string, input: CommitmentInput) {
  assertProgramManager(actor);
  return transaction(async (tx) => {
    const dossier = await lockDossier(tx, reference);
    if (dossier.status !== "selected") throw new DomainError("not_selected", 409, "Seul un dossier retenu peut recevoir un engagement.");
    return commitInTransaction(tx, actor, dossier, input);
  });
}

/**
 * Releases what is committed to a dossier and not yet paid, in the caller's transaction, the
 * dossier row already locked. Without an amount: everything unpaid and every bus (a withdrawal,
 * a reopened decision). Returns null when there was nothing to release.
 */
export async function releaseInTransaction(tx: Transaction, actor: SessionUser, dossier: LockedDossier, input: { amountCents?: number; buses?: number; motivation: string }) {
  const [first] = await tx.select({ waveId: ledgerEntries.waveId }).from(ledgerEntries).where(eq(ledgerEntries.applicationId, dossier.id)).orderBy(asc(ledgerEntries.id)).limit(1);
  if (!first) {
    if (input.amountCents === undefined) return null;
    throw new DomainError("nothing_committed", 409, "Désengagement refusé : aucun montant n'est engagé pour ce dossier.");
  }
  await lockWaves(tx, [first.waveId]);
  const position = dossierPosition(await totalsWhere(tx, eq(ledgerEntries.applicationId, dossier.id)));
  const amountCents = input.amountCents ?? position.unpaidCents;
  const buses = input.buses ?? (input.amountCents === undefined ? position.buses : 0);
  if (input.amountCents === undefined && amountCents === 0 && buses === 0) return null;
  const refused = checkRelease(position, amountCents, buses);
  if (refused) refuse(refused);
  const entry = await appendEntry(tx, actor, { waveId: first.waveId, applicationId: dossier.id, regionCode: dossier.regionCode, kind: "release", amountCents, buses, motivation: input.motivation }, { reference: dossier.reference });
  return { entryId: entry.id, waveId: first.waveId, amountCents, buses };
}

function requireMotivation(motivation: string | null | undefined, message: string): string {
  const trimmed = motivation?.trim() ?? "";
  if (!trimmed) throw new DomainError("motivation_required", 400, message, { motivation: [message] });
  return trimmed;
}

/** A manager's release of (part of) a commitment, with a motivation. */
export async function releaseCommitment(actor: SessionUser, reference: string, input: { amountCents?: number; buses?: number; motivation: string }) {
  assertProgramManager(actor);
  const motivation = requireMotivation(input.motivation, "Indiquez le motif du désengagement.");
  return transaction(async (tx) => {
    const dossier = await lockDossier(tx, reference);
    const released = await releaseInTransaction(tx, actor, dossier, { ...input, motivation });
    if (!released) throw new DomainError("nothing_committed", 409, "Désengagement refusé : il ne reste rien d'engagé et non versé sur ce dossier.");
    return released;
  });
}

/** Records a payment tranche: at most what is committed and unpaid; the advance within the call's share. */
export async function recordPayment(actor: SessionUser, reference: string, input: { tranche: PaymentTranche; amountCents: number; motivation?: string | null }) {
  assertProgramManager(actor);
  return transaction(async (tx) => {
    const dossier = await lockDossier(tx, reference);
    const [first] = await tx.select({ waveId: ledgerEntries.waveId }).from(ledgerEntries).where(eq(ledgerEntries.applicationId, dossier.id)).orderBy(asc(ledgerEntries.id)).limit(1);
    if (!first) throw new DomainError("nothing_committed", 409, "Versement refusé : aucun montant n'est engagé pour ce dossier.");
    const wave = (await lockWaves(tx, [first.waveId])).get(first.waveId)!;
    const rules = await callRules(tx, wave.callId);
    const position = dossierPosition(await totalsWhere(tx, eq(ledgerEntries.applicationId, dossier.id)));
    const refused = checkPayment(position, input.tranche, input.amountCents, rules.advanceSharePercent);
    if (refused) refuse(refused);
    const entry = await appendEntry(tx, actor, { waveId: first.waveId, applicationId: dossier.id, regionCode: dossier.regionCode, kind: "payment", amountCents: input.amountCents, buses: 0, tranche: input.tranche, motivation: input.motivation }, { reference: dossier.reference });
    return { entryId: entry.id, position: { ...position, paidCents: position.paidCents + input.amountCents, unpaidCents: position.unpaidCents - input.amountCents } };
  });
}

export interface CarryOverInput {
  fromWaveId: string;
  toWaveId: string;
  amountCents?: number;
  buses?: number;
  motivation?: string | null;
}

/**
 * Carries what a wave has left (by default all of its remaining budget and buses) into a later
 * wave of the same call, in the caller's transaction: two entries, out of one and into the
 * other, under both waves' locks. With no amount given and nothing left, returns null.
 */
export async function carryOverInTransaction(tx: Transaction, actor: SessionUser, input: CarryOverInput) {
  if (input.fromWaveId === input.toWaveId) throw new DomainError("same_wave", 400, "Choisissez une autre vague que la vague d'origine.", { toWaveId: ["Choisissez une autre vague que la vague d'origine."] });
  const locked = await lockWaves(tx, [input.fromWaveId, input.toWaveId]);
  const from = locked.get(input.fromWaveId)!;
  const to = locked.get(input.toWaveId)!;
  if (from.callId !== to.callId || to.number <= from.number) {
    throw new DomainError("carry_over_direction", 409, "Le report se fait vers une vague suivante du même appel à projets.");
  }
  const balance = await waveBalance(tx, from);
  const amountCents = input.amountCents ?? Math.max(0, balance.remainingCents);
  const buses = input.buses ?? Math.max(0, balance.busesRemaining);
  if (input.amountCents === undefined && input.buses === undefined && amountCents === 0 && buses === 0) return null;
  const refused = checkCarryOver(balance, amountCents, buses);
  if (refused) refuse(refused);
  const motivation = input.motivation?.trim() || `Report du reliquat de la ${from.title.toLowerCase()} vers la ${to.title.toLowerCase()}`;
  const common = { applicationId: null, regionCode: null, amountCents, buses, motivation };
  const out = await appendEntry(tx, actor, { ...common, waveId: from.id, kind: "carry_over_out", counterpartWaveId: to.id });
  const into = await appendEntry(tx, actor, { ...common, waveId: to.id, kind: "carry_over_in", counterpartWaveId: from.id });
  return { from, to, amountCents, buses, entryIds: [out.id, into.id] };
}

/** A manager's carry-over of a wave's remainder (all of it by default) into a later wave. */
export async function carryOver(actor: SessionUser, input: CarryOverInput) {
  assertProgramManager(actor);
  return transaction(async (tx) => {
    const carried = await carryOverInTransaction(tx, actor, input);
    if (!carried) {
      const [from] = await tx.select({ title: waves.title }).from(waves).where(eq(waves.id, input.fromWaveId));
      throw new DomainError("nothing_to_carry", 409, `Rien à reporter : la ${from.title.toLowerCase()} n'a plus de budget ni de médicobus à engager.`);
    }
    return { amountCents: carried.amountCents, buses: carried.buses, entryIds: carried.entryIds };
  });
}

export interface RegionBalance {
  regionCode: string;
  regionName: string;
  committedCents: number;
  paidCents: number;
  busesCommitted: number;
}

/** Where one dossier stands, read in the caller's transaction (the dossier row locked by the caller). */
export async function dossierPositionIn(executor: Executor, applicationId: string) {
  return dossierPosition(await totalsWhere(executor, eq(ledgerEntries.applicationId, applicationId)));
}

/** Where one dossier stands in the ledger (committed, paid, advance, unpaid, buses). */
export async function dossierLedgerPosition(actor: SessionUser, reference: string): Promise<DossierPosition> {
  assertProgramManager(actor);
  const [dossier] = await db.select({ id: applications.id }).from(applications).where(eq(applications.reference, reference));
  if (!dossier) throw dossierNotFound();
  return dossierPositionIn(db, dossier.id);
}

/**
 * The payments page of a dossier: who it is, where it stands in the ledger, how much advance
 * the call still allows, and every payment recorded (newest first).
 */
export async function dossierPayments(actor: SessionUser, reference: string) {
  assertProgramManager(actor);
  const [dossier] = await db
    .select({ id: applications.id, reference: applications.reference, title: applications.title, callId: applications.callId, status: applications.status, organisationName: organisations.name })
    .from(applications)
    .innerJoin(organisations, eq(organisations.id, applications.organisationId))
    .where(eq(applications.reference, reference));
  if (!dossier) throw dossierNotFound();
  const [position, rules, payments] = await Promise.all([
    dossierPositionIn(db, dossier.id),
    callRules(db, dossier.callId),
    db
      .select({ id: ledgerEntries.id, at: ledgerEntries.createdAt, tranche: ledgerEntries.tranche, amountCents: ledgerEntries.amountCents, motivation: ledgerEntries.motivation, actorName: users.name })
      .from(ledgerEntries)
      .innerJoin(users, eq(users.id, ledgerEntries.actorId))
      .where(and(eq(ledgerEntries.applicationId, dossier.id), eq(ledgerEntries.kind, "payment")))
      .orderBy(sql`${ledgerEntries.id} desc`),
  ]);
  const advanceCeilingCents = maxAdvanceCents(position.committedCents, rules.advanceSharePercent);
  return {
    dossier: { reference: dossier.reference, title: dossier.title, status: dossier.status, organisationName: dossier.organisationName },
    position,
    advanceSharePercent: rules.advanceSharePercent,
    /** What may still be paid as an advance: nothing once the balance has started. */
    advanceLeftCents: position.balancePaidCents > 0 ? 0 : Math.max(0, Math.min(advanceCeilingCents - position.advancePaidCents, position.unpaidCents)),
    payments,
  };
}

/** Per-région figures of the entries matching `where`, sorted by région name. */
async function regionBalances(where: SQL): Promise<RegionBalance[]> {
  const rows = await db
    .select({ regionCode: ledgerEntries.regionCode, kind: ledgerEntries.kind, tranche: ledgerEntries.tranche, amountCents: sumCents, buses: sumBuses })
    .from(ledgerEntries)
    .where(and(where, sql`${ledgerEntries.regionCode} is not null`))
    .groupBy(ledgerEntries.regionCode, ledgerEntries.kind, ledgerEntries.tranche);
  const byRegion = new Map<string, LedgerTotals>();
  for (const row of rows) {
    const code = row.regionCode!;
    if (!byRegion.has(code)) byRegion.set(code, { ...EMPTY_TOTALS });
    accumulate(byRegion.get(code)!, row);
  }
  return [...byRegion]
    .map(([regionCode, totals]) => {
      const position = dossierPosition(totals);
      return { regionCode, regionName: regionName(regionCode), committedCents: position.committedCents, paidCents: position.paidCents, busesCommitted: position.buses };
    })
    .sort((a, b) => a.regionName.localeCompare(b.regionName, "fr"));
}

/** One wave's balance (committed / paid / remaining, buses) and its figures per région. */
export async function waveBalances(actor: SessionUser, waveId: string) {
  assertProgramManager(actor);
  const [wave] = await db.select().from(waves).where(eq(waves.id, waveId));
  if (!wave) throw waveNotFound();
  return { wave: { id: wave.id, number: wave.number, title: wave.title }, balance: await waveBalance(db, wave), regions: await regionBalances(eq(ledgerEntries.waveId, wave.id)) };
}

/**
 * The programme's money: every wave of the call, the figures per région and the total, plus
 * whether the waves' budgets add up to the call's envelope.
 */
export async function programmeBalances(actor: SessionUser, callId: string) {
  assertProgramManager(actor);
  const [call] = await db.select({ id: calls.id, envelopeCents: calls.envelopeCents, busTarget: calls.busTarget }).from(calls).where(eq(calls.id, callId));
  if (!call) throw new DomainError("call_not_found", 404, "Appel à projets introuvable.");
  const callWaves = await db.select({ id: waves.id, number: waves.number, title: waves.title, budgetCents: waves.budgetCents, busTarget: waves.busTarget }).from(waves).where(eq(waves.callId, callId)).orderBy(asc(waves.number));
  const waveIds = callWaves.map((wave) => wave.id);
  const rows =
    waveIds.length === 0
      ? []
      : await db
          .select({ waveId: ledgerEntries.waveId, regionCode: ledgerEntries.regionCode, kind: ledgerEntries.kind, tranche: ledgerEntries.tranche, amountCents: sumCents, buses: sumBuses })
          .from(ledgerEntries)
          .where(inArray(ledgerEntries.waveId, waveIds))
          .groupBy(ledgerEntries.waveId, ledgerEntries.regionCode, ledgerEntries.kind, ledgerEntries.tranche);
  const summary = summarize(callWaves, rows);
  return {
    envelopeCents: call.envelopeCents,
    busTarget: call.busTarget,
    /** The waves' budgets add up to the call's envelope (the configuration page warns otherwise). */
    envelopeMatches: summary.total.budgetCents === call.envelopeCents,
    waves: callWaves.map((wave) => ({ id: wave.id, number: wave.number, title: wave.title, balance: summary.waves.get(wave.id)! })),
    regions: [...summary.regions]
      .map(([regionCode, figures]) => ({ regionCode, regionName: regionName(regionCode), ...figures }))
      .sort((a, b) => a.regionName.localeCompare(b.regionName, "fr")),
    total: summary.total,
  };
}
