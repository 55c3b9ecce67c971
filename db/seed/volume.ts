import { eq, sql } from "drizzle-orm";
import { transaction, type Transaction } from "~db/client.server";
import {
  applicationEvents,
  applicationPieces,
  applications,
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
  type Rubric,
} from "~db/schema";
import { recordAudit } from "~/modules/audit/service.server";
import type { FormData } from "~/modules/applications/form";
import { awardProblem } from "~/modules/budget/award";
import { balanceOf, checkCommitment, checkPayment, checkRelease, dossierPosition, maxAdvanceCents, totalsOf, type LedgerMovement } from "~/modules/budget/ledger";
import { rankForSimulation, simulate, type SimulationDossier } from "~/modules/budget/simulation";
import { CallRulesSchema, type CallRules } from "~/modules/calls/schema";
import { REGIONS, regionName } from "~/modules/geo/regions";
import {
  createRandom,
  DAY_MS,
  dossierBuilder,
  formDataFor,
  insertInBatches,
  marksFor,
  organisationFor,
  placeholderPdf,
  ruralIntercommunalities,
  sha256Hex,
  slug,
  SPONSOR_KINDS,
  stateShareWithin,
  territoryOf,
  userIdFor,
  type PieceRow,
  type Random,
} from "./generate";
import { bulkInsert } from "./bulk-insert";

/*
 * A call of its own with N dossiers (issue 6): every région, both waves, every status, with
 * their communes, budgets, pieces (rows only: no files are written), evaluations, and — for
 * wave 1 — the programme's decisions with the budget ledger they commit, a few payments and a
 * withdrawal after selection. The dossiers are made by the same builder as the demo dossiers
 * (db/seed/generate.ts); wave 1's decision follows the portal's ranking and simulator
 * (budget/simulation.ts), and every ledger entry passes the ledger's checks (budget/ledger.ts)
 * before it is written, so that the wave's budget and bus target hold as they would through the
 * services.
 *
 * Dossier i draws from a generator seeded with (seed, i): the same seed gives the same data,
 * whatever the batch size. Dossiers are generated and inserted `batchSize` at a time (only a
 * batch's rows are held, plus a small summary of wave 1's reviewed dossiers for the decision),
 * each table's rows in one statement (bulk-insert.ts), all in one transaction (all or nothing).
 */

export interface VolumeOptions {
  count: number;
  seed?: number;
  callSlug?: string;
  batchSize?: number;
  now?: Date;
  onProgress?: (done: number, count: number) => void;
}

const EMAIL_DOMAIN = "volume.demo.medicobus.fr";

/** Share of the dossiers in each status, per wave (wave 1 is closed and decided; wave 2 is open). */
const WAVE1_PATHS: ReadonlyArray<[Path, number]> = [
  ["draft", 0.04],
  ["ineligible", 0.06],
  ["withdrawn", 0.03],
  ["reviewed", 0.87],
];
const WAVE2_PATHS: ReadonlyArray<[Path, number]> = [
  ["draft", 0.22],
  ["submitted", 0.18],
  ["changes_requested", 0.07],
  ["under_review", 0.23],
  ["reviewed", 0.23],
  ["ineligible", 0.04],
  ["withdrawn", 0.03],
];
type Path = "draft" | "submitted" | "changes_requested" | "under_review" | "reviewed" | "ineligible" | "withdrawn";

/** Rows per INSERT: one text array per column, so only the statement's size grows with it. */
const ROWS_PER_STATEMENT = 5000;
/** Reserve list of wave 1: at most this many, taken below the cut in ranking order. */
const WAITLIST_MAX = 30;

function pathOf(random: Random, paths: ReadonlyArray<[Path, number]>): Path {
  let draw = random.next();
  for (const [path, share] of paths) {
    if (draw < share) return path;
    draw -= share;
  }
  return paths[paths.length - 1][0];
}


