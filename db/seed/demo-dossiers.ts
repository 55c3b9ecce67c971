import { asc, eq, inArray, sql } from "drizzle-orm";
import { db, transaction } from "~db/client.server";
import {
  applicationEvents,
  applicationPieces,
  applications,
  calls,
  evaluationAssignments,
  evaluations,
  memberships,
  organisations,
  roleAssignments,
  users,
  waves,
  type ApplicationStatus,
  type OrganisationKind,
  type Role,
} from "~db/schema";
import { recordAudit } from "~/modules/audit/service.server";
import type { FormData } from "~/modules/applications/form";
import { readCallRules, type CallRules } from "~/modules/calls/schema";
import { zonedInstant, zonedToday } from "~/modules/calls/time";
import { fileStorage } from "~/modules/files/storage.server";
import { regionName } from "~/modules/geo/regions";
import {
  consolidationOf,
  createRandom,
  DAY_MS,
  dossierBuilder,
  evaluationContent,
  formDataFor,
  marksFor,
  organisationFor,
  placeholderPdf,
  referenceFor,
  ruralIntercommunalities,
  slug,
  stateShareWithin,
  territoryOf,
  userIdFor,
  type Intercommunality,
  type OrganisationDraft,
  type PieceRow,
  type Random,
} from "./generate";

/*
 * The demo dossiers of the demo call, so that the programme, instruction and applicant pages
 * show something on a first visit: wave 1 (closed) ranked and ready for the programme team's
 * decisions, with a real cut line; wave 2 (open) with work for the ARS of Normandie.
 *
 * Wave 1: reviewed dossiers asking in total about 1.3 times what the wave can fund, so that the
 * simulator shows funded dossiers, a cut, and candidates for the reserve list (the euros bind
 * before the 50 buses: about 45 dossiers are funded). One médicobus per dossier: the portal
 * commits one bus per selected dossier (budget/decisions.server.ts). Among them a few ties, three
 * ARS/ANCT gaps above the call's threshold, three dossiers under the funding thresholds; plus
 * inadmissible dossiers and a withdrawn one. No decision and no ledger entry: those are the
 * programme team's to take.
 *
 * The rows are what the services write (derived columns by derivedColumns, submission snapshot
 * and hash as submitDossier, scores by scoring.ts, one history row per transition), built by the
 * shared dossier builder (generate.ts) and inserted table by table in one transaction. Going
 * through the verbs instead (a dozen transactions per dossier, each with its audit row) would
 * add to every first start and queue receipts and notifications for people who do not exist;
 * one audit row records the seeding. The demo applicant (porteur@) gets nothing: its journeys
 * start from an account without organisation.
 */

export const DEMO_WAVE1_APPLICANT_EMAIL = "porteur.vague1@demo.medicobus.fr";
export const DEMO_WAVE1_APPLICANT_NAME = "Porteur vague 1 (démo)";
/** The wave-1 dossier ranked first, owned by DEMO_WAVE1_APPLICANT_EMAIL. */
export const DEMO_TOP_DOSSIER_REFERENCE = "MB-2024-V1TQP0";

/** Every demo reference carries the real call's year (the demo call is « medicobus-2024 »). */
const REFERENCE_YEAR = 2024;
const SEED = 2024;
const EMAIL_DOMAIN = "demo.medicobus.fr";
/** Arbitrary constant: serialises two processes seeding the same database at start. */
const DEMO_DOSSIERS_LOCK = 7_263_040;
/** What wave 1's reviewed dossiers ask for, as a multiple of its budget. */
const WAVE1_DEMAND_RATIO = 1.3;
/** Wave 1's régions, in the order dossiers are spread over them (Normandie has its own demo agent). */
const WAVE1_REGIONS = ["24", "53", "28", "76", "75", "84", "27", "44", "52", "32", "93", "94", "11", "03"];
/** The marks of the dossier ranked first: no ordinary dossier reaches its score. */
const TOP_MARKS = { ars: [5, 5, 5, 4, 5], anct: [5, 5, 4, 5] };
const KINDS: readonly OrganisationKind[] = ["cpts", "commune", "epci", "cpts", "centre_sante", "cpts", "msp", "epci", "commune", "departement"];

