import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq, like } from "drizzle-orm";
import type { ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueJob, JOBS_SCHEMA } from "~/jobs/queue.server";
import { startJobs, stopJobs } from "~/jobs/runner.server";
import { db, sqlRunner } from "~db/client.server";
import { decisionLetterBatches, decisionLetters, decisions, mails } from "~db/schema";
import type { SessionUser } from "~/modules/auth/roles";
import { applyDecision, reopenDecision } from "~/modules/budget/decisions.server";
import { DEFAULT_TEMPLATES } from "~/modules/letters/placeholders";
import {
  decisionLetterForMember,
  letterBatchProgress,
  letterOutbox,
  prepareLetterBatch,
  PREPARE_LETTERS_JOB,
  previewLetterMails,
  resumePendingBatches,
  retryLetterBatch,
  sendDecisionLetters,
} from "~/modules/letters/service.server";
import { DomainError } from "~/utils/errors";
import { createBudgetDossiers, createBudgetSetup } from "../fixtures/budget";
import { createOrganisation } from "../fixtures/dossiers";
import { startTestSmtpServer, type TestSmtpServer } from "../fixtures/smtp";
import { createUser } from "../fixtures/users";

/**
 * The decision letters end to end, with pg-boss workers running as in `npm start` and a real
 * SMTP server on loopback: outbox, previews, the batch prepared by its job, one mail per
 * recipient with its PDF, idempotence of the job, supersession, resumption and retry.
 */
const ORIGIN = "http://portail.test";
let smtp: TestSmtpServer;
const workDir = mkdtempSync(path.join(tmpdir(), "decision-letters-"));

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  await startJobs({ smtpUrl: smtp.url });
});

afterAll(async () => {
  await stopJobs();
  await smtp.close();
  rmSync(workDir, { recursive: true, force: true });
});

async function waitFor<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`nothing after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

const mailsTo = (address: string) => smtp.received.filter((mail: ParsedMail) => !Array.isArray(mail.to) && mail.to?.value[0].address === address);

function pdfText(content: Buffer) {
  const file = path.join(workDir, `${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, content);
  return execFileSync("/usr/bin/pdftotext", [file, "-"], { encoding: "utf8" }).replace(/[\u00a0\u202f]/g, " ").replace(/\s*\n\s*/g, " ");
}

/** Three dossiers of wave 1, each of its own organisation, decided: selected, waitlisted, rejected. The rejected one's organisation has two members. */
async function decidedWave() {
  const setup = await createBudgetSetup({ wave1: { budgetCents: 500_000_00, busTarget: 5 } });
  const people = {
    selected: await createUser({ name: "Sélène Retenue" }),
    waitlisted: await createUser({ name: "Louis Complémentaire" }),
    rejected: await createUser({ name: "Nina Refusée" }),
    rejectedColleague: await createUser({ name: "Marc Collègue" }),
  };
  const dossiers = {
    selected: await dossierOf(setup, [people.selected], "CPTS du Bocage"),
    waitlisted: await dossierOf(setup, [people.waitlisted], "Commune de Mortagne"),
    rejected: await dossierOf(setup, [people.rejected, people.rejectedColleague], "Centre de santé du Perche"),
  };
  await applyDecision(setup.manager, setup.wave1.id, {
    decisions: [
      { reference: dossiers.selected.reference, outcome: "selected", awardedCents: 100_000_00 },
      { reference: dossiers.waitlisted.reference, outcome: "waitlisted", waitlistRank: 1 },
      { reference: dossiers.rejected.reference, outcome: "rejected", motivation: "Le besoin territorial n'est pas démontré." },
    ],
  });
  return { setup, people, dossiers };
}

async function dossierOf(setup: Awaited<ReturnType<typeof createBudgetSetup>>, members: SessionUser[], name: string) {
  const organisation = await createOrganisation(members.map((user) => ({ user })), { name });
  const [dossier] = await createBudgetDossiers({ call: setup.call, organisation, applicant: members[0] }, setup.wave1.id, [{ status: "reviewed", requestedCents: 120_000_00, totalCostCents: 250_000_00 }]);
  return dossier;
}