export async function seedVolume(options: VolumeOptions) {
  const seed = options.seed ?? 1;
  const callSlug = options.callSlug ?? "medicobus-volume";
  const batchSize = options.batchSize ?? 2000;
  const now = options.now ?? new Date();
  const rules = CallRulesSchema.parse({});
  const setup = createRandom(seed);
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const isoDay = (days: number) => new Date(midnight + days * DAY_MS).toISOString().slice(0, 10);

  const regions = REGIONS.map((region) => region.code).filter((code) => ruralIntercommunalities(code).length > 0);
  const pieceFiles = new Map(rules.pieces.map((piece) => {
    const bytes = placeholderPdf(piece.label);
    return [piece.code, { sha256: sha256Hex(bytes), sizeBytes: bytes.length }];
  }));

  return transaction(async (tx) => {
    const [existing] = await tx.select({ id: calls.id }).from(calls).where(eq(calls.slug, callSlug));
    if (existing) throw new Error(`Un appel « ${callSlug} » existe déjà dans cette base : choisissez un autre --call ou une base vide.`);
    const [call] = await tx
      .insert(calls)
      .values({ slug: callSlug, title: "Médicobus — jeu de données en volume", summary: `Appel généré (graine ${seed}, ${options.count} dossiers) pour mesurer le portail sur un volume réaliste.`, envelopeCents: 10_000_000_00, busTarget: 100, rules })
      .returning();
    const [wave1, wave2] = await tx
      .insert(waves)
      .values([
        { callId: call.id, number: 1, title: "Vague 1", opensOn: isoDay(-300), closesOn: isoDay(-200), budgetCents: 5_000_000_00, busTarget: 50 },
        { callId: call.id, number: 2, title: "Vague 2", opensOn: isoDay(-60), closesOn: isoDay(60), budgetCents: 5_000_000_00, busTarget: 50 },
      ])
      .returning();

    // The agents: the programme team, one ARS agent per région, four national ANCT agents.
    const prefix = `${slug(callSlug)}.${seed}`;
    // The slug joins the seed: two volume calls in one database draw different references.
    const dossierSeed = [...callSlug].reduce((hash, character) => Math.imul(hash ^ character.charCodeAt(0), 16_777_619), seed);
    const manager = { id: userIdFor(setup), email: `programme.${prefix}@${EMAIL_DOMAIN}`, name: "Équipe programme (volume)" };
    const arsAgents = new Map(regions.map((code) => [code, { id: userIdFor(setup), email: `ars.${slug(regionName(code))}.${prefix}@${EMAIL_DOMAIN}`, name: `ARS ${regionName(code)} (volume)` }]));
    const anctAgents = [1, 2, 3, 4].map((n) => ({ id: userIdFor(setup), email: `anct.${n}.${prefix}@${EMAIL_DOMAIN}`, name: `ANCT équipe nationale ${n} (volume)` }));
    const agentCreatedAt = new Date(midnight - 320 * DAY_MS);
    await tx.insert(users).values([manager, ...arsAgents.values(), ...anctAgents].map((agent) => ({ ...agent, createdAt: agentCreatedAt })));
    await tx.insert(roleAssignments).values([
      { userId: manager.id, role: "program_manager" as const, regionCode: null },
      ...[...arsAgents].map(([code, agent]) => ({ userId: agent.id, role: "ars_agent" as const, regionCode: code })),
      ...anctAgents.map((agent) => ({ userId: agent.id, role: "anct_agent" as const, regionCode: null })),
    ]);

    const wave1Reviewed: Array<SimulationDossier & { ownerId: string }> = [];
    let buffer = emptyBuffer();
    const flush = async () => {
      await insertBuffer(tx, buffer);
      buffer = emptyBuffer();
    };

    const context: VolumeContext = { seed: dossierSeed, prefix, rules, regions, pieceFiles, callId: call.id, wave1, wave2, managerId: manager.id, arsAgents, anctAgents, midnight };
    for (let index = 0; index < options.count; index++) {
      const dossier = volumeDossier(context, index);
      buffer.users.push(dossier.owner);
      buffer.organisations.push(dossier.organisation);
      buffer.memberships.push(dossier.membership);
      buffer.applications.push(dossier.application);
      buffer.events.push(...dossier.rows.events);
      buffer.pieces.push(...dossier.rows.pieces);
      buffer.assignments.push(...dossier.rows.assignments);
      buffer.evaluations.push(...dossier.rows.evaluations);
      if (dossier.wave1Reviewed) wave1Reviewed.push(dossier.wave1Reviewed);
      if (buffer.applications.length >= batchSize) await flush();
      if ((index + 1) % batchSize === 0) options.onProgress?.(index + 1, options.count);
    }
    await flush();

    const decided = await decideWave1(tx, { random: createRandom(seed ^ 0x5bd1e995), rules, wave: wave1, dossiers: wave1Reviewed, managerId: manager.id, at: (random, days) => dayAt(midnight, random, days), batchSize });
    await recordAudit(tx, { actorId: null, action: "volume.seed", entityType: "call", entityId: call.id, data: { seed, count: options.count, ...decided } });
    return { callId: call.id, waveIds: [wave1.id, wave2.id], ...decided };
  });
}

