import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { db, sqlRunner } from "~db/client.server";
import { mails } from "~db/schema";
import { JOBS_SCHEMA, stopJobQueue } from "~/jobs/queue.server";
import { fileStorage } from "~/modules/files/storage.server";
import { attachAllPieces, completeFormData, createCall, createOrganisation } from "../../../tests/fixtures/dossiers";
import { createUser } from "../../../tests/fixtures/users";
import { SEND_RECEIPT_JOB, sendSubmissionReceipt } from "./receipt-mail.server";
import { createDraft, saveSection, submitDossier } from "./service.server";

afterAll(() => stopJobQueue());

async function streamToBuffer(stream: NodeJS.ReadableStream) {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

describe("receipt mail", () => {
  it("queues a job at submission, then mails the receipt PDF to every member exactly once", async () => {
    const { call } = await createCall();
    const owner = await createUser();
    const coEditor = await createUser();
    const organisation = await createOrganisation([{ user: owner }, { user: coEditor }]);
    const draft = await createDraft(owner, { organisationId: organisation.id, callId: call.id });
    let version = draft.version;
    for (const [section, data] of Object.entries(completeFormData())) ({ version } = await saveSection(owner, draft.reference, { section, data, version }));
    await attachAllPieces(draft.id, owner.id);
    const submitted = await submitDossier(owner, draft.reference, { origin: "http://portail.test" });

    const { rows } = await sqlRunner.query(`select data from ${JOBS_SCHEMA}.job where name = $1 and data->>'applicationId' = $2`, [SEND_RECEIPT_JOB, draft.id]);
    expect(rows.map((row) => row.data)).toEqual([{ applicationId: draft.id, submittedHash: submitted.submittedHash, origin: "http://portail.test", resubmission: false }]);

    const job = { applicationId: draft.id, submittedHash: submitted.submittedHash, origin: "http://portail.test", resubmission: false };
    expect(await sendSubmissionReceipt(job)).toEqual({ sent: 2 });
    expect(await sendSubmissionReceipt(job)).toEqual({ sent: 2 });
    const queued = await db.select().from(mails).where(eq(mails.template, "dossier-submitted"));
    expect(queued.map((mail) => mail.to).sort()).toEqual([owner.email, coEditor.email].sort());
    expect(queued[0].text).toContain(draft.reference);
    expect(queued[0].text).toContain(`http://portail.test/dossiers/${draft.reference}`);

    const [attachment] = queued[0].attachments;
    expect(attachment).toMatchObject({ filename: `recepisse-${draft.reference}.pdf`, contentType: "application/pdf" });
    const pdf = await streamToBuffer(await fileStorage().get(attachment.sha256));
    const file = path.join(mkdtempSync(path.join(tmpdir(), "recepisse-")), "r.pdf");
    writeFileSync(file, pdf);
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
    expect(text).toContain(draft.reference);
    expect(text).toContain(submitted.submittedHash);

    expect(await sendSubmissionReceipt({ ...job, submittedHash: "0".repeat(64) })).toEqual({ sent: 0 });
  });
});
