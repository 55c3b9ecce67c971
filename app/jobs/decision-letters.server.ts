import type PgBoss from "pg-boss";
import { z } from "zod";
import { PREPARE_LETTERS_JOB, prepareLetterBatch, resumePendingBatches } from "~/modules/letters/service.server";
import { ensureQueue } from "./queue.server";

const PrepareLettersData = z.object({ batchId: z.uuid() });

/**
 * The decision letters' worker: one batch at a time per process (rendering PDFs is CPU work; the
 * mails it queues are delivered by the mail workers meanwhile). At start it re-queues the
 * batches a crash left half-prepared; preparing is idempotent, so a duplicate job costs nothing.
 */
export async function workDecisionLetters(boss: PgBoss, pollingIntervalSeconds: number) {
  await ensureQueue(PREPARE_LETTERS_JOB);
  await boss.work<unknown>(PREPARE_LETTERS_JOB, { pollingIntervalSeconds }, async ([job]) => prepareLetterBatch(PrepareLettersData.parse(job.data).batchId));
  await resumePendingBatches();
}