export interface VolumeContext {
  /** The generator seed of the dossiers (the user's seed mixed with the call's slug). */
  seed: number;
  /** What makes the generated e-mail addresses unique to this call and seed. */
  prefix: string;
  rules: CallRules;
  regions: readonly string[];
  pieceFiles: ReadonlyMap<string, { sha256: string; sizeBytes: number }>;
  callId: string;
  wave1: { id: string };
  wave2: { id: string };
  managerId: string;
  arsAgents: ReadonlyMap<string, { id: string }>;
  anctAgents: ReadonlyArray<{ id: string }>;
  /** Today's midnight (UTC), in milliseconds: every date is counted back from it. */
  midnight: number;
}

const REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * « MB-2024-K7Q2XD » for dossier `index`: six base32 characters (30 bits) from a bijection of the
 * index (odd multiplications and a xor-shift, all invertible modulo 2^30), so that a million
 * dossiers never draw the same reference — random draws would collide from about 30,000.
 */
export function volumeReference(seed: number, index: number) {
  const mask = 0x3fff_ffff;
  let value = (Math.imul(index, 0x2545_f491) + seed) & mask;
  value = (value ^ (value >>> 15)) & mask;
  value = Math.imul(value, 0x1b87_3593) & mask;
  let suffix = "";
  for (let position = 0; position < 6; position++) suffix += REFERENCE_ALPHABET[(value >>> (5 * (5 - position))) & 31];
  return `MB-2024-${suffix}`;
}

/** `days` before the context's today, at an office hour (UTC is close enough for generated data). */
const dayAt = (midnight: number, random: Random, days: number) => new Date(midnight - days * DAY_MS + random.int(7 * 60, 17 * 60) * 60_000);

/**
 * Dossier `index` of the volume: its owner, organisation and the rows of its life, a pure
 * function of the context and the index (its own generator), so that the same seed gives the
 * same dossier whatever the batch it is inserted in.
 */
