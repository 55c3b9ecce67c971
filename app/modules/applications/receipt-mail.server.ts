import { and, eq, isNull } from "drizzle-orm";
import { db, transaction } from "~db/client.server";
import { applications, memberships, users } from "~db/schema";
import { dossierSubmittedMail } from "~emails/dossier-submitted";
import { queueMail } from "~emails/send.server";
import { formatDateTime } from "~/modules/calls/time";
import { fileStorage } from "~/modules/files/storage.server";
import { receiptDataFor } from "./receipt.server";

export const SEND_RECEIPT_JOB = "dossier.send-receipt";

/**
 * After a submission commits: render the receipt from the submitted snapshot, keep the PDF in the
 * file storage, and mail it to every member of the organisation. It runs as a job (retried),
 * outside the submission's transaction so that the PDF rendering never holds the dossier's lock;
 * the dedupe key makes a retried job mail nobody twice.
 */
export async function sendSubmissionReceipt(input: { applicationId: string; submittedHash: string; origin: string; resubmission: boolean }) {
  const [dossier] = await db.select().from(applications).where(eq(applications.id, input.applicationId));
  // A newer submission (after a correction request) has its own job: this one is stale.
  if (!dossier || dossier.submittedHash !== input.submittedHash || !dossier.submittedAt) return { sent: 0 };
  // Loaded on the first receipt: the submission path that imports this module needs only the job's name.
  const { renderReceipt } = await import("~templates/receipt");
  const pdf = await renderReceipt(await receiptDataFor(dossier.id));
  const stored = await fileStorage().put(new Uint8Array(pdf));
  const members = await db
    .select({ email: users.email, name: users.name })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organisationId, dossier.organisationId), isNull(users.disabledAt)));
  await transaction(async (tx, afterCommit) => {
    for (const member of members) {
      await queueMail(tx, afterCommit, {
        to: member.email,
        template: dossierSubmittedMail,
        data: {
          name: member.name,
          reference: dossier.reference,
          projectTitle: dossier.title || "Dossier sans titre",
          submittedAt: `${formatDateTime(dossier.submittedAt!)} (heure de Paris)`,
          submittedHash: input.submittedHash,
          url: new URL(`/dossiers/${dossier.reference}`, input.origin).toString(),
          resubmission: input.resubmission,
        },
        attachments: [{ filename: `recepisse-${dossier.reference}.pdf`, contentType: "application/pdf", sha256: stored.sha256 }],
        dedupeKey: `receipt:${dossier.id}:${input.submittedHash}:${member.email}`,
      });
    }
  });
  return { sent: members.length };
}
