import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { applications } from "./applications";
import { decisions, type DecisionOutcome } from "./budget";
import { waves } from "./calls";
import { users } from "./users";

/** The manager's mail for one outcome, with its {{placeholders}} (app/modules/letters/placeholders.ts). */
export interface LetterMailTemplate {
  subject: string;
  body: string;
}

/**
 * One sending of a wave's decision letters, as the manager confirmed it: the mail templates
 * edited on the outbox page are kept with it, so that a job resumed after a crash writes the
 * same mails, and the progress page has something to count against.
 */
export const decisionLetterBatches = pgTable(
  "decision_letter_batches",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    waveId: uuid("wave_id")
      .notNull()
      .references(() => waves.id),
    templates: jsonb("templates").$type<Record<DecisionOutcome, LetterMailTemplate>>().notNull(),
    /** The portal's address when the batch was confirmed: the links of the mails point there. */
    origin: text("origin").notNull(),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("decision_letter_batches_wave_idx").on(t.waveId, t.createdAt)],
);

/**
 * pending: written with the batch, PDF not made yet; prepared: PDF stored and mails queued in the
 * outbox (whether they left is the mails' status); failed: the PDF or the mails could not be
 * prepared (lastError), until a retry puts it back to pending; superseded: the decision was
 * reopened before its letter was prepared.
 */
export const LETTER_STATUSES = ["pending", "prepared", "failed", "superseded"] as const;
export type LetterStatus = (typeof LETTER_STATUSES)[number];
export const letterStatusEnum = pgEnum("decision_letter_status", LETTER_STATUSES);

/**
 * The letter notifying one decision. `decision_id` is unique: a decision is notified once,
 * whatever the number of clicks, batches or job runs; a reopened decision keeps its letter and
 * the new decision gets its own.
 */
export const decisionLetters = pgTable(
  "decision_letters",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    decisionId: uuid("decision_id")
      .notNull()
      .unique()
      .references(() => decisions.id),
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id),
    batchId: uuid("batch_id")
      .notNull()
      .references(() => decisionLetterBatches.id),
    status: letterStatusEnum("status").notNull().default("pending"),
    /** SHA-256 of the PDF in the file storage, once prepared. */
    fileSha256: text("file_sha256"),
    /** The outbox rows (one per member of the organisation) that carry the PDF. */
    mailIds: jsonb("mail_ids").$type<string[]>().notNull().default([]),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    preparedAt: timestamp("prepared_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("decision_letters_batch_idx").on(t.batchId, t.status),
    index("decision_letters_application_idx").on(t.applicationId),
    // Whatever writes the row, a prepared letter has its file.
    check("decision_letters_prepared_check", sql`${t.status} <> 'prepared' or ${t.fileSha256} is not null`),
  ],
);
