import { and, asc, desc, eq, exists, gte, ilike, inArray, isNull, lte, or, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { db } from "~db/client.server";
import {
  APPLICATION_STATUSES,
  applications,
  conflictsOfInterest,
  evaluationAmendments,
  evaluationAssignments,
  evaluations,
  organisations,
  privateNotes,
  users,
  waves,
  type ApplicationStatus,
  type Rubric,
} from "~db/schema";
import type { SessionUser } from "~/modules/auth/roles";
import { TRANSITIONS } from "~/modules/applications/lifecycle";
import { listMessages, unreadCounts } from "~/modules/applications/messages.server";
import { loadDossierView } from "~/modules/applications/queries.server";
import { DomainError } from "~/utils/errors";
import { admissibilityChecklist } from "./admissibility";
import { canEvaluate } from "./assignment";
import { ASSIGNABLE_STATUSES, canAssign, candidateEvaluators } from "./assignments.server";
import { hasConflict } from "./dossier.server";
import { agentScopeCondition, findDossierForAgent } from "./policy.server";
import { DossierListFiltersSchema, parseInput, type DossierListFilters } from "./schema";
import { agentScope, isArsAgentOf, scopeCovers } from "./scope";

/** `%`, `_` and `\` typed in the search box are searched for, not wildcards. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The list's scope and filters as SQL, shared by the page (listDossiersForAgent) and its export
 * (app/modules/exports): an export holds exactly what the list shows. `common` is every filter
 * but the status (for the counts per status), `pageWhere` all of them. Queries using them join
 * `conflictJoin` (LEFT JOIN conflicts_of_interest) and read the scores through the returned columns.
 */
export function dossierListConditions(agent: SessionUser, rawFilters: DossierListFilters = {}) {
  const scope = agentScope(agent);
  if (!scope) throw new DomainError("not_an_agent", 403, "Cet espace est réservé aux agents instructeurs et à l'équipe programme.");
  const filters = parseInput(DossierListFiltersSchema, rawFilters, "Les filtres de la liste ne sont pas valides.");

  // The agent's conflict on the row, as a LEFT JOIN on the primary key (one probe per row, no per-row query).
  const conflictJoin = and(eq(conflictsOfInterest.applicationId, applications.id), eq(conflictsOfInterest.userId, agent.id));
  const visible = (column: AnyColumn) => sql<number | null>`case when ${conflictsOfInterest.userId} is null then ${column} end`;
  const consolidated = visible(applications.consolidatedScore);
  const ars = visible(applications.arsScore);
  const anct = visible(applications.anctScore);
  const assignedToMe = exists(
    db.select({ one: sql`1` }).from(evaluationAssignments).where(and(eq(evaluationAssignments.applicationId, applications.id), eq(evaluationAssignments.evaluatorId, agent.id))),
  );

  const search = filters.q ? or(ilike(applications.reference, likePattern(filters.q)), ilike(organisations.name, likePattern(filters.q)), ilike(applications.title, likePattern(filters.q))) : undefined;
  const common = and(
    agentScopeCondition(scope),
    filters.waveId ? eq(applications.waveId, filters.waveId) : undefined,
    filters.regionCode ? eq(applications.regionCode, filters.regionCode) : undefined,
    // Array containment, answered by the GIN index on departement_codes.
    filters.departementCode ? sql`${applications.departementCodes} @> array[${filters.departementCode}]::text[]` : undefined,
    filters.assignedToMe ? assignedToMe : undefined,
    filters.flagged ? and(eq(applications.scoreGapFlag, true), isNull(conflictsOfInterest.userId)) : undefined,
    filters.scoreMin !== undefined ? gte(consolidated, filters.scoreMin) : undefined,
    filters.scoreMax !== undefined ? lte(consolidated, filters.scoreMax) : undefined,
    search,
  );
  const pageWhere = and(common, filters.status ? eq(applications.status, filters.status) : undefined);
  return { filters, conflictJoin, consolidated, ars, anct, common, pageWhere };
}

/**
 * The instruction list: the dossiers an agent may see (scope in SQL), filtered, sorted and
 * paginated on the server, with counts per status. Two queries whatever the page size: the page
 * (organisation, wave and « assigned to me » joined in) and the counts (grouped by status, with
 * every filter but the status, so the status tabs show what each would list).
 *
 * Scores of dossiers on which the agent declared a conflict read as null (not shown, not
 * filtered on, sorted last): a conflicted agent sees no one else's scores.
 */
export async function listDossiersForAgent(agent: SessionUser, rawFilters: DossierListFilters = {}) {
  const { filters, conflictJoin, consolidated, ars, anct, common, pageWhere } = dossierListConditions(agent, rawFilters);

  const direction = filters.direction ?? (filters.sort === "submitted" || filters.sort === "score" || filters.sort === "population" ? "desc" : "asc");
  const by = (column: SQL | SQL.Aliased | Parameters<typeof asc>[0]) => (direction === "asc" ? asc(column) : desc(column));
  const order: SQL[] = {
    // The committee's ranking (scoring.ts compareForRanking), the first key reversible.
    score: [sql`${consolidated} ${sql.raw(direction)} nulls last`, sql`${ars} desc nulls last`, desc(applications.populationCovered), asc(applications.submittedAt), asc(applications.reference)],
    submitted: [by(applications.submittedAt), asc(applications.reference)],
    reference: [by(applications.reference)],
    organisation: [by(organisations.name), asc(applications.reference)],
    population: [by(applications.populationCovered), asc(applications.reference)],
  }[filters.sort];

  const offset = (filters.page - 1) * filters.pageSize;
  const [rows, countRows] = await Promise.all([
    db
      .select({
        id: applications.id,
        reference: applications.reference,
        title: applications.title,
        status: applications.status,
        regionCode: applications.regionCode,
        departementCodes: applications.departementCodes,
        populationCovered: applications.populationCovered,
        requestedCents: applications.requestedCents,
        submittedAt: applications.submittedAt,
        organisationName: organisations.name,
        organisationKind: organisations.kind,
        waveId: applications.waveId,
        waveTitle: waves.title,
        consolidatedScore: consolidated,
        arsScore: ars,
        anctScore: anct,
        scoreGapFlag: sql<boolean>`(${applications.scoreGapFlag} and ${conflictsOfInterest.userId} is null)`,
        conflictDeclared: sql<boolean>`(${conflictsOfInterest.userId} is not null)`,
        myRubrics: sql<Rubric[]>`array(select ${evaluationAssignments.rubric}::text from ${evaluationAssignments} where ${evaluationAssignments.applicationId} = ${applications.id} and ${evaluationAssignments.evaluatorId} = ${agent.id} order by 1)`,
      })
      .from(applications)
      .innerJoin(organisations, eq(organisations.id, applications.organisationId))
      .innerJoin(waves, eq(waves.id, applications.waveId))
      .leftJoin(conflictsOfInterest, conflictJoin)
      .where(pageWhere)
      .orderBy(...order)
      .limit(filters.pageSize)
      .offset(offset),
    // The organisation is joined only when the search needs its name: counting 10,000 rows
    // without the join is about twice as fast.
    (filters.q
      ? db.select({ status: applications.status, count: sql<number>`count(*)::int` }).from(applications).innerJoin(organisations, eq(organisations.id, applications.organisationId)).$dynamic()
      : db.select({ status: applications.status, count: sql<number>`count(*)::int` }).from(applications).$dynamic()
    )
      .leftJoin(conflictsOfInterest, conflictJoin)
      .where(common)
      .groupBy(applications.status),
  ]);

  const counts = Object.fromEntries(APPLICATION_STATUSES.filter((status) => status !== "draft").map((status) => [status, 0])) as Record<Exclude<ApplicationStatus, "draft">, number>;
  for (const row of countRows) if (row.status !== "draft") counts[row.status] = row.count;
  const total = filters.status ? (counts[filters.status as keyof typeof counts] ?? 0) : Object.values(counts).reduce((sum, count) => sum + count, 0);
  return {
    filters,
    dossiers: rows.map((row) => ({ ...row, submittedAt: row.submittedAt?.toISOString() ?? null, myRubrics: row.myRubrics ?? [] })),
    counts,
    total,
    page: filters.page,
    pageSize: filters.pageSize,
    pageCount: Math.max(1, Math.ceil(total / filters.pageSize)),
  };
}

export type DossierList = Awaited<ReturnType<typeof listDossiersForAgent>>;

/**
 * The instruction page of a dossier: the dossier view (content, pieces, territory, budget,
 * history), the admissibility checklist, the evaluations this agent may see, the private notes,
 * the assignments, the messages, and what the agent may do. 404 outside its scope.
 *
 * Visibility of evaluations: an agent sees the submitted evaluations and its own draft; others'
 * drafts are work in progress. An agent who declared a conflict sees none, and no score.
 */
export async function getInstructionView(agent: SessionUser, reference: string, now = new Date()) {
  const dossier = await findDossierForAgent(agent, reference);
  const [view, conflicted, assignmentRows, evaluationRows, notes, messages, unread] = await Promise.all([
    loadDossierView(dossier, now),
    hasConflict(db, dossier.id, agent.id),
    db
      .select({ rubric: evaluationAssignments.rubric, evaluatorId: evaluationAssignments.evaluatorId, evaluatorName: users.name, assignedAt: evaluationAssignments.assignedAt, dueAt: evaluationAssignments.dueAt })
      .from(evaluationAssignments)
      .innerJoin(users, eq(users.id, evaluationAssignments.evaluatorId))
      .where(eq(evaluationAssignments.applicationId, dossier.id))
      .orderBy(asc(evaluationAssignments.rubric), asc(users.name)),
    db
      .select({
        id: evaluations.id,
        rubric: evaluations.rubric,
        evaluatorId: evaluations.evaluatorId,
        evaluatorName: users.name,
        scores: evaluations.scores,
        avis: evaluations.avis,
        recommendedCents: evaluations.recommendedCents,
        status: evaluations.status,
        weightedScore: evaluations.weightedScore,
        submittedAt: evaluations.submittedAt,
        amendedAt: evaluations.amendedAt,
        version: evaluations.version,
        updatedAt: evaluations.updatedAt,
      })
      .from(evaluations)
      .innerJoin(users, eq(users.id, evaluations.evaluatorId))
      .where(eq(evaluations.applicationId, dossier.id))
      .orderBy(asc(evaluations.rubric), asc(users.name)),
    db
      .select({ id: privateNotes.id, body: privateNotes.body, createdAt: privateNotes.createdAt, authorName: users.name, authorId: privateNotes.authorId })
      .from(privateNotes)
      .leftJoin(users, eq(users.id, privateNotes.authorId))
      .where(eq(privateNotes.applicationId, dossier.id))
      .orderBy(asc(privateNotes.createdAt)),
    listMessages(dossier.id),
    unreadCounts(agent.id, [dossier.id], "agent"),
  ]);

  const visibleEvaluations = conflicted ? [] : evaluationRows.filter((row) => row.status === "submitted" || row.evaluatorId === agent.id);
  const amendments =
    visibleEvaluations.length === 0
      ? []
      : await db
          .select({ evaluationId: evaluationAmendments.evaluationId, previous: evaluationAmendments.previous, reason: evaluationAmendments.reason, at: evaluationAmendments.at, amendedByName: users.name })
          .from(evaluationAmendments)
          .leftJoin(users, eq(users.id, evaluationAmendments.amendedBy))
          .where(inArray(evaluationAmendments.evaluationId, visibleEvaluations.map((row) => row.id)))
          .orderBy(asc(evaluationAmendments.at));

  const rules = view.call.rules;
  const region = dossier.regionCode;
  const mayAssign = { ars: canAssign(agent, "ars", region), anct: canAssign(agent, "anct", region) };
  const assignable = ASSIGNABLE_STATUSES.includes(dossier.status);
  const submittedKeys = new Set(evaluationRows.filter((row) => row.status === "submitted").map((row) => `${row.rubric}:${row.evaluatorId}`));
  const myRubrics = assignmentRows.filter((row) => row.evaluatorId === agent.id && canEvaluate(row.rubric, agent.roles, region)).map((row) => row.rubric);

  const conflictsHere = assignable && (mayAssign.ars || mayAssign.anct) ? await db.select({ userId: conflictsOfInterest.userId }).from(conflictsOfInterest).where(eq(conflictsOfInterest.applicationId, dossier.id)) : [];
  const conflictedIds = new Set(conflictsHere.map((row) => row.userId));
  const assignedKeys = new Set(assignmentRows.map((row) => `${row.rubric}:${row.evaluatorId}`));
  const evaluatorChoices = async (rubric: Rubric) =>
    assignable && mayAssign[rubric]
      ? (await candidateEvaluators(db, rubric))
          .filter((candidate) => scopeCovers(candidate.scope, region) && !conflictedIds.has(candidate.id) && !assignedKeys.has(`${rubric}:${candidate.id}`))
          .map(({ id, name, load }) => ({ id, name, load }))
      : [];
  const [arsChoices, anctChoices] = await Promise.all([evaluatorChoices("ars"), evaluatorChoices("anct")]);

  const isArs = isArsAgentOf(agent, region);
  return {
    ...view,
    checklist: admissibilityChecklist({
      rules,
      missing: view.missing,
      budgetChecks: view.budget.checks,
      organisationKind: view.organisation.kind,
      dossierRegionCode: region,
      territory: { regionCodes: view.territory.regionCodes, communeCount: view.territory.communes.length },
    }),
    rubrics: { criteria: rules.rubrics, weights: rules.rubricWeights, scoreGapThreshold: rules.scoreGapThreshold },
    scores: conflicted
      ? null
      : { ars: dossier.arsScore, anct: dossier.anctScore, consolidated: dossier.consolidatedScore, gapFlag: dossier.scoreGapFlag },
    conflictDeclared: conflicted,
    assignments: assignmentRows.map((row) => ({
      ...row,
      assignedAt: row.assignedAt.toISOString(),
      dueAt: row.dueAt.toISOString(),
      overdue: row.dueAt < now && !submittedKeys.has(`${row.rubric}:${row.evaluatorId}`),
      // Whether this evaluator has submitted is not a score: even a conflicted agent may know the work is done.
      submitted: submittedKeys.has(`${row.rubric}:${row.evaluatorId}`),
    })),
    evaluations: visibleEvaluations.map((row) => ({
      ...row,
      mine: row.evaluatorId === agent.id,
      submittedAt: row.submittedAt?.toISOString() ?? null,
      amendedAt: row.amendedAt?.toISOString() ?? null,
      updatedAt: row.updatedAt.toISOString(),
      amendments: amendments.filter((amendment) => amendment.evaluationId === row.id).map((amendment) => ({ ...amendment, at: amendment.at.toISOString() })),
    })),
    privateNotes: notes.map((note) => ({ ...note, createdAt: note.createdAt.toISOString() })),
    messages: messages.map((message) => ({ ...message, createdAt: message.createdAt.toISOString() })),
    unreadMessages: unread.get(dossier.id) ?? 0,
    evaluatorChoices: { ars: arsChoices, anct: anctChoices },
    can: {
      decideAdmissibility: isArs && dossier.status === "submitted",
      requestCorrections: isArs && (TRANSITIONS.request_changes.from as readonly ApplicationStatus[]).includes(dossier.status),
      assign: { ars: assignable && mayAssign.ars, anct: assignable && mayAssign.anct },
      /** The rubrics this agent may score here now (assigned, entitled, no conflict, under review). */
      evaluate: conflicted || dossier.status !== "under_review" ? [] : myRubrics,
      amend: conflicted || (dossier.status !== "under_review" && dossier.status !== "reviewed") ? [] : myRubrics.filter((rubric) => submittedKeys.has(`${rubric}:${agent.id}`)),
      declareConflict: !conflicted,
    },
  };
}

export type InstructionView = Awaited<ReturnType<typeof getInstructionView>>;
