import { eq } from "drizzle-orm";
import type { Transaction } from "~db/client.server";
import { mails, type MailAttachment } from "~db/schema";
import { enqueueJob } from "~/jobs/queue.server";
import type { MailTemplate } from "./layout";

export const DELIVER_MAIL_JOB = "mail.deliver";

type AfterCommit = (task: () => Promise<unknown> | unknown) => void;

/**
 * The one way to send a mail. The rendered mail is written to the outbox in the caller's
 * transaction (a rolled-back change sends nothing); its delivery job is queued after commit.
 */
export async function queueMail<Data>(
  tx: Transaction,
  afterCommit: AfterCommit,
  message: { to: string; template: MailTemplate<Data>; data: Data; attachments?: MailAttachment[]; dedupeKey?: string },
) {
  const rendered = message.template.render(message.data);
  const [row] = await tx
    .insert(mails)
    .values({
      to: message.to,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      template: message.template.name,
      attachments: message.attachments ?? [],
      dedupeKey: message.dedupeKey,
    })
    .onConflictDoNothing({ target: mails.dedupeKey })
    .returning({ id: mails.id });
  if (!row && message.dedupeKey) {
    // The same dedupe key was queued before (a retried job): that mail is on its way already.
    const [existing] = await tx.select({ id: mails.id }).from(mails).where(eq(mails.dedupeKey, message.dedupeKey));
    return existing.id;
  }
  afterCommit(() => enqueueJob(DELIVER_MAIL_JOB, { mailId: row.id }));
  return row.id;
}