const ADMISSION_MOTIVATION = "Dossier complet ; porteur éligible ; territoire dans la région ; budget conforme au cahier des charges.";
const INELIGIBLE_MOTIVATIONS = [
  "Le projet décrit un cabinet secondaire fixe installé dans un bâtiment communal, et non un médicobus itinérant : il sort du périmètre de l'appel à projets.",
  "Le territoire est déjà desservi par un médicobus financé par l'ARS en 2023 sur les mêmes communes : le dossier ne répond pas au critère d'absence d'offre.",
  "La délibération jointe n'autorise pas le maire à engager la commune sur trois ans, et le porteur n'a pas pu en produire une autre avant la clôture.",
];

export interface DemoAccounts {
  /** The programme manager who assigned the evaluations. */
  managerEmail: string;
  /** The demo ARS agent of Normandie, who admitted the Normandie dossiers of wave 2. */
  arsEmail: string;
  /** The demo national ANCT agent, with a pending evaluation in wave 2. */
  anctEmail: string;
}

type Quality =
  | { kind: "marks"; ars: number[]; anct: number[] }
  | { kind: "quality"; value: number }
  | { kind: "copy"; of: number };

interface DossierSpec {
  wave: 1 | 2;
  regionCode: string;
  status: ApplicationStatus;
  kind: OrganisationKind;
  quality?: Quality;
  /** The reference, when it must be known in advance. */
  reference?: string;
  ownerEmail?: string;
  /** wave 2, under review: who holds its evaluations. */
  evaluation?: "demo_agents" | "none" | "ars_done";
  /** Drawn with the spec for wave 1 (the cut line depends on it), at planning otherwise. */
  requestedCents?: number;
  /** False for the dossiers written to fall under a funding threshold. */
  fundable?: boolean;
}

/** The seeded evaluators: one ARS agent per région, two national ANCT agents. */
function evaluatorsFor(regionCodes: readonly string[]) {
  return [
    ...regionCodes.map((code) => ({ email: `evaluation.ars.${slug(regionName(code))}@${EMAIL_DOMAIN}`, name: `ARS ${regionName(code)} (démo)`, role: "ars_agent" as Role, regionCode: code as string | null })),
    { email: `evaluation.anct.1@${EMAIL_DOMAIN}`, name: "ANCT équipe nationale 1 (démo)", role: "anct_agent" as Role, regionCode: null },
    { email: `evaluation.anct.2@${EMAIL_DOMAIN}`, name: "ANCT équipe nationale 2 (démo)", role: "anct_agent" as Role, regionCode: null },
  ];
}

/**
 * The demo dossiers, if the demo call has none of them yet; returns how many were created (0 when
 * they were already there). Safe at every start and with several processes starting together.
 */