const waveOf = async (manager: SessionUser, waveId: string) => (await letterOutbox(manager)).find((wave) => wave.id === waveId)!;

async function finished(manager: SessionUser, batchId: string) {
  return waitFor(async () => {
    const progress = await letterBatchProgress(manager, batchId);
    return progress.done && progress.pending === 0 ? progress : undefined;
  });
}

describe("decision letters", () => {
  it("lists the wave's decisions by outcome, previews a real mail of each, sends every letter once with its PDF", async () => {
    const { setup, people, dossiers } = await decidedWave();
    const wave = await waveOf(setup.manager, setup.wave1.id);
    expect(wave.counts).toEqual({ selected: 1, waitlisted: 1, rejected: 1, total: 3 });
    expect(wave.samples.selected?.reference).toBe(dossiers.selected.reference);

    const previews = await previewLetterMails(setup.manager, setup.wave1.id, DEFAULT_TEMPLATES, ORIGIN);
    expect(previews.map((preview) => [preview.outcome, preview.reference, preview.to])).toEqual([
      ["selected", dossiers.selected.reference, people.selected.email],
      ["waitlisted", dossiers.waitlisted.reference, people.waitlisted.email],
      ["rejected", dossiers.rejected.reference, [people.rejected.email, people.rejectedColleague.email].sort()[0]],
    ]);
    const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");
    expect(plain(previews[0].text)).toContain("Une subvention de l'État de 100 000 € lui est attribuée.");
    expect(previews[0].text).toContain("Bonjour Sélène Retenue,");
    expect(previews[1].text).toContain("au rang 1.");
    expect(previews[2].subject).toBe(`Décision sur votre projet — dossier ${dossiers.rejected.reference}`);

    // The count the manager saw is checked: a stale page is refused, nothing is written.
    expect(await refusal(sendDecisionLetters(setup.manager, setup.wave1.id, { ...DEFAULT_TEMPLATES, expected: 2 }, ORIGIN))).toMatchObject({ status: 409, code: "outbox_changed" });
    expect(await db.select().from(decisionLetterBatches)).toHaveLength(0);

    const { batchId, letters } = await sendDecisionLetters(setup.manager, setup.wave1.id, { ...DEFAULT_TEMPLATES, expected: 3 }, ORIGIN);
    expect(letters).toBe(3);
    const progress = await finished(setup.manager, batchId);
    expect(progress).toMatchObject({ total: 3, prepared: 3, sent: 3, superseded: 0, failures: [] });

    const expectations: Array<[SessionUser, string, string[]]> = [
      [people.selected, dossiers.selected.reference, ["projet retenu", "Subvention de l'État 100 000 €", "Avance (30 %) 30 000 €", "Solde (70 %) 70 000 €"]],
      [people.waitlisted, dossiers.waitlisted.reference, ["inscription sur la liste complémentaire", "au rang 1.", "sur la vague 2"]],
      [people.rejected, dossiers.rejected.reference, ["projet non retenu", "Le besoin territorial n'est pas démontré.", "Télérecours citoyens"]],
      [people.rejectedColleague, dossiers.rejected.reference, ["projet non retenu"]],
    ];
    for (const [person, reference, phrases] of expectations) {
      const received = mailsTo(person.email);
      expect([person.name, received.length]).toEqual([person.name, 1]);
      const [attachment] = received[0].attachments;
      expect(attachment).toMatchObject({ filename: `decision-${reference}.pdf`, contentType: "application/pdf" });
      const text = pdfText(attachment.content);
      expect(text).toContain(`Référence : dossier ${reference}`);
      for (const phrase of phrases) expect(text).toContain(phrase);
      expect(received[0].text).toContain(`${ORIGIN}/dossiers/${reference}`);
    }

    // Running the job again, directly and through pg-boss, mails nobody twice.
    expect(await prepareLetterBatch(batchId)).toEqual({ prepared: 0, failed: 0, superseded: 0 });
    const jobId = await enqueueJob(PREPARE_LETTERS_JOB, { batchId });
    await waitFor(async () => {
      const { rows } = await sqlRunner.query(`select state from ${JOBS_SCHEMA}.job where id = $1`, [jobId]);
      return (rows as Array<{ state: string }>)[0]?.state === "completed";
    });
    expect(await db.select().from(mails).where(like(mails.dedupeKey, "decision-letter:%"))).toHaveLength(4);
    expect(smtp.received.filter((mail) => mail.headers.get("x-medicobus-template") === "decision-letter")).toHaveLength(4);

    // Nothing left to send for the wave.
    expect((await waveOf(setup.manager, setup.wave1.id)).counts.total).toBe(0);
    expect(await refusal(sendDecisionLetters(setup.manager, setup.wave1.id, { ...DEFAULT_TEMPLATES, expected: 0 }, ORIGIN))).toMatchObject({ status: 409, code: "nothing_to_send" });

    // The applicant finds the PDF on the dossier; another applicant does not.
    const letter = await decisionLetterForMember(people.selected, dossiers.selected.reference);
    expect(letter?.fileName).toBe(`decision-${dossiers.selected.reference}.pdf`);
    expect(await refusal(decisionLetterForMember(people.waitlisted, dossiers.selected.reference))).toMatchObject({ status: 404 });
  });

  it("refuses a template with an unknown or misplaced placeholder (400, naming it) and writes nothing", async () => {
    const { setup } = await decidedWave();
    const error = await refusal(
      sendDecisionLetters(setup.manager, setup.wave1.id, { ...DEFAULT_TEMPLATES, selected: { subject: "Retenu : {{montnat}}", body: "Bonjour" }, rejected: { subject: "Refus", body: "Rang {{rang}}" }, expected: 3 }, ORIGIN),
    );
    expect(error.status).toBe(400);
    expect(error.message).toContain("{{montnat}}");
    expect(error.fieldErrors["selected.subject"]?.[0]).toMatch(/^Le champ \{\{montnat\}\} n'existe pas\./);
    expect(error.fieldErrors["rejected.body"]).toEqual(["Le champ {{rang}} ne s'applique pas aux courriers « Non retenu »."]);
    expect(await db.select().from(decisionLetterBatches).where(eq(decisionLetterBatches.waveId, setup.wave1.id))).toHaveLength(0);
    expect(await refusal(sendDecisionLetters(setup.agent, setup.wave1.id, { ...DEFAULT_TEMPLATES, expected: 3 }, ORIGIN))).toMatchObject({ status: 403 });
  });

  it("supersedes the letter of a reopened decision; the new decision gets its own letter", async () => {
    const { setup, people, dossiers } = await decidedWave();
    const first = await sendDecisionLetters(setup.manager, setup.wave1.id, { ...DEFAULT_TEMPLATES, expected: 3 }, ORIGIN);
    await finished(setup.manager, first.batchId);
    expect(await decisionLetterForMember(people.rejected, dossiers.rejected.reference)).not.toBeNull();

    await reopenDecision(setup.manager, dossiers.rejected.reference, { motivation: "Recours gracieux accueilli" });
    // The letter no longer says what applies: the applicant no longer gets it.
    expect(await decisionLetterForMember(people.rejected, dossiers.rejected.reference)).toBeNull();
    await applyDecision(setup.manager, setup.wave1.id, { decisions: [{ reference: dossiers.rejected.reference, outcome: "waitlisted", waitlistRank: 2 }] });
    expect((await waveOf(setup.manager, setup.wave1.id)).counts).toEqual({ selected: 0, waitlisted: 1, rejected: 0, total: 1 });

    const second = await sendDecisionLetters(setup.manager, setup.wave1.id, { ...DEFAULT_TEMPLATES, expected: 1 }, ORIGIN);
    expect(await finished(setup.manager, second.batchId)).toMatchObject({ total: 1, prepared: 1, sent: 1 });
    const received = await waitFor(() => (mailsTo(people.rejected.email).length === 2 ? mailsTo(people.rejected.email) : undefined));
    expect(pdfText(received[1].attachments[0].content)).toContain("au rang 2.");
    expect(await decisionLetterForMember(people.rejected, dossiers.rejected.reference)).not.toBeNull();
  });

  it("a letter still pending when its decision is reopened is superseded, not sent", async () => {
    const { setup, dossiers } = await decidedWave();
    const [decision] = await db.select().from(decisions).where(and(eq(decisions.applicationId, dossiers.rejected.id)));
    // why: the batch is written as sendDecisionLetters writes it but without its job, so that
    // the reopening comes before the preparation rather than racing with the worker.
    const [batch] = await db.insert(decisionLetterBatches).values({ waveId: setup.wave1.id, templates: DEFAULT_TEMPLATES, origin: ORIGIN, createdBy: setup.manager.id }).returning();
    await db.insert(decisionLetters).values({ decisionId: decision.id, applicationId: dossiers.rejected.id, batchId: batch.id });
    await reopenDecision(setup.manager, dossiers.rejected.reference, { motivation: "Erreur matérielle" });

    expect(await prepareLetterBatch(batch.id)).toEqual({ prepared: 0, failed: 0, superseded: 1 });
    expect(await letterBatchProgress(setup.manager, batch.id)).toMatchObject({ total: 0, superseded: 1, done: true });
    expect(await db.select().from(mails).where(like(mails.dedupeKey, `decision-letter:%`)).then((rows) => rows.filter((row) => row.subject.includes(dossiers.rejected.reference)))).toHaveLength(0);
  });

  it("resumes a batch a crash left pending, and retries a mail the sender gave up on", async () => {
    const { setup, people, dossiers } = await decidedWave();
    const due = await db.select().from(decisions).where(eq(decisions.waveId, setup.wave1.id));
    const current = due.filter((decision) => [dossiers.selected.id, dossiers.waitlisted.id, dossiers.rejected.id].includes(decision.applicationId));
    // why: a batch committed by a process that died before its job ran: rows, no job.
    const [batch] = await db.insert(decisionLetterBatches).values({ waveId: setup.wave1.id, templates: DEFAULT_TEMPLATES, origin: ORIGIN, createdBy: setup.manager.id }).returning();
    await db.insert(decisionLetters).values(current.map((decision) => ({ decisionId: decision.id, applicationId: decision.applicationId, batchId: batch.id })));

    expect(await resumePendingBatches()).toBeGreaterThanOrEqual(1);
    expect(await finished(setup.manager, batch.id)).toMatchObject({ total: 3, prepared: 3, sent: 3 });
    expect(mailsTo(people.selected.email)).toHaveLength(1);

    // why: the sender's last attempt is reached after ~30 min of backoff; its outcome is written directly.
    const [letter] = await db.select().from(decisionLetters).where(eq(decisionLetters.applicationId, dossiers.selected.id));
    await db.update(mails).set({ status: "failed", lastError: "550 boîte pleine" }).where(eq(mails.id, letter.mailIds[0]));
    const failed = await letterBatchProgress(setup.manager, batch.id);
    expect(failed.failures).toEqual([{ reference: dossiers.selected.reference, organisation: "CPTS du Bocage", problem: `Courriel à ${people.selected.email} non remis : 550 boîte pleine` }]);
    expect(failed.sent).toBe(2);

    expect(await retryLetterBatch(setup.manager, batch.id)).toEqual({ letters: 0, mails: 1 });
    await waitFor(() => mailsTo(people.selected.email).length === 2);
    expect(await finished(setup.manager, batch.id)).toMatchObject({ sent: 3, failures: [] });
    expect(await refusal(retryLetterBatch(setup.manager, batch.id))).toMatchObject({ status: 409, code: "nothing_to_retry" });
  });
});