export function volumeDossier(context: VolumeContext, index: number) {
  const { rules, regions, pieceFiles, prefix, midnight } = context;
  const random = createRandom(Math.imul(context.seed ^ 0x9e3779b9, 2_654_435_761) + index * 40_503);
  // Each step later than the one before, even when two fall on the same day.
  let last = 0;
  const at = (days: number) => {
    let time = dayAt(midnight, random, days).getTime();
    if (time <= last) time = last + random.int(5, 120) * 60_000;
    last = time;
    return new Date(time);
  };
  const inWave1 = random.next() < 0.6;
  const path = pathOf(random, inWave1 ? WAVE1_PATHS : WAVE2_PATHS);
  const regionCode = random.pick(regions);
  const epci = random.pick(ruralIntercommunalities(regionCode));
  const communes = territoryOf(random, epci, Math.min(epci.communes.length, random.int(3, 9)));
  const organisation = organisationFor(random, random.pick(SPONSOR_KINDS), epci, EMAIL_DOMAIN);
  const ownerId = userIdFor(random);
  const organisationId = random.uuid();
  // Wave 1 ran from day −300 to day −200; wave 2 opened on day −60.
  const created = inWave1 ? random.int(210, 295) : random.int(8, 58);
  const createdAt = at(created);
  const owner = { id: ownerId, email: `porteur.${prefix}.${index}@${EMAIL_DOMAIN}`, name: organisation.contactName, passwordHash: null, emailVerifiedAt: createdAt, createdAt: new Date(createdAt.getTime() - 3_600_000) };
  const { signatoryCapacity: _capacity, ...organisationColumns } = organisation;
  const organisationRow = { id: organisationId, ...organisationColumns, contactEmail: owner.email, createdBy: ownerId, createdAt };
  const membership = { organisationId, userId: ownerId, role: "owner" as const, createdAt };
  const reference = volumeReference(context.seed, index);
  let formData: FormData = formDataFor(random, { organisation, epci, communes, requestedCents: random.int(85, 140) * 1000_00, stateShare: stateShareWithin(random, rules.stateSharePercent), projectYears: rules.projectYears, today: new Date(midnight).toISOString().slice(0, 10) });
  if (path === "draft") formData = Object.fromEntries(Object.entries(formData).slice(0, random.int(1, 5)));
  const dossier = dossierBuilder(random, rules, { id: random.uuid(), reference, callId: context.callId, waveId: (inWave1 ? context.wave1 : context.wave2).id, organisationId, ownerId, formData, createdAt });

  const ars = context.arsAgents.get(regionCode)!;
  const anct = context.anctAgents[index % context.anctAgents.length];
  // Each step a few days after the previous one, never in the future; wave 1 closed on day −200.
  let day = created;
  const next = (min: number, max: number, floor = 1) => (day = Math.max(floor, day - random.int(min, max)));
  if (path !== "draft" && !(path === "withdrawn" && random.chance(0.3))) {
    dossier.submit(at(inWave1 ? Math.max(201, next(1, 20, 201)) : next(1, 6)), piecesFor(random, rules, pieceFiles));
  }
  if (path === "withdrawn") dossier.transition("withdrawn", "withdraw", ownerId, at(next(1, 10)), { motivation: "Le projet est reporté : le cofinancement de la collectivité n'a pas été voté." });
  if (path === "ineligible") dossier.transition("ineligible", "declare_ineligible", ars.id, at(next(2, 10)), { motivation: "Le projet ne prévoit pas de tournée itinérante : il sort du périmètre de l'appel.", data: { failedChecks: [] } });
  if (path === "changes_requested") dossier.requestChanges(ars.id, at(next(1, 5)), ["budget"], "Le plan de financement ne mentionne pas la lettre d'engagement de la CPAM : joignez-la et mettez le budget à jour.");
  if (path === "under_review" || path === "reviewed") {
    dossier.transition("under_review", "admit", ars.id, at(next(1, 5)), { motivation: "Dossier complet ; porteur éligible ; territoire dans la région ; budget conforme.", data: { failedChecks: [] } });
    const assignedAt = at(next(0, 2));
    dossier.assign("ars", ars.id, context.managerId, assignedAt).assign("anct", anct.id, context.managerId, assignedAt);
    const quality = 0.3 + random.next() * 0.65;
    const evaluate = (rubric: Rubric, evaluatorId: string) => dossier.evaluate(rubric, evaluatorId, marksFor(random, rules.rubrics[rubric], quality), at(next(0, 6)));
    if (path === "reviewed") {
      evaluate("ars", ars.id);
      evaluate("anct", anct.id);
      dossier.completeReview();
    } else if (random.chance(0.5)) {
      evaluate("ars", ars.id);
    }
  }

  const application = dossier.application();
  let wave1Reviewed: (SimulationDossier & { ownerId: string }) | null = null;
  if (inWave1 && path === "reviewed") {
    const recommended = dossier.rows.evaluations.map((row) => row.recommendedCents!);
    wave1Reviewed = {
      id: application.id!,
      reference,
      consolidatedScore: application.consolidatedScore!,
      arsScore: application.arsScore!,
      anctScore: application.anctScore!,
      populationCovered: application.populationCovered!,
      submittedAt: application.submittedAt!,
      regionCode: application.regionCode!,
      requestedCents: application.requestedCents!,
      totalCostCents: application.totalCostCents!,
      // The ranking's default award: the evaluators' mean recommendation (rounded like SQL's round(avg)).
      recommendedCents: Math.round(recommended.reduce((total, cents) => total + cents, 0) / recommended.length),
      ownerId,
    };
  }
  return { owner, organisation: organisationRow, membership, application: application as typeof applications.$inferInsert & { id: string; reference: string }, rows: dossier.rows, wave1Reviewed };
}