export async function seedDemoDossiers(callSlug: string, accounts: DemoAccounts, now = new Date()) {
  // Cheap check first: at every start but the first, nothing else runs.
  if (await alreadySeeded()) return { created: 0 };
  const pieceFiles = await storePieceFiles();
  return transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${DEMO_DOSSIERS_LOCK})`);
    const [existing] = await tx.select({ id: applications.id }).from(applications).where(eq(applications.reference, DEMO_TOP_DOSSIER_REFERENCE));
    if (existing) return { created: 0 };
    const [call] = await tx.select().from(calls).where(eq(calls.slug, callSlug));
    if (!call) throw new Error(`Demo call ${callSlug} not found: seed the demo call first`);
    const callWaves = await tx.select().from(waves).where(eq(waves.callId, call.id)).orderBy(asc(waves.number));
    const known = await tx
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(inArray(users.email, [accounts.managerEmail, accounts.arsEmail, accounts.anctEmail, DEMO_WAVE1_APPLICANT_EMAIL]));
    const idOf = (email: string) => {
      const found = known.find((user) => user.email === email);
      if (!found) throw new Error(`Demo account ${email} not found: seed the demo accounts first`);
      return found.id;
    };
    const plan = planDemoDossiers({
      callId: call.id,
      rules: readCallRules(call.rules),
      waves: callWaves,
      accounts: { managerId: idOf(accounts.managerEmail), arsId: idOf(accounts.arsEmail), anctId: idOf(accounts.anctEmail), wave1ApplicantId: idOf(DEMO_WAVE1_APPLICANT_EMAIL) },
      pieceFiles,
      now,
    });

    await tx.insert(users).values(plan.users).onConflictDoNothing({ target: users.email });
    // An evaluator account may already exist (a previous demo): use its id.
    const evaluatorRows = await tx.select({ id: users.id, email: users.email }).from(users).where(inArray(users.email, plan.evaluators.map((evaluator) => evaluator.email)));
    const evaluatorId = new Map(plan.evaluators.map((evaluator) => [evaluator.id, evaluatorRows.find((row) => row.email === evaluator.email)!.id]));
    await tx.insert(roleAssignments).values(plan.evaluators.map((evaluator) => ({ userId: evaluatorId.get(evaluator.id)!, role: evaluator.role, regionCode: evaluator.regionCode }))).onConflictDoNothing();
    const remap = <T extends Record<string, unknown>>(rows: T[], keys: Array<keyof T>) => rows.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, keys.includes(key) && typeof value === "string" ? (evaluatorId.get(value) ?? value) : value])) as T);

    await tx.insert(organisations).values(plan.organisations);
    await tx.insert(memberships).values(plan.memberships);
    await tx.insert(applications).values(plan.applications);
    await tx.insert(applicationPieces).values(plan.pieces);
    await tx.insert(applicationEvents).values(remap(plan.events, ["actorId"]));
    if (plan.assignments.length > 0) await tx.insert(evaluationAssignments).values(remap(plan.assignments, ["evaluatorId"]));
    if (plan.evaluations.length > 0) await tx.insert(evaluations).values(remap(plan.evaluations, ["evaluatorId"]));
    const counts: Record<string, number> = {};
    for (const row of plan.applications) counts[row.status!] = (counts[row.status!] ?? 0) + 1;
    await recordAudit(tx, { actorId: null, action: "demo.seed_dossiers", entityType: "call", entityId: call.id, data: { dossiers: plan.applications.length, byStatus: counts } });
    return { created: plan.applications.length };
  });
}

async function alreadySeeded() {
  const [row] = await db.select({ id: applications.id }).from(applications).where(eq(applications.reference, DEMO_TOP_DOSSIER_REFERENCE));
  return Boolean(row);
}

/** The placeholder PDFs of the pieces, one per piece code (content-addressed: stored once). */
async function storePieceFiles() {
  const files = new Map<string, { sha256: string; sizeBytes: number }>();
  const rules = readCallRules({});
  for (const piece of rules.pieces) {
    const bytes = placeholderPdf(piece.label);
    const stored = await fileStorage().put(bytes);
    files.set(piece.code, stored);
  }
  return files;
}

interface PlanInput {
  callId: string;
  rules: CallRules;
  waves: Array<typeof waves.$inferSelect>;
  accounts: { managerId: string; arsId: string; anctId: string; wave1ApplicantId: string };
  /** sha256 and size of each piece code's file (placeholders when the files are not stored). */
  pieceFiles: ReadonlyMap<string, { sha256: string; sizeBytes: number }>;
  now: Date;
}

/**
 * Everything to insert, computed without the database: the demo's content is a pure function of
 * the call, its waves, the accounts and today's date (the tests read it from the same function).
 */
export function planDemoDossiers(input: PlanInput) {
  const random = createRandom(SEED);
  const { rules, now } = input;
  const today = zonedToday("Europe/Paris", now);
  const wave1 = input.waves.find((wave) => wave.number === 1);
  const wave2 = input.waves.find((wave) => wave.number === 2);
  if (!wave1 || !wave2) throw new Error("The demo call needs waves 1 and 2");
  // Noon in Paris of each day, computed once per day: the time-zone conversion is the costly part
  // of planning, and office hours never cross a daylight-saving change (at 2 or 3 a.m.).
  const noons = new Map<number, number>();
  /** An instant `days` before today, at a Paris wall-clock time (drawn in office hours by default). */
  const daysAgo = (days: number, time = `${random.int(8, 18)}:${random.int(0, 59)}`) => {
    let noon = noons.get(days);
    if (noon === undefined) {
      noon = zonedInstant(new Date(Date.parse(`${today}T00:00:00Z`) - days * DAY_MS).toISOString().slice(0, 10), "12:00", "Europe/Paris").getTime();
      noons.set(days, noon);
    }
    const [hours, minutes] = time.split(":").map(Number);
    return new Date(noon + ((hours - 12) * 60 + minutes) * 60_000);
  };
  const later = (instant: Date, minutes: number) => new Date(instant.getTime() + minutes * 60_000);

  const evaluatorList = evaluatorsFor([...new Set([...WAVE1_REGIONS, "28"])]).map((evaluator) => ({ ...evaluator, id: userIdFor(random) }));
  const arsEvaluatorOf = (regionCode: string) => evaluatorList.find((evaluator) => evaluator.role === "ars_agent" && evaluator.regionCode === regionCode)!;
  const anctEvaluators = evaluatorList.filter((evaluator) => evaluator.role === "anct_agent");

  const specs = wave1Specs(random, wave1.budgetCents);
  specs.push(...wave2Specs());

  const usedEpcis = new Set<string>();
  const usedEmails = new Set<string>();
  const usedReferences = new Set<string>([DEMO_TOP_DOSSIER_REFERENCE]);
  const plan = {
    users: [] as Array<typeof users.$inferInsert>,
    evaluators: evaluatorList,
    organisations: [] as Array<typeof organisations.$inferInsert>,
    memberships: [] as Array<typeof memberships.$inferInsert>,
    applications: [] as Array<typeof applications.$inferInsert>,
    pieces: [] as Array<typeof applicationPieces.$inferInsert>,
    events: [] as Array<typeof applicationEvents.$inferInsert>,
    assignments: [] as Array<typeof evaluationAssignments.$inferInsert>,
    evaluations: [] as Array<typeof evaluations.$inferInsert>,
  };
  for (const evaluator of evaluatorList) {
    plan.users.push({ id: evaluator.id, email: evaluator.email, name: evaluator.name, passwordHash: null, emailVerifiedAt: null, createdAt: daysAgo(150, "09:00") });
  }

  const marksBySpec: Array<{ ars: Record<string, number>; anct: Record<string, number> } | null> = [];
  for (const [index, spec] of specs.entries()) {
    const wave = spec.wave === 1 ? wave1 : wave2;
    const epci = pickIntercommunality(random, spec.regionCode, usedEpcis);
    const regionCode = epci.regionCode;
    const communes = territoryOf(random, epci, random.int(4, 9));
    let organisation: OrganisationDraft = organisationFor(random, spec.kind, epci, EMAIL_DOMAIN);
    const createdAt = spec.wave === 1 ? daysAgo(random.int(72, 115)) : daysAgo(random.int(12, 18));

    // The owner: the wave-1 demo applicant for the top dossier, a person who cannot sign in otherwise.
    let ownerId: string;
    if (spec.ownerEmail === DEMO_WAVE1_APPLICANT_EMAIL) {
      ownerId = input.accounts.wave1ApplicantId;
      organisation = { ...organisation, contactName: DEMO_WAVE1_APPLICANT_NAME, contactEmail: DEMO_WAVE1_APPLICANT_EMAIL };
    } else {
      ownerId = userIdFor(random);
      let email = organisation.contactEmail;
      for (let n = 2; usedEmails.has(email); n++) email = organisation.contactEmail.replace("@", `.${n}@`);
      usedEmails.add(email);
      organisation = { ...organisation, contactEmail: email };
      plan.users.push({ id: ownerId, email, name: organisation.contactName, passwordHash: null, emailVerifiedAt: createdAt, createdAt: later(createdAt, -30) });
    }
    const organisationId = random.uuid();
    const { signatoryCapacity: _capacity, ...organisationColumns } = organisation;
    plan.organisations.push({ id: organisationId, ...organisationColumns, createdBy: ownerId, createdAt: later(createdAt, -20) });
    plan.memberships.push({ organisationId, userId: ownerId, role: "owner", createdAt: later(createdAt, -20) });

    let reference = spec.reference ?? referenceFor(random, REFERENCE_YEAR);
    while (!spec.reference && usedReferences.has(reference)) reference = referenceFor(random, REFERENCE_YEAR);
    usedReferences.add(reference);
    const requestedCents = spec.requestedCents ?? requestDraw(random);
    let formData: FormData = formDataFor(random, { organisation, epci, communes, requestedCents, stateShare: stateShareWithin(random, rules.stateSharePercent), projectYears: rules.projectYears, today });
    if (spec.status === "draft") formData = { porteur: formData.porteur, territoire: formData.territoire };
    let submittedAt = createdAt;
    const dossier = dossierBuilder(random, rules, { id: random.uuid(), reference, callId: input.callId, waveId: wave.id, organisationId, ownerId, formData, createdAt });

    if (spec.status !== "draft") {
      const pieces: PieceRow[] = rules.pieces
        .filter((piece) => piece.required || (piece.code === "plan_amenagement" && random.chance(0.5)))
        .map((piece) => ({ pieceCode: piece.code, fileName: `${piece.code.replace(/_/g, "-")}.pdf`, mimeType: "application/pdf", ...input.pieceFiles.get(piece.code)! }));
      submittedAt = spec.wave === 1 ? daysAgo(random.int(31, 68)) : daysAgo(random.int(3, 11));
      dossier.submit(submittedAt, pieces);
    }

    const arsEvaluator = arsEvaluatorOf(regionCode);
    // Wave 2 in Normandie: the demo ARS agent has been at work.
    const admitter = spec.wave === 2 && regionCode === "28" ? input.accounts.arsId : arsEvaluator.id;
    const admitAt = spec.wave === 1 ? daysAgo(random.int(24, 29)) : daysAgo(random.int(1, 2));
    if (spec.status === "ineligible") {
      dossier.transition("ineligible", "declare_ineligible", admitter, admitAt, { motivation: INELIGIBLE_MOTIVATIONS[index % INELIGIBLE_MOTIVATIONS.length], data: { failedChecks: [] } });
    }
    if (spec.status === "withdrawn") {
      dossier.transition("withdrawn", "withdraw", ownerId, later(submittedAt, random.int(60 * 24, 60 * 24 * 5)), { motivation: "Le conseil communautaire a choisi de rejoindre le projet départemental de médicobus, qui sera déposé en vague 2." });
    }
    if (spec.status === "under_review" || spec.status === "reviewed") {
      dossier.transition("under_review", "admit", admitter, admitAt, { motivation: ADMISSION_MOTIVATION, data: { failedChecks: [] } });
    }

    if (spec.status === "reviewed") {
      const marks = marksOf(spec.quality!, marksBySpec, random, rules);
      marksBySpec[index] = marks;
      const anctEvaluator = anctEvaluators[index % anctEvaluators.length];
      const assignedAt = later(admitAt, random.int(60, 60 * 24));
      dossier.assign("ars", arsEvaluator.id, input.accounts.managerId, assignedAt).assign("anct", anctEvaluator.id, input.accounts.managerId, assignedAt);
      dossier.evaluate("ars", arsEvaluator.id, marks.ars, daysAgo(random.int(6, 20)));
      dossier.evaluate("anct", anctEvaluator.id, marks.anct, daysAgo(random.int(5, 20)));
      dossier.completeReview();
    } else {
      marksBySpec[index] = null;
    }
    if (spec.status === "under_review" && spec.evaluation !== "none") {
      const assignedAt = later(admitAt, random.int(30, 300));
      if (spec.evaluation === "demo_agents") {
        dossier.assign("ars", input.accounts.arsId, input.accounts.managerId, assignedAt).assign("anct", input.accounts.anctId, input.accounts.managerId, assignedAt);
      } else {
        dossier.assign("ars", arsEvaluator.id, input.accounts.managerId, assignedAt).assign("anct", input.accounts.anctId, input.accounts.managerId, assignedAt);
        dossier.evaluate("ars", arsEvaluator.id, marksFor(random, rules.rubrics.ars, 0.72), later(assignedAt, random.int(120, 600)));
      }
    }

    plan.applications.push(dossier.application());
    plan.events.push(...dossier.rows.events);
    plan.pieces.push(...dossier.rows.pieces);
    plan.assignments.push(...dossier.rows.assignments);
    plan.evaluations.push(...dossier.rows.evaluations);
  }
  return plan;
}

/**
 * A rural intercommunality of the région not used yet by another demo dossier; when the région has
 * none left (small overseas régions), one of the next région in the list.
 */
function pickIntercommunality(random: Random, regionCode: string, used: Set<string>): Intercommunality {
  const order = [regionCode, ...WAVE1_REGIONS.slice(WAVE1_REGIONS.indexOf(regionCode) + 1), ...WAVE1_REGIONS];
  for (const code of order) {
    const candidates = ruralIntercommunalities(code).filter((epci) => !used.has(epci.code));
    if (candidates.length === 0) continue;
    const chosen = random.pick(candidates);
    used.add(chosen.code);
    return chosen;
  }
  throw new Error("No intercommunality left for the demo dossiers");
}

/**
 * Wave 1. The first dossier is the top of the ranking (marks that no other reaches); then the
 * dossiers with a story (gaps, ties, under the thresholds), then ordinary ones until the fundable
 * dossiers ask for WAVE1_DEMAND_RATIO × the wave's budget; then inadmissible and withdrawn ones.
 */
function wave1Specs(random: Random, budgetCents: number): DossierSpec[] {
  let region = 0;
  const nextRegion = () => WAVE1_REGIONS[region++ % WAVE1_REGIONS.length];
  const reviewed = (quality: Quality, extra: Partial<DossierSpec> = {}): DossierSpec => ({ wave: 1, regionCode: nextRegion(), status: "reviewed", kind: KINDS[region % KINDS.length], quality, requestedCents: requestDraw(random), ...extra });
  const specs: DossierSpec[] = [
    reviewed({ kind: "marks", ...TOP_MARKS }, { reference: DEMO_TOP_DOSSIER_REFERENCE, ownerEmail: DEMO_WAVE1_APPLICANT_EMAIL, kind: "cpts" }),
    // ARS/ANCT gaps above the threshold, still fundable: the ARS convinced and the ANCT less so, and the reverse.
    reviewed({ kind: "marks", ars: [5, 4, 5, 4, 4], anct: [3, 3, 3, 3] }),
    reviewed({ kind: "marks", ars: [3, 2, 3, 3, 3], anct: [5, 5, 4, 5] }),
    // Under the funding thresholds: overall, ANCT, ARS (the last one with a gap too).
    reviewed({ kind: "marks", ars: [2, 2, 3, 2, 2], anct: [2, 3, 2, 2] }, { fundable: false }),
    reviewed({ kind: "marks", ars: [3, 2, 3, 3, 2], anct: [2, 2, 2, 1] }, { fundable: false }),
    reviewed({ kind: "marks", ars: [2, 1, 2, 2, 2], anct: [4, 4, 3, 4] }, { fundable: false }),
  ];
  const target = budgetCents * WAVE1_DEMAND_RATIO;
  let asked = specs.filter((spec) => spec.fundable !== false).reduce((total, spec) => total + spec.requestedCents!, 0);
  let ties = 0;
  while (asked < target) {
    // Ties: three dossiers get the marks of the one three places before them.
    const spec = specs.length % 11 === 0 && ties++ < 3 ? reviewed({ kind: "copy", of: specs.length - 3 }) : reviewed({ kind: "quality", value: 0.5 + random.next() * 0.4 });
    specs.push(spec);
    asked += spec.requestedCents!;
  }
  for (let n = 0; n < 3; n++) specs.push({ wave: 1, regionCode: nextRegion(), status: "ineligible", kind: KINDS[(n * 3) % KINDS.length] });
  specs.push({ wave: 1, regionCode: nextRegion(), status: "withdrawn", kind: "epci" });
  return specs;
}

/** A request for one médicobus: €85k to €140k in whole thousands. */
const requestDraw = (random: Random) => random.int(85, 140) * 1000_00;

/** Wave 2 (open): work for the ARS of Normandie, a draft, and a few dossiers elsewhere. */
function wave2Specs(): DossierSpec[] {
  return [
    { wave: 2, regionCode: "28", status: "submitted", kind: "cpts" },
    { wave: 2, regionCode: "28", status: "submitted", kind: "commune" },
    { wave: 2, regionCode: "28", status: "under_review", kind: "epci", evaluation: "demo_agents" },
    { wave: 2, regionCode: "28", status: "under_review", kind: "centre_sante", evaluation: "none" },
    { wave: 2, regionCode: "28", status: "under_review", kind: "cpts", evaluation: "ars_done" },
    { wave: 2, regionCode: "28", status: "draft", kind: "msp" },
    { wave: 2, regionCode: "53", status: "submitted", kind: "cpts" },
    { wave: 2, regionCode: "76", status: "submitted", kind: "departement" },
  ];
}


/**
 * The marks of a reviewed dossier. Ordinary dossiers are drawn around their quality again until
 * they are fundable, not flagged, and below the top dossier — the demo's stories are the ones
 * written above, not accidents of the draw.
 */
function marksOf(quality: Quality, previous: ReadonlyArray<{ ars: Record<string, number>; anct: Record<string, number> } | null>, random: Random, rules: CallRules) {
  const byCriteria = (rubric: "ars" | "anct", values: number[]) => Object.fromEntries(rules.rubrics[rubric].map((criterion, index) => [criterion.code, values[index] ?? values[values.length - 1]]));
  if (quality.kind === "marks") return { ars: byCriteria("ars", quality.ars), anct: byCriteria("anct", quality.anct) };
  if (quality.kind === "copy") return previous[quality.of]!;
  const top = consolidationOf({ ars: evaluationContent(rules.rubrics.ars, byCriteria("ars", TOP_MARKS.ars)).weightedScore, anct: evaluationContent(rules.rubrics.anct, byCriteria("anct", TOP_MARKS.anct)).weightedScore }, rules);
  for (;;) {
    const marks = { ars: marksFor(random, rules.rubrics.ars, quality.value), anct: marksFor(random, rules.rubrics.anct, quality.value) };
    const scores = consolidationOf({ ars: evaluationContent(rules.rubrics.ars, marks.ars).weightedScore, anct: evaluationContent(rules.rubrics.anct, marks.anct).weightedScore }, rules);
    const fundable = scores.arsScore >= rules.fundingThresholds.ars * 100 && scores.anctScore >= rules.fundingThresholds.anct * 100 && scores.consolidatedScore >= rules.fundingThresholds.overall * 100;
    if (fundable && !scores.scoreGapFlag && scores.consolidatedScore < top.consolidatedScore) return marks;
  }
}
