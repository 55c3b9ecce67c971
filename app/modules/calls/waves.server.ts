import { and, asc, desc, eq } from "drizzle-orm";
import { db, transaction } from "~db/client.server";
import { calls, waves } from "~db/schema";
import { recordAudit } from "~/modules/audit/service.server";
import type { SessionUser } from "~/modules/auth/roles";
import { fieldErrorsOf } from "~/modules/budget/schema";
import { assertProgramManager, lockWaves, waveBalance } from "~/modules/budget/service.server";
import { DomainError } from "~/utils/errors";
import { formatEuros } from "~/utils/format";
import { waveClosing, waveOpening, waveState } from "./rules";
import { readCallRules } from "./schema";
import { formatDateTime } from "./time";
import { CoFinancingSchema, WaveConfigurationSchema, type CoFinancing, type WaveConfiguration } from "./waves";

/*
 * The programme team's configuration of the call: each wave's dates, budget, bus target and
 * indicative quotas, and the call's co-financing rules. Every check that involves the ledger or
 * the other waves runs under the locks of all the call's waves (the ledger's lock, taken in the
 * same order as its verbs): a commitment cannot slip in between the check « the budget stays
 * above what is committed » and the update, and two managers editing two waves cannot both pass
 * the envelope check.
 */

const callNotFound = () => new DomainError("call_not_found", 404, "Aucun appel à projets n'est configuré.");
const waveNotFound = () => new DomainError("wave_not_found", 404, "Vague introuvable.");

/**
 * The call the programme area works on: the most recently created one. A portal runs one call
 * at a time; a new call (another programme, a later year) takes over the programme pages.
 */
export async function programmeCall() {
  const [call] = await db.select().from(calls).orderBy(desc(calls.createdAt), desc(calls.id)).limit(1);
  if (!call) throw callNotFound();
  return { ...call, rules: readCallRules(call.rules) };
}

/** The call's waves in order, with their state and closing instant. */
export async function callWaves(callId: string, now = new Date()) {
  const rows = await db.select().from(waves).where(eq(waves.callId, callId)).orderBy(asc(waves.number));
  return rows.map((wave) => ({ ...wave, state: waveState(wave, now), closesAt: waveClosing(wave).toISOString() }));
}

/** A wave of the programme's call by its number (the URL's `:numero`); 404 for anything else. */
export async function programmeWave(actor: SessionUser, rawNumber: string | undefined) {
  assertProgramManager(actor);
  const number = /^\d{1,3}$/.test(rawNumber ?? "") ? Number(rawNumber) : null;
  if (number === null) throw waveNotFound();
  const call = await programmeCall();
  const [wave] = await db.select().from(waves).where(and(eq(waves.callId, call.id), eq(waves.number, number)));
  if (!wave) throw waveNotFound();
  const all = await callWaves(call.id);
  return { call, wave: all.find((candidate) => candidate.id === wave.id)!, next: all.find((candidate) => candidate.number > wave.number) ?? null, previous: all.findLast((candidate) => candidate.number < wave.number) ?? null };
}

/** What the envelope says of the waves' budgets: over (an error), under (a warning) or equal. */
export function envelopeGap(envelopeCents: number, budgetsCents: number) {
  if (budgetsCents > envelopeCents) return { kind: "over" as const, cents: budgetsCents - envelopeCents, message: `Les budgets des vagues (${formatEuros(budgetsCents)}) dépassent l'enveloppe de l'appel (${formatEuros(envelopeCents)}) de ${formatEuros(budgetsCents - envelopeCents)}.` };
  if (budgetsCents < envelopeCents) return { kind: "under" as const, cents: envelopeCents - budgetsCents, message: `Les budgets des vagues (${formatEuros(budgetsCents)}) laissent ${formatEuros(envelopeCents - budgetsCents)} de l'enveloppe de l'appel (${formatEuros(envelopeCents)}) sans affectation.` };
  return null;
}

const paris = (wave: { opensOn: string; closesOn: string; closingTime: string; timeZone: string }) => ({ opening: waveOpening(wave), closing: waveClosing(wave) });

/**
 * Changes a wave's configuration, all or nothing, refused (400, by field) when: the waves'
 * budgets would exceed the call's envelope (by how much is said); the budget or the bus target
 * would fall under what the ledger already holds committed on the wave; the wave would not
 * close after it opens, or would overlap the previous or the next wave. Returns the envelope's
 * warning when the budgets stay under it. The change and its audit row commit together.
 */
