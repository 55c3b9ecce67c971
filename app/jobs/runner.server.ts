import type PgBoss from "pg-boss";
import { z } from "zod";
import { env } from "~/env.server";
import { databaseEngine } from "~db/client.server";
import { deliverMail, requeueStaleMails } from "~emails/deliver.server";
import { DELIVER_MAIL_JOB } from "~emails/send.server";
import { remindOverdueEvaluations } from "~/modules/instruction/reminders.server";
import { defaultOrigin } from "~/utils/request.server";
import { SEND_RECEIPT_JOB, sendSubmissionReceipt } from "~/modules/applications/receipt-mail.server";
import { workDecisionLetters } from "./decision-letters.server";
import { ensureQueue, startJobQueue, stopJobQueue } from "./queue.server";

export const SWEEP_OUTBOX_JOB = "mail.sweep-outbox";
export const REMIND_OVERDUE_EVALUATIONS_JOB = "instruction.remind-overdue-evaluations";

/**
 * Workers look for new jobs twice a second (pg-boss's minimum), so a mail shows up sent in the
 * development mailbox, or leaves for SMTP, within about a second of the commit.
 */
const POLLING_INTERVAL_SECONDS = 0.5;
/**
 * Deliveries running at once in this process. Each worker takes one job at a time, so a slow
 * SMTP answer holds up one delivery, not all of them. PGlite runs one query at a time anyway:
 * two workers there keep its single connection free for the pages.
 */
const MAIL_WORKERS = databaseEngine === "postgres" ? 4 : 2;

const DeliverMailData = z.object({ mailId: z.uuid() });
const SendReceiptData = z.object({ applicationId: z.uuid(), submittedHash: z.string(), origin: z.string(), resubmission: z.boolean() });

/** Processes whose workers are registered, so that a second startJobs() does not double them. */
const running = new WeakSet<PgBoss>();

/**
 * Starts pg-boss as a worker: mail delivery and the outbox sweeper (every minute). `smtpUrl`
 * defaults to SMTP_URL; the integration tests point it at their loopback SMTP server.
 */
export async function startJobs(options: { smtpUrl?: string } = {}) {
  const smtpUrl = options.smtpUrl ?? env.SMTP_URL;
  const boss = await startJobQueue("worker");
  if (running.has(boss)) return;
  running.add(boss);
  await ensureQueue(DELIVER_MAIL_JOB);
  await ensureQueue(SWEEP_OUTBOX_JOB);
  await ensureQueue(REMIND_OVERDUE_EVALUATIONS_JOB);

  for (let worker = 0; worker < MAIL_WORKERS; worker++) {
    await boss.work<unknown>(DELIVER_MAIL_JOB, { pollingIntervalSeconds: POLLING_INTERVAL_SECONDS, includeMetadata: true }, async ([job]) => {
      const { mailId } = DeliverMailData.parse(job.data);
      return deliverMail(mailId, { smtpUrl, lastAttempt: job.retryCount >= job.retryLimit });
    });
  }

  await ensureQueue(SEND_RECEIPT_JOB);
  await boss.work<unknown>(SEND_RECEIPT_JOB, { pollingIntervalSeconds: POLLING_INTERVAL_SECONDS }, async ([job]) => sendSubmissionReceipt(SendReceiptData.parse(job.data)));

  await workDecisionLetters(boss, POLLING_INTERVAL_SECONDS);

  await boss.work(SWEEP_OUTBOX_JOB, { pollingIntervalSeconds: 5 }, async () => ({ requeued: await requeueStaleMails() }));
  // The next run comes a minute later anyway: a failed sweep is not worth retrying.
  await boss.schedule(SWEEP_OUTBOX_JOB, "* * * * *", {}, { retryLimit: 0 });

  // Overdue evaluations: every morning at 8:00 Paris time. Retries are safe (the mails carry a
  // per-agent, per-day dedupe key), so a failed run keeps pg-boss's retries.
  await boss.work(REMIND_OVERDUE_EVALUATIONS_JOB, { pollingIntervalSeconds: 30 }, async () => remindOverdueEvaluations({ origin: defaultOrigin() }));
  await boss.schedule(REMIND_OVERDUE_EVALUATIONS_JOB, "0 8 * * *", {}, { tz: "Europe/Paris" });
}

/** Stops taking jobs, lets the running ones finish (up to 20 s), then closes pg-boss. */
export async function stopJobs() {
  await stopJobQueue();
}
