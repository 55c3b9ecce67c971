import { index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { mailStatusEnum } from "./enums";

export interface MailAttachment {
  filename: string;
  contentType: string;
  sha256: string;
}

/**
 * Outgoing mail (an outbox). The row is written in the business transaction, the delivery job is
 * queued after commit; the worker sends a row once and marks it sent. Without SMTP_URL the row is
 * the delivery: the development mailbox page reads it. `claimedUntil` is the lease a worker takes
 * before talking to SMTP, so that two workers never send the same row at the same time.
 */
export const mails = pgTable(
  "mails",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    to: text("to").notNull(),
    subject: text("subject").notNull(),
    html: text("html").notNull(),
    text: text("text").notNull(),
    template: text("template").notNull(),
    /** Files from the content-addressed storage, attached at delivery (e.g. the receipt PDF). */
    attachments: jsonb("attachments").$type<MailAttachment[]>().notNull().default([]),
    /**
     * Set by a sender that may run twice (a retried job): the second insert with the same key is
     * ignored, so a retry never mails twice.
     */
    dedupeKey: text("dedupe_key").unique(),
    status: mailStatusEnum("status").notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    messageId: text("message_id"),
    claimedUntil: timestamp("claimed_until", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [index("mails_to_idx").on(t.to, t.createdAt), index("mails_status_idx").on(t.status, t.createdAt)],
);
