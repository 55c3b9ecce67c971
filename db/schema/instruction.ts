import { bigint, bigserial, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { applications } from "./applications";
import { users } from "./users";
import { EVALUATION_AVIS, RUBRICS } from "./values";

export { EVALUATION_AVIS, RUBRICS, type EvaluationAvis, type Rubric } from "./values";

export const rubricEnum = pgEnum("rubric", RUBRICS);

export const evaluationAvisEnum = pgEnum("evaluation_avis", EVALUATION_AVIS);

export const EVALUATION_STATUSES = ["draft", "submitted"] as const;
export type EvaluationStatus = (typeof EVALUATION_STATUSES)[number];
export const evaluationStatusEnum = pgEnum("evaluation_status", EVALUATION_STATUSES);

/** One criterion's mark in an evaluation: an integer 0–5 and why. */
export interface CriterionScore {
  score: number | null;
  justification: string;
}
export type EvaluationScores = Record<string, CriterionScore>;

/** Who scores which dossier with which rubric, and by when (the reminders read `dueAt`). */
export const evaluationAssignments = pgTable(
  "evaluation_assignments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    rubric: rubricEnum("rubric").notNull(),
    evaluatorId: text("evaluator_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    assignedBy: text("assigned_by").references(() => users.id, { onDelete: "set null" }),
    assignedAt: timestamp("assigned_at", { withTimezone: true }).notNull().defaultNow(),
    dueAt: timestamp("due_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("evaluation_assignments_unique").on(t.applicationId, t.rubric, t.evaluatorId),
    // « Assigned to me », the load of each evaluator and the overdue reminders start from the evaluator.
    index("evaluation_assignments_evaluator_idx").on(t.evaluatorId, t.dueAt),
  ],
);

/** A conflict of interest declared by an agent on a dossier: that agent may not score it nor see others' scores. */
export const conflictsOfInterest = pgTable(
  "conflicts_of_interest",
  {
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    reason: text("reason").notNull(),
    declaredAt: timestamp("declared_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.applicationId, t.userId] })],
);

/**
 * One evaluator's evaluation of a dossier with one rubric. `scores` is keyed by criterion code
 * (the criteria are the call's data); `weightedScore` is out of 100 in integer hundredths of a
 * point (7 333 = 73,33), computed by app/modules/instruction/scoring.ts when it is submitted.
 */
export const evaluations = pgTable(
  "evaluations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    rubric: rubricEnum("rubric").notNull(),
    evaluatorId: text("evaluator_id")
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    scores: jsonb("scores").$type<EvaluationScores>().notNull().default({}),
    avis: evaluationAvisEnum("avis"),
    recommendedCents: bigint("recommended_cents", { mode: "number" }),
    status: evaluationStatusEnum("status").notNull().default("draft"),
    weightedScore: integer("weighted_score"),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    amendedAt: timestamp("amended_at", { withTimezone: true }),
    /** Bumped by every save: a stale form (another tab) is refused. */
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("evaluations_unique").on(t.applicationId, t.rubric, t.evaluatorId)],
);

/**
 * The amendments of submitted evaluations, each with the previous content and the reason. A table
 * of its own rather than application_events: the dossier's events are shown to the applicant, and
 * scores must not be.
 */
export const evaluationAmendments = pgTable(
  "evaluation_amendments",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    evaluationId: uuid("evaluation_id")
      .notNull()
      .references(() => evaluations.id, { onDelete: "cascade" }),
    previous: jsonb("previous").notNull(),
    reason: text("reason").notNull(),
    amendedBy: text("amended_by").references(() => users.id, { onDelete: "set null" }),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("evaluation_amendments_evaluation_idx").on(t.evaluationId, t.at)],
);

/** Annotations privées: read by the agents only, never by the applicant nor in an applicant's export. */
export const privateNotes = pgTable(
  "private_notes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    authorId: text("author_id").references(() => users.id, { onDelete: "set null" }),
    body: text("body").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("private_notes_app_idx").on(t.applicationId, t.createdAt)],
);
