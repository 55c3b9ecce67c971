import { and, asc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { db, transaction, type Transaction } from "~db/client.server";
import { applicationEvents, applications, auditLog, calls, decisions, evaluations, organisations, simulationOverrides, users, waves, type ApplicationStatus, type DecisionOutcome } from "~db/schema";
import { recordAudit } from "~/modules/audit/service.server";
import type { SessionUser } from "~/modules/auth/roles";
import { checkTransition, type ApplicationEvent } from "~/modules/applications/lifecycle";
import { readCallRules } from "~/modules/calls/schema";
import { DomainError } from "~/utils/errors";
import { ApplyDecisionSchema, fieldErrorsOf, OverrideSchema } from "./schema";
import { assertProgramManager, carryOverInTransaction, commitInTransaction, dossierPositionIn, lockWaves, releaseInTransaction, waveBalance, type LockedDossier } from "./service.server";
import { rankForSimulation, simulate, type SimulationDossier } from "./simulation";

/*
 * The programme's decisions on a wave: the ranking the simulator starts from, the overrides the
 * manager forces (each justified, each kept), the decision applied in one transaction (status,
 * history, decision record, commitment in the ledger, audit) and its reopening. Locks follow
 * the ledger's order (service.server.ts): dossier rows by id, then the wave row, then the audit.
 */

const EVENT_OF: Record<DecisionOutcome, ApplicationEvent> = { selected: "select", waitlisted: "waitlist", rejected: "reject" };

const waveNotFound = () => new DomainError("wave_not_found", 404, "Vague introuvable.");

/**
 * Who competes in a wave's ranking: the dossiers of the wave that are reviewed, and the
 * waitlisted dossiers whose current decision is in this wave (a reserve list carried over from
 * an earlier wave competes again in the next one).
 */
function rankingCondition(waveId: string) {
  return or(
    and(eq(applications.waveId, waveId), eq(applications.status, "reviewed")),
    and(eq(applications.status, "waitlisted"), sql`exists (select 1 from ${decisions} where ${decisions.applicationId} = ${applications.id} and ${decisions.waveId} = ${waveId} and ${decisions.reopenedAt} is null)`),
  )!;
}

/**
 * What the wave page needs to rank and simulate: the dossiers with their scores, amounts and
 * the evaluators' mean recommended amount, the active overrides, the wave's remaining budget and
 * buses, the call's thresholds and band — and the simulation of all that. The pure simulator
 * runs again in the browser as the manager edits overrides.
 */
export async function waveRanking(actor: SessionUser, waveId: string) {
  assertProgramManager(actor);
  const [wave] = await db.select({ id: waves.id, callId: waves.callId, number: waves.number, title: waves.title, budgetCents: waves.budgetCents, busTarget: waves.busTarget, rules: calls.rules }).from(waves).innerJoin(calls, eq(calls.id, waves.callId)).where(eq(waves.id, waveId));
  if (!wave) throw waveNotFound();
  const rules = readCallRules(wave.rules);
  const recommended = db
    .select({ applicationId: evaluations.applicationId, cents: sql<string>`round(avg(${evaluations.recommendedCents}))`.as("recommended_cents") })
    .from(evaluations)
    .where(and(eq(evaluations.status, "submitted"), sql`${evaluations.recommendedCents} is not null`))
    .groupBy(evaluations.applicationId)
    .as("recommended");
  const rows = await db
    .select({
      id: applications.id,
      reference: applications.reference,
      title: applications.title,
      organisationName: organisations.name,
      status: applications.status,
      consolidatedScore: applications.consolidatedScore,
      arsScore: applications.arsScore,
      anctScore: applications.anctScore,
      scoreGapFlag: applications.scoreGapFlag,
      populationCovered: applications.populationCovered,
      submittedAt: applications.submittedAt,
      regionCode: applications.regionCode,
      requestedCents: applications.requestedCents,
      totalCostCents: applications.totalCostCents,
      recommendedCents: recommended.cents,
    })
    .from(applications)
    .innerJoin(organisations, eq(organisations.id, applications.organisationId))
    .leftJoin(recommended, eq(recommended.applicationId, applications.id))
    .where(rankingCondition(wave.id));
  const dossiers: Array<SimulationDossier & { title: string; organisationName: string; status: ApplicationStatus }> = rows.map((row) => ({ ...row, recommendedCents: row.recommendedCents === null ? null : Number(row.recommendedCents), scoreGapFlag: row.scoreGapFlag }));
  const overrides = await db
    .select({ id: simulationOverrides.id, applicationId: simulationOverrides.applicationId, mode: simulationOverrides.mode, awardedCents: simulationOverrides.awardedCents, justification: simulationOverrides.justification, authorName: users.name, createdAt: simulationOverrides.createdAt })
    .from(simulationOverrides)
    .innerJoin(users, eq(users.id, simulationOverrides.authorId))
    .where(and(eq(simulationOverrides.waveId, wave.id), isNull(simulationOverrides.revokedAt)))
    .orderBy(asc(simulationOverrides.createdAt));
  const balance = await waveBalance(db, wave);
  const thresholds = { fundingThresholds: rules.fundingThresholds, stateSharePercent: rules.stateSharePercent };
  const simulation = simulate(rankForSimulation(dossiers, thresholds), { remainingCents: balance.remainingCents, remainingBuses: balance.busesRemaining, overrides });
  return { wave: { id: wave.id, number: wave.number, title: wave.title }, balance, rules: thresholds, dossiers, overrides, simulation };
}

async function findDossier(executor: Transaction, reference: string) {
  const [dossier] = await executor.select().from(applications).where(eq(applications.reference, reference)).for("update");
  if (!dossier) throw new DomainError("dossier_not_found", 404, "Dossier introuvable.");
  return dossier;
}

/** Forces the simulator on one dossier (include, exclude, another amount), with a written justification; replaces the active one. */
export async function setOverride(actor: SessionUser, waveId: string, rawInput: unknown) {
  assertProgramManager(actor);
  const parsed = OverrideSchema.safeParse(rawInput);
  if (!parsed.success) throw new DomainError("invalid_override", 400, "La dérogation contient des erreurs : corrigez-les.", fieldErrorsOf(parsed.error.issues));
  const input = parsed.data;
  return transaction(async (tx) => {
    const dossier = await findDossier(tx, input.reference);
    const [wave] = await tx.select({ id: waves.id }).from(waves).where(eq(waves.id, waveId)).for("update");
    if (!wave) throw waveNotFound();
    // An override of a dossier the wave does not rank would be kept and silently ignored by the simulator.
    const [ranked] = await tx.select({ id: applications.id }).from(applications).where(and(eq(applications.id, dossier.id), rankingCondition(waveId)));
    if (!ranked) throw new DomainError("dossier_not_ranked", 409, `${dossier.reference} : ce dossier ne figure pas dans le classement de la vague.`);
    const now = new Date();
    const [previous] = await tx
      .update(simulationOverrides)
      .set({ revokedAt: now, revokedBy: actor.id })
      .where(and(eq(simulationOverrides.waveId, waveId), eq(simulationOverrides.applicationId, dossier.id), isNull(simulationOverrides.revokedAt)))
      .returning({ id: simulationOverrides.id });
    const [created] = await tx.insert(simulationOverrides).values({ waveId, applicationId: dossier.id, mode: input.mode, awardedCents: input.awardedCents, justification: input.justification, authorId: actor.id, createdAt: now }).returning();
    await recordAudit(tx, { actorId: actor.id, action: "override.set", entityType: "simulation_override", entityId: created.id, data: { waveId, reference: dossier.reference, mode: input.mode, awardedCents: input.awardedCents, justification: input.justification, ...(previous ? { replaces: previous.id } : {}) } });
    return created;
  });
}

/** Withdraws the active override of a dossier (kept, marked revoked). */
export async function revokeOverride(actor: SessionUser, waveId: string, reference: string) {
  assertProgramManager(actor);
  return transaction(async (tx) => {
    const dossier = await findDossier(tx, reference);
    const [revoked] = await tx
      .update(simulationOverrides)
      .set({ revokedAt: new Date(), revokedBy: actor.id })
      .where(and(eq(simulationOverrides.waveId, waveId), eq(simulationOverrides.applicationId, dossier.id), isNull(simulationOverrides.revokedAt)))
      .returning({ id: simulationOverrides.id });
    if (!revoked) throw new DomainError("no_override", 409, "Ce dossier n'a pas de dérogation active.");
    await recordAudit(tx, { actorId: actor.id, action: "override.revoke", entityType: "simulation_override", entityId: revoked.id, data: { waveId, reference } });
    return revoked;
  });
}

async function recordDecisionTransition(tx: Transaction, actor: SessionUser, dossier: LockedDossier, event: ApplicationEvent, to: ApplicationStatus, details: { motivation: string | null; data: Record<string, unknown>; now: Date }) {
  await tx.update(applications).set({ status: to, updatedAt: details.now, version: sql`${applications.version} + 1` }).where(eq(applications.id, dossier.id));
  await tx.insert(applicationEvents).values({ applicationId: dossier.id, actorId: actor.id, event, fromStatus: dossier.status, toStatus: to, motivation: details.motivation, data: details.data, createdAt: details.now });
  await recordAudit(tx, { actorId: actor.id, action: `dossier.${event}`, entityType: "application", entityId: dossier.id, data: { reference: dossier.reference, from: dossier.status, to, ...(details.motivation ? { motivation: details.motivation } : {}), ...details.data } });
}

function transitionError(reference: string, check: { reason: "status" | "role" | "motivation"; message: string }, field: string) {
  const status = check.reason === "role" ? 403 : check.reason === "motivation" ? 400 : 409;
  const message = `${reference} : ${check.message}`;
  return new DomainError(`transition_${check.reason}`, status, message, status === 400 ? { [field]: [message] } : {});
}

/**
 * Applies the programme's decision on a wave, all or nothing: each dossier `selected` (with its
 * awarded amount, committed in the ledger under the wave's lock — a decision that would exceed
 * the budget or the bus target is refused whole), `waitlisted` (with its rank, unique in the
 * wave) or `rejected` (with its motivation). Status, history, decision record and audit rows —
 * including the overrides in force, with their justifications — commit together.
 */
export async function applyDecision(actor: SessionUser, waveId: string, rawInput: unknown, options: { now?: Date } = {}) {
  assertProgramManager(actor);
  const parsed = ApplyDecisionSchema.safeParse(rawInput);
  if (!parsed.success) throw new DomainError("invalid_decision", 400, "La décision contient des erreurs : corrigez-les.", fieldErrorsOf(parsed.error.issues));
  const lines = parsed.data.decisions;
  const now = options.now ?? new Date();
  const roles = actor.roles.map((grant) => grant.role);
  return transaction(async (tx) => {
    const locked = await tx.select().from(applications).where(inArray(applications.reference, lines.map((line) => line.reference))).orderBy(asc(applications.id)).for("update");
    const byReference = new Map(locked.map((dossier) => [dossier.reference, dossier]));
    const missing = lines.find((line) => !byReference.has(line.reference));
    if (missing) throw new DomainError("dossier_not_found", 404, `Dossier introuvable : ${missing.reference}.`);
    const wave = (await lockWaves(tx, [waveId])).get(waveId)!;

    const current = await tx.select().from(decisions).where(and(inArray(decisions.applicationId, locked.map((dossier) => dossier.id)), isNull(decisions.reopenedAt)));
    const currentOf = new Map(current.map((decision) => [decision.applicationId, decision]));
    const batchIds = new Set(locked.map((dossier) => dossier.id));
    const takenRanks = new Map(
      (await tx.select({ rank: decisions.waitlistRank, applicationId: decisions.applicationId }).from(decisions).where(and(eq(decisions.waveId, wave.id), eq(decisions.outcome, "waitlisted"), isNull(decisions.reopenedAt))))
        .filter((row) => !batchIds.has(row.applicationId))
        .map((row) => [row.rank, row.applicationId]),
    );

    const counts = { selected: 0, waitlisted: 0, rejected: 0, committedCents: 0 };
    for (const [index, line] of lines.entries()) {
      const dossier = byReference.get(line.reference)!;
      const previous = currentOf.get(dossier.id);
      if (dossier.callId !== wave.callId || (dossier.waveId !== wave.id && previous?.waveId !== wave.id)) {
        throw new DomainError("dossier_of_other_wave", 409, `${dossier.reference} : ce dossier n'est pas classé dans la ${wave.title.toLowerCase()}.`);
      }
      const event = EVENT_OF[line.outcome];
      const check = checkTransition(dossier.status, event, roles, line.motivation);
      if (!check.allowed) throw transitionError(dossier.reference, check, `decisions.${index}.motivation`);
      if (line.outcome === "waitlisted" && takenRanks.has(line.waitlistRank)) {
        throw new DomainError("rank_taken", 409, `${dossier.reference} : le rang ${line.waitlistRank} de la liste complémentaire est déjà attribué à un autre dossier de la vague.`, { [`decisions.${index}.waitlistRank`]: ["Ce rang est déjà attribué."] });
      }
      if (previous) {
        await tx.update(decisions).set({ reopenedAt: now, reopenedBy: actor.id, reopenMotivation: `Remplacée par la décision « ${line.outcome} » du ${now.toISOString().slice(0, 10)}.` }).where(eq(decisions.id, previous.id));
      }
      let commitment: { entryId: number } | null = null;
      if (line.outcome === "selected") {
        try {
          commitment = await commitInTransaction(tx, actor, dossier, { amountCents: line.awardedCents, buses: 1, waveId: wave.id, motivation: line.motivation ?? `Décision de la ${wave.title.toLowerCase()}` });
        } catch (error) {
          // Name the dossier: the refusal of one line refuses the whole decision.
          if (error instanceof DomainError) throw new DomainError(error.code, error.status, `${dossier.reference} : ${error.message}`, error.status === 400 ? { [`decisions.${index}.awardedCents`]: [error.message] } : {});
          throw error;
        }
        counts.committedCents += line.awardedCents;
      }
      const [decision] = await tx
        .insert(decisions)
        .values({
          applicationId: dossier.id,
          waveId: wave.id,
          outcome: line.outcome,
          awardedCents: line.outcome === "selected" ? line.awardedCents : null,
          buses: line.outcome === "selected" ? 1 : 0,
          waitlistRank: line.outcome === "waitlisted" ? line.waitlistRank : null,
          motivation: line.motivation,
          decidedBy: actor.id,
          decidedAt: now,
        })
        .returning({ id: decisions.id });
      const data = { decisionId: decision.id, waveId: wave.id, ...(line.outcome === "selected" ? { awardedCents: line.awardedCents, ledgerEntryId: commitment?.entryId } : {}), ...(line.outcome === "waitlisted" ? { waitlistRank: line.waitlistRank } : {}) };
      await recordDecisionTransition(tx, actor, dossier, event, check.to, { motivation: line.motivation, data, now });
      counts[line.outcome] += 1;
    }
    const overrides = await tx
      .select({ applicationId: simulationOverrides.applicationId, mode: simulationOverrides.mode, awardedCents: simulationOverrides.awardedCents, justification: simulationOverrides.justification, authorId: simulationOverrides.authorId })
      .from(simulationOverrides)
      .where(and(eq(simulationOverrides.waveId, wave.id), isNull(simulationOverrides.revokedAt)));
    await recordAudit(tx, { actorId: actor.id, action: "decision.apply", entityType: "wave", entityId: wave.id, data: { ...counts, references: lines.map((line) => line.reference), overrides } });
    return counts;
  });
}

/**
 * Reopens a decision with a written motivation: the dossier goes back to « Instruit », its
 * decision is kept with why it was reopened, and a selected dossier's commitment is released —
 * unless money was already paid, which a reopening cannot undo (409).
 */
export async function reopenDecision(actor: SessionUser, reference: string, input: { motivation: string; now?: Date }) {
  assertProgramManager(actor);
  const now = input.now ?? new Date();
  return transaction(async (tx) => {
    const dossier = await findDossier(tx, reference);
    const motivation = input.motivation?.trim() ?? "";
    const check = checkTransition(dossier.status, "reopen_decision", actor.roles.map((grant) => grant.role), motivation);
    if (!check.allowed) throw transitionError(dossier.reference, check, "motivation");
    const [decision] = await tx.select().from(decisions).where(and(eq(decisions.applicationId, dossier.id), isNull(decisions.reopenedAt)));
    let released: Awaited<ReturnType<typeof releaseInTransaction>> = null;
    if (dossier.status === "selected") {
      const position = await dossierPositionIn(tx, dossier.id);
      if (position.paidCents > 0) throw new DomainError("already_paid", 409, `${dossier.reference} : des versements ont déjà été effectués sur ce dossier ; la décision ne peut plus être rouverte.`);
      released = await releaseInTransaction(tx, actor, dossier, { motivation: `Réouverture de la décision : ${motivation}` });
    }
    if (decision) await tx.update(decisions).set({ reopenedAt: now, reopenedBy: actor.id, reopenMotivation: motivation }).where(eq(decisions.id, decision.id));
    await recordDecisionTransition(tx, actor, dossier, "reopen_decision", check.to, { motivation, data: { ...(decision ? { decisionId: decision.id } : {}), ...(released ? { releasedCents: released.amountCents, ledgerEntryId: released.entryId } : {}) }, now });
    return { releasedCents: released?.amountCents ?? 0 };
  });
}

/**
 * The first waitlisted dossier of a wave, by rank, whose proposed amount (mean recommendation,
 * else the request) fits in what the wave has left — the one to propose for promotion when a
 * selected dossier withdraws. Null when none fits. A page that has just read the wave's ranking
 * passes it (`known`) rather than have it read a second time; an action that promotes reads it
 * afresh.
 */
export async function promotionCandidate(actor: SessionUser, waveId: string, known?: Awaited<ReturnType<typeof waveRanking>>) {
  assertProgramManager(actor);
  const ranking = known ?? (await waveRanking(actor, waveId));
  const waitlisted = await db
    .select({ applicationId: decisions.applicationId, rank: decisions.waitlistRank })
    .from(decisions)
    .where(and(eq(decisions.waveId, waveId), eq(decisions.outcome, "waitlisted"), isNull(decisions.reopenedAt)))
    .orderBy(asc(decisions.waitlistRank));
  const byId = new Map(ranking.dossiers.map((dossier) => [dossier.id, dossier]));
  for (const entry of waitlisted) {
    const dossier = byId.get(entry.applicationId);
    if (!dossier) continue;
    const proposedCents = dossier.recommendedCents ?? dossier.requestedCents;
    if (proposedCents <= ranking.balance.remainingCents && (dossier.buses ?? 1) <= ranking.balance.busesRemaining) {
      return { reference: dossier.reference, title: dossier.title, waitlistRank: entry.rank!, proposedCents };
    }
  }
  return null;
}

/**
 * For the withdrawal of a selected dossier (DESIGN.md: « a withdrawn selected releases its
 * budget »), inside the withdrawal's transaction with the dossier row already locked: releases
 * what is committed and unpaid, and closes the current decision with the motivation. Returns
 * what was released (0 when nothing was committed). Call `promotionCandidate` after the commit
 * to propose the first waitlisted dossier that now fits.
 */
export async function releaseForWithdrawal(tx: Transaction, actor: SessionUser, dossier: LockedDossier, motivation: string, now = new Date()) {
  const released = await releaseInTransaction(tx, actor, dossier, { motivation: `Retrait du dossier : ${motivation}` });
  await tx.update(decisions).set({ reopenedAt: now, reopenedBy: actor.id, reopenMotivation: `Dossier retiré : ${motivation}` }).where(and(eq(decisions.applicationId, dossier.id), isNull(decisions.reopenedAt)));
  return { releasedCents: released?.amountCents ?? 0, releasedBuses: released?.buses ?? 0 };
}

/** A wave closes once, and only when every reviewed dossier of it has a decision (none is left behind). */
async function assertClosable(tx: Transaction, wave: { id: string; title: string }) {
  const title = wave.title.toLowerCase();
  const [closed] = await tx.select({ id: auditLog.id }).from(auditLog).where(and(eq(auditLog.action, "wave.close"), eq(auditLog.entityType, "wave"), eq(auditLog.entityId, wave.id))).limit(1);
  if (closed) throw new DomainError("wave_closed", 409, `La ${title} est déjà clôturée.`);
  const [{ undecided }] = await tx.select({ undecided: sql<number>`count(*)::int` }).from(applications).where(and(eq(applications.waveId, wave.id), eq(applications.status, "reviewed")));
  if (undecided > 0) {
    throw new DomainError("undecided_dossiers", 409, `${undecided === 1 ? "Un dossier instruit attend" : `${undecided} dossiers instruits attendent`} encore une décision sur la ${title} : appliquez la décision avant de clôturer.`);
  }
}

/**
 * Closes a wave on the manager's confirmation, in one transaction: what its budget and bus
 * target have left goes to the next wave (ledger carry-over), and its reserve list follows,
 * in the same order, after the next wave's own reserve list. The old reserve-list decisions are
 * kept, closed with where they went.
 */
export async function closeWave(actor: SessionUser, input: { fromWaveId: string; toWaveId: string; motivation?: string | null; now?: Date }) {
  assertProgramManager(actor);
  const now = input.now ?? new Date();
  return transaction(async (tx) => {
    // Lock order: dossier rows first (the reserve list), then the waves (inside the carry-over).
    const reserve = await tx
      .select({ decision: decisions, dossierId: applications.id, reference: applications.reference })
      .from(decisions)
      .innerJoin(applications, eq(applications.id, decisions.applicationId))
      .where(and(eq(decisions.waveId, input.fromWaveId), eq(decisions.outcome, "waitlisted"), isNull(decisions.reopenedAt), eq(applications.status, "waitlisted")))
      .orderBy(asc(applications.id))
      .for("update", { of: applications });
    const carried = await carryOverInTransaction(tx, actor, { fromWaveId: input.fromWaveId, toWaveId: input.toWaveId, motivation: input.motivation });
    const locked = await lockWaves(tx, [input.fromWaveId, input.toWaveId]);
    const to = locked.get(input.toWaveId)!;
    // Checked under the waves' locks, so that two managers closing at once close it once: a
    // refusal here rolls back the carry-over above.
    await assertClosable(tx, locked.get(input.fromWaveId)!);
    const [last] = await tx
      .select({ rank: sql<number | null>`max(${decisions.waitlistRank})` })
      .from(decisions)
      .where(and(eq(decisions.waveId, to.id), eq(decisions.outcome, "waitlisted"), isNull(decisions.reopenedAt)));
    let rank = last?.rank ?? 0;
    for (const entry of [...reserve].sort((a, b) => a.decision.waitlistRank! - b.decision.waitlistRank!)) {
      rank += 1;
      await tx.update(decisions).set({ reopenedAt: now, reopenedBy: actor.id, reopenMotivation: `Liste complémentaire reportée sur la ${to.title.toLowerCase()} (rang ${rank}).` }).where(eq(decisions.id, entry.decision.id));
      await tx.insert(decisions).values({ applicationId: entry.dossierId, waveId: to.id, outcome: "waitlisted", waitlistRank: rank, motivation: entry.decision.motivation, decidedBy: actor.id, decidedAt: now });
    }
    const summary = { carriedCents: carried?.amountCents ?? 0, carriedBuses: carried?.buses ?? 0, waitlistCarried: reserve.length };
    await recordAudit(tx, { actorId: actor.id, action: "wave.close", entityType: "wave", entityId: input.fromWaveId, data: { ...summary, toWaveId: to.id, references: reserve.map((entry) => entry.reference), ...(input.motivation?.trim() ? { motivation: input.motivation.trim() } : {}) } });
    return summary;
  });
}


/**
 * The decisions in force on a wave (selected, waitlisted, rejected), for the wave page and its
 * reopening forms, and the selected dossiers of the wave withdrawn since (their commitment was
 * released with the withdrawal), newest first.
 */
export async function waveDecisions(actor: SessionUser, waveId: string) {
  assertProgramManager(actor);
  const current = await db
    .select({
      reference: applications.reference,
      title: applications.title,
      organisationName: organisations.name,
      regionCode: applications.regionCode,
      outcome: decisions.outcome,
      awardedCents: decisions.awardedCents,
      waitlistRank: decisions.waitlistRank,
      motivation: decisions.motivation,
      decidedAt: decisions.decidedAt,
    })
    .from(decisions)
    .innerJoin(applications, eq(applications.id, decisions.applicationId))
    .innerJoin(organisations, eq(organisations.id, applications.organisationId))
    .where(and(eq(decisions.waveId, waveId), isNull(decisions.reopenedAt)))
    .orderBy(asc(decisions.outcome), asc(decisions.waitlistRank), asc(applications.reference));
  const withdrawn = await db
    .select({ reference: applications.reference, title: applications.title, organisationName: organisations.name, awardedCents: decisions.awardedCents, withdrawnAt: decisions.reopenedAt })
    .from(decisions)
    .innerJoin(applications, eq(applications.id, decisions.applicationId))
    .innerJoin(organisations, eq(organisations.id, applications.organisationId))
    .where(and(eq(decisions.waveId, waveId), eq(decisions.outcome, "selected"), eq(applications.status, "withdrawn"), sql`${decisions.reopenedAt} is not null`))
    .orderBy(sql`${decisions.reopenedAt} desc`);
  return { current, withdrawn };
}

/** When and by whom a wave was closed and carried over (its `wave.close` audit row), or null while it is open to decisions. */
export async function waveClosure(actor: SessionUser, waveId: string) {
  assertProgramManager(actor);
  const [row] = await db
    .select({ at: auditLog.at, data: auditLog.data, actorName: users.name })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(eq(auditLog.action, "wave.close"), eq(auditLog.entityType, "wave"), eq(auditLog.entityId, waveId)))
    .orderBy(sql`${auditLog.id} desc`)
    .limit(1);
  if (!row) return null;
  const data = row.data as { carriedCents?: number; carriedBuses?: number; waitlistCarried?: number };
  return { at: row.at, actorName: row.actorName, carriedCents: data.carriedCents ?? 0, carriedBuses: data.carriedBuses ?? 0, waitlistCarried: data.waitlistCarried ?? 0 };
}