function emptyBuffer() {
  return {
    users: [] as Array<typeof users.$inferInsert>,
    organisations: [] as Array<typeof organisations.$inferInsert>,
    memberships: [] as Array<typeof memberships.$inferInsert>,
    applications: [] as Array<typeof applications.$inferInsert>,
    events: [] as Array<typeof applicationEvents.$inferInsert>,
    pieces: [] as Array<typeof applicationPieces.$inferInsert>,
    assignments: [] as Array<typeof evaluationAssignments.$inferInsert>,
    evaluations: [] as Array<typeof evaluations.$inferInsert>,
  };
}

async function insertBuffer(tx: Transaction, buffer: ReturnType<typeof emptyBuffer>) {
  await insertInBatches(buffer.users, (rows) => bulkInsert(tx, users, rows), ROWS_PER_STATEMENT);
  await insertInBatches(buffer.organisations, (rows) => bulkInsert(tx, organisations, rows), ROWS_PER_STATEMENT);
  await insertInBatches(buffer.memberships, (rows) => bulkInsert(tx, memberships, rows), ROWS_PER_STATEMENT);
  await insertInBatches(buffer.applications, (rows) => bulkInsert(tx, applications, rows), ROWS_PER_STATEMENT);
  await insertInBatches(buffer.events, (rows) => bulkInsert(tx, applicationEvents, rows), ROWS_PER_STATEMENT);
  await insertInBatches(buffer.pieces, (rows) => bulkInsert(tx, applicationPieces, rows), ROWS_PER_STATEMENT);
  await insertInBatches(buffer.assignments, (rows) => bulkInsert(tx, evaluationAssignments, rows), ROWS_PER_STATEMENT);
  await insertInBatches(buffer.evaluations, (rows) => bulkInsert(tx, evaluations, rows), ROWS_PER_STATEMENT);
}

function piecesFor(random: Random, rules: CallRules, files: ReadonlyMap<string, { sha256: string; sizeBytes: number }>): PieceRow[] {
  return rules.pieces
    .filter((piece) => piece.required || random.chance(0.3))
    .map((piece) => ({ pieceCode: piece.code, fileName: `${piece.code.replace(/_/g, "-")}.pdf`, mimeType: "application/pdf", ...files.get(piece.code)! }));
}

/**
 * Wave 1's decision as the programme team would take it from the simulator: the funded dossiers
 * selected at their proposed amount (committed in the ledger), the next ones below the cut on the
 * reserve list, the others rejected with the reason; then advances and balances paid on some
 * selected dossiers, and two selected dossiers withdrawn by their applicant (commitment released,
 * decision closed). Every entry is checked by the ledger's rules against the running balance.
 */
