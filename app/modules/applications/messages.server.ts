import { and, asc, desc, eq, gt, inArray, isNull, or, sql } from "drizzle-orm";
import { db, transaction, type Transaction } from "~db/client.server";
import { applicationMessages, applicationReadMarks, memberships, roleAssignments, users } from "~db/schema";
import { newMessageMail } from "~emails/new-message";
import { queueMail } from "~emails/send.server";
import type { SessionUser } from "~/modules/auth/roles";
import { findDossierForAgent } from "~/modules/instruction/policy.server";
import { DomainError } from "~/utils/errors";
import { findDossierForMember } from "./policy.server";

export type MessageSide = "applicant" | "agent";
export const MESSAGE_MAX_LENGTH = 5000;

type AfterCommit = Parameters<Parameters<typeof transaction>[0]>[1];

/** The people a message (or a correction request) is mailed to on each side. */
export async function recipientsOf(tx: Transaction, dossier: { organisationId: string; regionCode: string | null }, side: MessageSide) {
  if (side === "applicant") {
    return tx
      .select({ email: users.email, name: users.name })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.organisationId, dossier.organisationId), isNull(users.disabledAt)));
  }
  if (!dossier.regionCode) return [];
  return tx
    .selectDistinct({ email: users.email, name: users.name })
    .from(roleAssignments)
    .innerJoin(users, eq(users.id, roleAssignments.userId))
    .where(and(eq(roleAssignments.role, "ars_agent"), eq(roleAssignments.regionCode, dossier.regionCode), isNull(users.disabledAt)));
}

/** Writes a message in a dossier's thread (in the caller's transaction) and mails the other side after commit. */
export async function appendMessage(
  tx: Transaction,
  afterCommit: AfterCommit,
  input: {
    dossier: { id: string; reference: string; organisationId: string; regionCode: string | null };
    author: SessionUser;
    side: MessageSide;
    body: string;
    origin: string;
    now?: Date;
    /** False when the caller sends its own, more specific mail (a correction request). */
    notify?: boolean;
  },
) {
  const body = input.body.trim();
  if (!body) throw new DomainError("empty_message", 400, "Écrivez votre message.", { body: ["Écrivez votre message."] });
  if (body.length > MESSAGE_MAX_LENGTH) {
    throw new DomainError("message_too_long", 400, `Le message doit comporter au plus ${MESSAGE_MAX_LENGTH} caractères.`, { body: [`${MESSAGE_MAX_LENGTH} caractères au plus.`] });
  }
  const now = input.now ?? new Date();
  const [message] = await tx.insert(applicationMessages).values({ applicationId: input.dossier.id, authorId: input.author.id, side: input.side, body, createdAt: now }).returning();
  await markRead(tx, input.author.id, input.dossier.id, now);
  if (input.notify === false) return message;
  const otherSide: MessageSide = input.side === "applicant" ? "agent" : "applicant";
  const path = otherSide === "applicant" ? `/dossiers/${input.dossier.reference}/messages` : `/instruction/dossiers/${input.dossier.reference}`;
  const authorLabel = input.side === "applicant" ? `${input.author.name} (porteur de projet)` : "L'agent instructeur";
  const excerpt = body.length > 500 ? `${body.slice(0, 500)}…` : body;
  for (const recipient of await recipientsOf(tx, input.dossier, otherSide)) {
    await queueMail(tx, afterCommit, { to: recipient.email, template: newMessageMail, data: { name: recipient.name, reference: input.dossier.reference, authorLabel, excerpt, url: new URL(path, input.origin).toString() } });
  }
  return message;
}

/** A message from a member of the dossier's organisation, after submission (drafts have no reader yet). */
export async function postApplicantMessage(actor: SessionUser, reference: string, input: { body: string; origin: string }) {
  return transaction(async (tx, afterCommit) => {
    const dossier = await findDossierForMember(actor, reference, tx);
    if (dossier.status === "draft") throw new DomainError("draft_no_messages", 409, "La messagerie s'ouvre quand le dossier est déposé.");
    return appendMessage(tx, afterCommit, { dossier, author: actor, side: "applicant", body: input.body, origin: input.origin });
  });
}

/** A message from an agent who may see the dossier. */
export async function postAgentMessage(actor: SessionUser, reference: string, input: { body: string; origin: string }) {
  return transaction(async (tx, afterCommit) => {
    const dossier = await findDossierForAgent(actor, reference, tx);
    return appendMessage(tx, afterCommit, { dossier, author: actor, side: "agent", body: input.body, origin: input.origin });
  });
}

export async function markRead(executor: Transaction | typeof db, userId: string, applicationId: string, now = new Date()) {
  await executor
    .insert(applicationReadMarks)
    .values({ applicationId, userId, readAt: now })
    .onConflictDoUpdate({ target: [applicationReadMarks.applicationId, applicationReadMarks.userId], set: { readAt: sql`greatest(${applicationReadMarks.readAt}, excluded.read_at)` } });
}

export async function listMessages(applicationId: string) {
  return db
    .select({ id: applicationMessages.id, side: applicationMessages.side, body: applicationMessages.body, createdAt: applicationMessages.createdAt, authorName: users.name })
    .from(applicationMessages)
    .leftJoin(users, eq(users.id, applicationMessages.authorId))
    .where(eq(applicationMessages.applicationId, applicationId))
    .orderBy(asc(applicationMessages.createdAt));
}

/**
 * Unread messages per dossier for a reader on `side`: the other side's messages newer than the
 * reader's read mark. One grouped query for a whole list of dossiers.
 */
export async function unreadCounts(userId: string, applicationIds: string[], side: MessageSide): Promise<Map<string, number>> {
  if (applicationIds.length === 0) return new Map();
  const rows = await db
    .select({ applicationId: applicationMessages.applicationId, count: sql<number>`count(*)::int` })
    .from(applicationMessages)
    .leftJoin(applicationReadMarks, and(eq(applicationReadMarks.applicationId, applicationMessages.applicationId), eq(applicationReadMarks.userId, userId)))
    .where(
      and(
        inArray(applicationMessages.applicationId, applicationIds),
        eq(applicationMessages.side, side === "applicant" ? "agent" : "applicant"),
        or(isNull(applicationReadMarks.readAt), gt(applicationMessages.createdAt, applicationReadMarks.readAt)),
      ),
    )
    .groupBy(applicationMessages.applicationId);
  return new Map(rows.map((row) => [row.applicationId, row.count]));
}

export async function lastMessageAt(applicationId: string) {
  const [row] = await db.select({ at: applicationMessages.createdAt }).from(applicationMessages).where(eq(applicationMessages.applicationId, applicationId)).orderBy(desc(applicationMessages.createdAt)).limit(1);
  return row?.at ?? null;
}