export async function configureWave(actor: SessionUser, waveId: string, rawInput: unknown) {
  assertProgramManager(actor);
  const parsed = WaveConfigurationSchema.safeParse(rawInput);
  if (!parsed.success) {
    throw new DomainError("invalid_wave_configuration", 400, "La configuration de la vague contient des erreurs : corrigez-les.", fieldErrorsOf(parsed.error.issues));
  }
  const input: WaveConfiguration = parsed.data;
  return transaction(async (tx) => {
    const [target] = await tx.select({ callId: waves.callId }).from(waves).where(eq(waves.id, waveId));
    if (!target) throw waveNotFound();
    const siblings = await tx.select().from(waves).where(eq(waves.callId, target.callId)).orderBy(asc(waves.number));
    const locked = await lockWaves(tx, siblings.map((wave) => wave.id));
    const before = siblings.find((wave) => wave.id === waveId)!;
    const wave = locked.get(waveId)!;
    const [call] = await tx.select({ envelopeCents: calls.envelopeCents }).from(calls).where(eq(calls.id, target.callId));
    const balance = await waveBalance(tx, wave);
    const errors: Record<string, string[]> = {};
    const add = (field: string, message: string) => (errors[field] ??= []).push(message);

    const budgets = siblings.reduce((sum, sibling) => sum + (sibling.id === waveId ? input.budgetCents : locked.get(sibling.id)!.budgetCents), 0);
    const gap = envelopeGap(call.envelopeCents, budgets);
    if (gap?.kind === "over") add("budget", gap.message);
    // What the wave may commit is its budget plus what was carried in, minus what was carried out.
    const minimumBudget = balance.committedCents - balance.carriedInCents + balance.carriedOutCents;
    if (input.budgetCents < minimumBudget) {
      add("budget", `Le budget ne peut pas descendre sous ${formatEuros(minimumBudget)} : ${formatEuros(balance.committedCents)} sont déjà engagés sur cette vague${balance.carriedInCents || balance.carriedOutCents ? " (reports compris)" : ""}.`);
    }
    const minimumBuses = balance.busesCommitted - balance.busesCarriedIn + balance.busesCarriedOut;
    if (input.busTarget < minimumBuses) add("busTarget", `L'objectif ne peut pas descendre sous ${minimumBuses} médicobus : ${balance.busesCommitted} sont déjà engagés sur cette vague.`);

    const dates = paris({ ...input, timeZone: before.timeZone });
    const previous = siblings.findLast((sibling) => sibling.number < before.number);
    const next = siblings.find((sibling) => sibling.number > before.number);
    if (previous && dates.opening < paris(previous).closing) {
      add("opensOn", `La ${before.title.toLowerCase()} doit ouvrir après la clôture de la ${previous.title.toLowerCase()} (${formatDateTime(paris(previous).closing)}).`);
    }
    if (next && dates.closing > paris(next).opening) {
      add("closesOn", `La ${before.title.toLowerCase()} doit être close avant l'ouverture de la ${next.title.toLowerCase()} (${formatDateTime(paris(next).opening)}).`);
    }
    if (Object.keys(errors).length > 0) throw new DomainError("invalid_wave_configuration", 400, "La configuration de la vague contient des erreurs : corrigez-les.", errors);

    const after = { opensOn: input.opensOn, closesOn: input.closesOn, closingTime: input.closingTime, budgetCents: input.budgetCents, busTarget: input.busTarget, regionBusQuotas: input.regionBusQuotas };
    await tx.update(waves).set(after).where(eq(waves.id, waveId));
    const previousValues = { opensOn: before.opensOn, closesOn: before.closesOn, closingTime: before.closingTime, budgetCents: before.budgetCents, busTarget: before.busTarget, regionBusQuotas: before.regionBusQuotas };
    await recordAudit(tx, { actorId: actor.id, action: "wave.configure", entityType: "wave", entityId: waveId, data: { number: before.number, before: previousValues, after } });
    return { warning: gap?.kind === "under" ? gap.message : null };
  });
}

/**
 * Changes the call's co-financing rules (the State's share of the project cost, the advance's
 * share of the award). Awards already committed keep their amounts: the band is checked when an
 * amount is committed. Audited with the previous values.
 */
export async function configureCoFinancing(actor: SessionUser, callId: string, rawInput: unknown) {
  assertProgramManager(actor);
  const parsed = CoFinancingSchema.safeParse(rawInput);
  if (!parsed.success) {
    throw new DomainError("invalid_co_financing", 400, "Les règles de cofinancement contiennent des erreurs : corrigez-les.", fieldErrorsOf(parsed.error.issues));
  }
  const input: CoFinancing = parsed.data;
  return transaction(async (tx) => {
    const [call] = await tx.select({ id: calls.id, rules: calls.rules }).from(calls).where(eq(calls.id, callId)).for("update");
    if (!call) throw callNotFound();
    const rules = readCallRules(call.rules);
    const next = { ...rules, ...input };
    await tx.update(calls).set({ rules: next, updatedAt: new Date() }).where(eq(calls.id, callId));
    await recordAudit(tx, {
      actorId: actor.id,
      action: "call.co_financing",
      entityType: "call",
      entityId: callId,
      data: { before: { stateSharePercent: rules.stateSharePercent, advanceSharePercent: rules.advanceSharePercent }, after: input },
    });
    return next;
  });
}
