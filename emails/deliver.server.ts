import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import nodemailer, { type Transporter } from "nodemailer";
import SMTPTransport from "nodemailer/lib/smtp-transport";
import { env } from "~/env.server";
import { enqueueJob, JOBS_SCHEMA } from "~/jobs/queue.server";
import { db } from "~db/client.server";
import { mails } from "~db/schema";
import { fileStorage } from "~/modules/files/storage.server";
import { DELIVER_MAIL_JOB } from "./send.server";

/*
 * Delivery guarantee: at-least-once, made as close to exactly-once as SMTP allows.
 *
 * The SMTP conversation cannot take part in a database transaction, and holding a row lock (or
 * a PGlite transaction, which blocks every other query) for the length of an SMTP exchange is
 * not acceptable. So a delivery is three short steps:
 *   1. claim: one UPDATE takes a lease on a `queued` row (claimed_until in the future, attempts+1).
 *      PostgreSQL re-checks the WHERE clause of a concurrent UPDATE after the first one commits,
 *      so of two workers racing on the same row exactly one gets it; the other sees the lease
 *      and stops. A `sent` or `failed` row is never claimed again.
 *   2. send over SMTP, outside any transaction;
 *   3. mark the row `sent` (or record the error and release the lease).
 * The one window left is a crash or a database failure between 2 and 3: the server accepted the
 * mail but the row still says `queued`. Once the lease has expired the outbox sweeper sends it
 * again. We accept that duplicate rather than risk losing a verification or decision mail, and
 * every attempt carries the same Message-ID (derived from the row id) so mail clients can fold
 * the copies together.
 */

/** How long a worker owns a mail while it talks to SMTP: well above the SMTP timeouts below. */
const CLAIM_LEASE = "2 minutes";
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };
/** A queued mail with no live job after this long lost its job (crash between commit and enqueue). */
const SWEEP_AFTER = "3 minutes";
const SWEEP_BATCH = 500;

export type DeliveryOutcome =
  /** handed to the SMTP server */
  | "sent"
  /** no SMTP server configured: the row is the delivery, readable in the development mailbox */
  | "stored"
  /** nothing to do: already sent, already failed for good, or no such row (rolled back) */
  | "already-sent"
  | "already-failed"
  | "missing"
  /** another worker holds the lease and is sending it now */
  | "claimed-elsewhere";

export interface DeliveryOptions {
  /** The SMTP server; without one (development) the mail stays in the development mailbox. */
  smtpUrl?: string;
  /** pg-boss's last retry: a failure now marks the mail `failed` for good. */
  lastAttempt?: boolean;
}

/** One transport per SMTP URL per process; nodemailer opens a connection per message. */
const transports = new Map<string, Transporter<SMTPTransport.SentMessageInfo>>();

function transportFor(smtpUrl: string) {
  let transport = transports.get(smtpUrl);
  if (!transport) {
    transport = nodemailer.createTransport(new SMTPTransport({ url: smtpUrl, ...SMTP_TIMEOUTS }));
    transports.set(smtpUrl, transport);
  }
  return transport;
}

const MAIL_DOMAIN = /@([^>\s]+)>?\s*$/.exec(env.MAIL_FROM)?.[1] ?? "medicobus.localhost";

/**
 * Delivers the outbox row `mailId` at most once at a time and never after it was sent.
 * Throws when the SMTP server refuses or cannot be reached, so that pg-boss retries with backoff;
 * the error and the attempt count are kept on the row, and on the last attempt it is `failed`.
 */
export async function deliverMail(mailId: string, { smtpUrl = env.SMTP_URL, lastAttempt = false }: DeliveryOptions = {}): Promise<DeliveryOutcome> {
  const [mail] = await db
    .update(mails)
    .set({ attempts: sql`${mails.attempts} + 1`, claimedUntil: sql`now() + interval '${sql.raw(CLAIM_LEASE)}'` })
    .where(and(eq(mails.id, mailId), eq(mails.status, "queued"), or(isNull(mails.claimedUntil), lt(mails.claimedUntil, sql`now()`))))
    .returning();
  if (!mail) return whyNotClaimed(mailId);

  if (!smtpUrl) {
    await db.update(mails).set({ status: "sent", sentAt: sql`now()`, lastError: null, claimedUntil: null }).where(eq(mails.id, mail.id));
    return "stored";
  }

  let messageId: string;
  try {
    const info = await transportFor(smtpUrl).sendMail({
      from: env.MAIL_FROM,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: `<${mail.id}@${MAIL_DOMAIN}>`,
      headers: { "Auto-Submitted": "auto-generated", "X-Medicobus-Template": mail.template },
      attachments: await Promise.all(
        mail.attachments.map(async (attachment) => ({ filename: attachment.filename, contentType: attachment.contentType, content: await fileStorage().get(attachment.sha256) })),
      ),
    });
    messageId = info.messageId;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await db
      .update(mails)
      .set({ status: lastAttempt ? "failed" : "queued", lastError: message.slice(0, 2000), claimedUntil: null })
      .where(eq(mails.id, mail.id));
    console.warn(`mail ${mail.id}: attempt ${mail.attempts} failed${lastAttempt ? " (last one)" : ""}: ${message}`);
    throw error;
  }
  await db
    .update(mails)
    .set({ status: "sent", sentAt: sql`now()`, messageId, lastError: null, claimedUntil: null })
    .where(eq(mails.id, mail.id));
  return "sent";
}

async function whyNotClaimed(mailId: string): Promise<DeliveryOutcome> {
  const [row] = await db.select({ status: mails.status }).from(mails).where(eq(mails.id, mailId));
  if (!row) return "missing";
  if (row.status === "sent") return "already-sent";
  if (row.status === "failed") return "already-failed";
  return "claimed-elsewhere";
}

/**
 * The outbox sweeper: re-enqueues the mails still `queued` a few minutes after they were
 * written that have no live delivery job and no current lease. That is a mail whose job was
 * never sent (the process died between commit and enqueue, or pg-boss was unreachable then),
 * or whose sender died after SMTP accepted it (see the guarantee above). Mails waiting for a
 * retry keep their job and are left alone, so an SMTP outage does not multiply the jobs.
 */
export async function requeueStaleMails(): Promise<number> {
  const stale = await db
    .select({ id: mails.id })
    .from(mails)
    .where(
      and(
        eq(mails.status, "queued"),
        lt(mails.createdAt, sql`now() - interval '${sql.raw(SWEEP_AFTER)}'`),
        or(isNull(mails.claimedUntil), lt(mails.claimedUntil, sql`now()`)),
        sql`not exists (select 1 from ${sql.raw(JOBS_SCHEMA)}.job j where j.name = ${DELIVER_MAIL_JOB} and j.state < 'completed' and j.data->>'mailId' = ${mails.id}::text)`,
      ),
    )
    .orderBy(mails.createdAt)
    .limit(SWEEP_BATCH);
  for (const { id } of stale) await enqueueJob(DELIVER_MAIL_JOB, { mailId: id });
  return stale.length;
}
