import type { Transaction } from "~db/client.server";
import { mails } from "~db/schema";
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
  message: { to: string; template: MailTemplate<Data>; data: Data },
) {
  const rendered = message.template.render(message.data);
  const [row] = await tx
    .insert(mails)
    .values({ to: message.to, subject: rendered.subject, html: rendered.html, text: rendered.text, template: message.template.name })
    .returning({ id: mails.id });
  afterCommit(() => enqueueJob(DELIVER_MAIL_JOB, { mailId: row.id }));
  return row.id;
}