async function decideWave1(
  tx: Transaction,
  input: { random: Random; rules: CallRules; wave: typeof waves.$inferSelect; dossiers: Array<SimulationDossier & { ownerId: string }>; managerId: string; at: (random: Random, days: number) => Date; batchSize: number },
) {
  const { random, rules, wave, managerId } = input;
  const byId = new Map(input.dossiers.map((dossier) => [dossier.id, dossier]));
  const simulation = simulate(rankForSimulation(input.dossiers, rules), { remainingCents: wave.budgetCents, remainingBuses: wave.busTarget });
  const decidedAt = input.at(random, 150);
  const decisionRows: Array<typeof decisions.$inferInsert> = [];
  const events: Array<typeof applicationEvents.$inferInsert> = [];
  const statuses = new Map<string, { status: ApplicationStatus; at: Date; transitions: number }>();
  const movements: LedgerMovement[] = [];
  const entries: Array<typeof ledgerEntries.$inferInsert> = [];
  let waitlistRank = 0;

  for (const row of simulation.rows) {
    const dossier = byId.get(row.id)!;
    const id = random.uuid();
    if (row.outcome === "funded") {
      const refused = checkCommitment(balanceOf(wave, totalsOf(movements)), row.awardedCents, 1) ?? (awardProblem(dossier, row.awardedCents, rules.stateSharePercent) ? { message: awardProblem(dossier, row.awardedCents, rules.stateSharePercent)! } : null);
      if (refused) throw new Error(`Volume seed: the simulator funded ${row.reference} but the ledger refuses it: ${refused.message}`);
      movements.push({ kind: "commitment", amountCents: row.awardedCents, buses: 1, tranche: null });
      entries.push({ waveId: wave.id, applicationId: row.id, regionCode: dossier.regionCode, kind: "commitment", amountCents: row.awardedCents, buses: 1, actorId: managerId, motivation: "Décision de la vague 1", createdAt: decidedAt });
      decisionRows.push({ id, applicationId: row.id, waveId: wave.id, outcome: "selected", awardedCents: row.awardedCents, buses: 1, decidedBy: managerId, decidedAt });
      events.push({ applicationId: row.id, actorId: managerId, event: "select", fromStatus: "reviewed", toStatus: "selected", data: { decisionId: id, waveId: wave.id, awardedCents: row.awardedCents }, createdAt: decidedAt });
      statuses.set(row.id, { status: "selected", at: decidedAt, transitions: 1 });
    } else if (row.outcome === "below_cut" && waitlistRank < WAITLIST_MAX) {
      waitlistRank += 1;
      decisionRows.push({ id, applicationId: row.id, waveId: wave.id, outcome: "waitlisted", waitlistRank, decidedBy: managerId, decidedAt });
      events.push({ applicationId: row.id, actorId: managerId, event: "waitlist", fromStatus: "reviewed", toStatus: "waitlisted", data: { decisionId: id, waveId: wave.id, waitlistRank }, createdAt: decidedAt });
      statuses.set(row.id, { status: "waitlisted", at: decidedAt, transitions: 1 });
    } else {
      const motivation = row.outcome === "below_threshold" ? `Note insuffisante : ${row.reason}` : "Le budget de la vague ne permet pas de financer ce projet, classé sous la ligne de coupure.";
      decisionRows.push({ id, applicationId: row.id, waveId: wave.id, outcome: "rejected", motivation, decidedBy: managerId, decidedAt });
      events.push({ applicationId: row.id, actorId: managerId, event: "reject", fromStatus: "reviewed", toStatus: "rejected", motivation, data: { decisionId: id, waveId: wave.id }, createdAt: decidedAt });
      statuses.set(row.id, { status: "rejected", at: decidedAt, transitions: 1 });
    }
  }

  // Payments on the selected dossiers, and two withdrawals after selection (nothing paid on them).
  const selected = simulation.rows.filter((row) => row.outcome === "funded");
  const withdrawn = new Set(random.sample(selected, Math.min(2, Math.max(0, selected.length - 1))).map((row) => row.id));
  let payments = 0;
  for (const row of selected) {
    const dossier = byId.get(row.id)!;
    const own: LedgerMovement[] = [{ kind: "commitment", amountCents: row.awardedCents, buses: 1, tranche: null }];
    const position = () => dossierPosition(totalsOf(own));
    if (withdrawn.has(row.id)) {
      const at = input.at(random, 100);
      const motivation = "Le porteur renonce : le véhicule ne peut pas être livré avant la fin du programme.";
      const refused = checkRelease(position(), row.awardedCents, 1);
      if (refused) throw new Error(`Volume seed: release refused for ${row.reference}: ${refused.message}`);
      movements.push({ kind: "release", amountCents: row.awardedCents, buses: 1, tranche: null });
      entries.push({ waveId: wave.id, applicationId: row.id, regionCode: dossier.regionCode, kind: "release", amountCents: row.awardedCents, buses: 1, actorId: dossier.ownerId, motivation: `Retrait du dossier : ${motivation}`, createdAt: at });
      const decision = decisionRows.find((line) => line.applicationId === row.id)!;
      Object.assign(decision, { reopenedAt: at, reopenedBy: dossier.ownerId, reopenMotivation: `Dossier retiré : ${motivation}` });
      events.push({ applicationId: row.id, actorId: dossier.ownerId, event: "withdraw", fromStatus: "selected", toStatus: "withdrawn", motivation, data: {}, createdAt: at });
      statuses.set(row.id, { status: "withdrawn", at, transitions: 2 });
      continue;
    }
    if (!random.chance(0.7)) continue;
    const advance = maxAdvanceCents(row.awardedCents, rules.advanceSharePercent);
    const pay = (tranche: "advance" | "balance", amountCents: number, at: Date) => {
      const refused = checkPayment(position(), tranche, amountCents, rules.advanceSharePercent);
      if (refused) throw new Error(`Volume seed: payment refused for ${row.reference}: ${refused.message}`);
      own.push({ kind: "payment", amountCents, buses: 0, tranche });
      movements.push({ kind: "payment", amountCents, buses: 0, tranche });
      entries.push({ waveId: wave.id, applicationId: row.id, regionCode: dossier.regionCode, kind: "payment", amountCents, buses: 0, tranche, actorId: managerId, motivation: tranche === "advance" ? "Avance à la notification" : "Solde sur justificatifs", createdAt: at });
      payments += 1;
    };
    if (advance > 0) pay("advance", advance, input.at(random, 120));
    if (random.chance(0.3)) pay("balance", position().unpaidCents, input.at(random, 20));
  }

  await insertInBatches(entries, (rows) => bulkInsert(tx, ledgerEntries, rows), ROWS_PER_STATEMENT);
  await insertInBatches(decisionRows, (rows) => bulkInsert(tx, decisions, rows), ROWS_PER_STATEMENT);
  // The decision's history rows name the ledger entry of the commitment, as applyDecision does.
  const commitments = await tx.select({ id: ledgerEntries.id, applicationId: ledgerEntries.applicationId }).from(ledgerEntries).where(sql`${ledgerEntries.waveId} = ${wave.id} and ${ledgerEntries.kind} = 'commitment'`);
  const entryOf = new Map(commitments.map((row) => [row.applicationId, row.id]));
  for (const event of events) if (event.event === "select") event.data = { ...(event.data as Record<string, unknown>), ledgerEntryId: entryOf.get(event.applicationId) };
  await insertInBatches(events, (rows) => bulkInsert(tx, applicationEvents, rows), ROWS_PER_STATEMENT);
  const updates = [...statuses];
  await insertInBatches(updates, async (rows) => {
    const values = sql.join(rows.map(([id, change]) => sql`(${id}::uuid, ${change.status}::application_status, ${change.transitions}::int, ${change.at.toISOString()}::timestamptz)`), sql`, `);
    await tx.execute(sql`update ${applications} set status = v.status, version = ${applications.version} + v.transitions, updated_at = v.at from (values ${values}) as v(id, status, transitions, at) where ${applications.id} = v.id`);
  }, 4 * input.batchSize);

  const balance = balanceOf(wave, totalsOf(movements));
  return {
    selected: selected.length - withdrawn.size,
    waitlisted: waitlistRank,
    rejected: decisionRows.filter((row) => row.outcome === "rejected").length,
    withdrawnAfterSelection: withdrawn.size,
    payments,
    committedCents: balance.committedCents,
    paidCents: balance.paidCents,
    busesCommitted: balance.busesCommitted,
    ledgerEntries: entries.length,
  };
}
