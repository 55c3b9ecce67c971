import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { calls, waves } from "./calls";
import { applicationStatusEnum } from "./enums";
import { organisations } from "./organisations";
import { users } from "./users";

/**
 * A dossier. The form's content is jsonb (validated per step by the applications module);
 * `version` is bumped by every save so that a stale save is refused (optimistic locking).
 */
export const applications = pgTable(
  "applications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    reference: text("reference").notNull().unique(),
    callId: uuid("call_id")
      .notNull()
      .references(() => calls.id),
    waveId: uuid("wave_id")
      .notNull()
      .references(() => waves.id),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id),
    /** INSEE région code, computed from the communes served; routes the dossier to its ARS. */
    regionCode: text("region_code"),
    status: applicationStatusEnum("status").notNull().default("draft"),
    title: text("title").notNull().default(""),
    formData: jsonb("form_data").notNull().default({}),
    version: integer("version").notNull().default(1),
    /** Sections an agent reopened with a correction request; only these are editable then. */
    reopenedSections: jsonb("reopened_sections").$type<string[]>().notNull().default([]),
    // Figures derived from formData at each save, kept as columns so that lists, filters and
    // rankings over thousands of dossiers never parse jsonb row by row.
    departementCodes: text("departement_codes").array().notNull().default([]),
    populationCovered: integer("population_covered").notNull().default(0),
    totalCostCents: bigint("total_cost_cents", { mode: "number" }).notNull().default(0),
    requestedCents: bigint("requested_cents", { mode: "number" }).notNull().default(0),
    /** The content as submitted (the receipt is rendered from it) and its SHA-256. */
    submittedData: jsonb("submitted_data"),
    submittedHash: text("submitted_hash"),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    // The scores of the consolidation (app/modules/instruction/scoring.ts), out of 100 in integer
    // hundredths of a point; null until both rubrics are complete. Columns, not a join, so that
    // the instruction list filters and sorts 10,000 dossiers by score through an index.
    arsScore: integer("ars_score"),
    anctScore: integer("anct_score"),
    consolidatedScore: integer("consolidated_score"),
    /** The ARS and ANCT scores differ by more than the call's threshold: flagged for the committee. */
    scoreGapFlag: boolean("score_gap_flag").notNull().default(false),
    lastSavedBy: text("last_saved_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    index("applications_org_idx").on(t.organisationId),
    index("applications_wave_status_idx").on(t.waveId, t.status),
    index("applications_region_status_idx").on(t.regionCode, t.status),
    // The instruction list: « département » filter (array containment), sort by score within a
    // région or nationally, and by submission time (the default order).
    index("applications_departements_gin_idx").using("gin", t.departementCodes),
    index("applications_region_score_idx").on(t.regionCode, t.consolidatedScore.desc().nullsLast()),
    index("applications_score_idx").on(t.consolidatedScore.desc().nullsLast()),
    index("applications_submitted_at_idx").on(t.submittedAt),
  ],
);

/** The dossier's history: every transition, with who, when and why. */
export const applicationEvents = pgTable(
  "application_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    actorId: text("actor_id").references(() => users.id, { onDelete: "set null" }),
    event: text("event").notNull(),
    fromStatus: applicationStatusEnum("from_status"),
    toStatus: applicationStatusEnum("to_status"),
    motivation: text("motivation"),
    data: jsonb("data").notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("application_events_app_idx").on(t.applicationId, t.createdAt)],
);

/** An uploaded piece (pièce justificative). The bytes live in content-addressed storage by sha256. */
export const applicationPieces = pgTable(
  "application_pieces",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    /** The piece's code in the call's list (e.g. « devis_vehicule »). */
    pieceCode: text("piece_code").notNull(),
    fileName: text("file_name").notNull(),
    mimeType: text("mime_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    sha256: text("sha256").notNull(),
    uploadedBy: text("uploaded_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("application_pieces_app_idx").on(t.applicationId, t.pieceCode)],
);

/** The message thread between the applicant's organisation and the agents. */
export const applicationMessages = pgTable(
  "application_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    authorId: text("author_id").references(() => users.id, { onDelete: "set null" }),
    /** Which side wrote it: the unread count of each side counts the other side's messages. */
    side: text("side", { enum: ["applicant", "agent"] }).notNull(),
    body: text("body").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("application_messages_app_idx").on(t.applicationId, t.createdAt)],
);

/** Up to when each user has read a dossier's thread. */
export const applicationReadMarks = pgTable(
  "application_read_marks",
  {
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    readAt: timestamp("read_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.applicationId, t.userId] })],
);
