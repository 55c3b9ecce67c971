import { desc, eq, ilike } from "drizzle-orm";
import { z } from "zod";
import { db } from "~db/client.server";
import { mails } from "~db/schema";
import { extractMailLinks } from "./links";

/** The most recent mails the development mailbox lists; older ones stay in the table. */
export const MAILBOX_LIMIT = 200;

const MailId = z.uuid();

/**
 * The development mailbox (/dev/courriels): the outbox read back, newest first, optionally only
 * the mails whose recipient contains `address` (case-insensitive). Routes call it only when
 * `devMailboxEnabled`.
 */
export async function listMailbox({ address = "" }: { address?: string } = {}) {
  const needle = address.trim().replace(/[\\%_]/g, (c) => `\\${c}`);
  return db
    .select({ id: mails.id, to: mails.to, subject: mails.subject, status: mails.status, createdAt: mails.createdAt, sentAt: mails.sentAt })
    .from(mails)
    .where(needle ? ilike(mails.to, `%${needle}%`) : undefined)
    .orderBy(desc(mails.createdAt), desc(mails.id))
    .limit(MAILBOX_LIMIT);
}

/** One mail of the development mailbox with the links of its HTML, or null (also for a malformed id). */
export async function findMailboxMail(id: string) {
  if (!MailId.safeParse(id).success) return null;
  const [mail] = await db.select().from(mails).where(eq(mails.id, id));
  return mail ? { ...mail, links: extractMailLinks(mail.html) } : null;
}
