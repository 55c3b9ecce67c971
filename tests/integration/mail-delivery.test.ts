import { eq } from "drizzle-orm";
import type { ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueJob, JOBS_SCHEMA } from "~/jobs/queue.server";
import { startJobs, stopJobs } from "~/jobs/runner.server";
import { db, sqlRunner, transaction } from "~db/client.server";
import { mails } from "~db/schema";
import { DELIVER_MAIL_JOB, queueMail } from "~emails/send.server";
import { verifyEmailMail } from "~emails/verify-email";
import { startTestSmtpServer, type TestSmtpServer } from "../fixtures/smtp";

/**
 * The whole path with pg-boss workers running, as in `npm start`: a business transaction writes
 * the outbox row, the job is queued after commit, a worker delivers it to a real SMTP server.
 */
let smtp: TestSmtpServer;

beforeAll(async () => {
  // The server takes 1 s to accept a message, longer than a worker's polling interval: two
  // workers given jobs for the same mail are then both at work on it at the same time.
  smtp = await startTestSmtpServer({ answerDelayMs: 1_000 });
  await startJobs({ smtpUrl: smtp.url });
});

afterAll(async () => {
  await stopJobs();
  await smtp.close();
});

const verification = (n: number) => ({ name: "Dominique", url: `https://medicobus.test/verifier/jeton-${n}`, expiresInHours: 24 });

function mailsTo(address: string) {
  return smtp.received.filter((mail: ParsedMail) => !Array.isArray(mail.to) && mail.to?.value[0].address === address);
}

async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`nothing after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function mailRow(id: string) {
  const [row] = await db.select().from(mails).where(eq(mails.id, id));
  return row;
}

async function deliveryJobs() {
  const { rows } = await sqlRunner.query(`select id, state, retry_count, output from ${JOBS_SCHEMA}.job where name = $1`, [DELIVER_MAIL_JOB]);
  return rows as Array<{ id: string; state: string; retry_count: number; output: { value?: string } | null }>;
}

/** An outbox row without its after-commit job, for the tests that send the job themselves. */
async function outboxRowOnly(to: string, n: number) {
  // why: the after-commit enqueue is dropped so the test can enqueue with its own options.
  const ignoreAfterCommit = () => {};
  return transaction((tx) => queueMail(tx, ignoreAfterCommit, { to, template: verifyEmailMail, data: verification(n) }));
}

describe("mail delivery through pg-boss", () => {
  it("delivers a mail queued in a transaction, with its subject, text, HTML, From and To", async () => {
    const to = "porteur.1@exemple.fr";
    const mailId = await transaction((tx, afterCommit) => queueMail(tx, afterCommit, { to, template: verifyEmailMail, data: verification(1) }));

    // Waits without timing: a loaded machine must not fail a test that has nothing wrong.
    const [mail] = await waitFor(() => (mailsTo(to).length > 0 ? mailsTo(to) : undefined), 60_000);
    expect(mail.subject).toBe("Confirmez votre adresse électronique — Portail Médicobus");
    expect(mail.from?.value).toEqual([{ name: "Portail Médicobus", address: "ne-pas-repondre@medicobus.localhost" }]);
    expect(mail.text).toContain("Pour l'activer, confirmez votre adresse électronique");
    expect(mail.text).toContain("https://medicobus.test/verifier/jeton-1");
    expect(mail.html).toContain('<a href="https://medicobus.test/verifier/jeton-1"');
    expect(mail.html).toContain("Confirmer mon adresse");
    const row = await waitFor(async () => {
      const current = await mailRow(mailId);
      return current.status === "sent" ? current : undefined;
    }, 5_000);
    expect(row).toMatchObject({ attempts: 1, messageId: mail.messageId, lastError: null });
  });

  it("retries with backoff while the SMTP server refuses, then delivers exactly once", async () => {
    const to = "porteur.2@exemple.fr";
    const mailId = await outboxRowOnly(to, 2);
    const firstConnection = smtp.connections.length;
    smtp.refuseNext(2);

    // A 1 s base delay instead of 5 s keeps the test short; the backoff doubles it all the same.
    const jobId = await enqueueJob(DELIVER_MAIL_JOB, { mailId }, { retryDelay: 1 });

    await waitFor(() => (mailsTo(to).length > 0 ? true : undefined), 60_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(mailsTo(to)).toHaveLength(1);

    const [refused1, refused2, accepted] = smtp.connections.slice(firstConnection);
    // pg-boss waits delay × 2^(n-1) × (1 + jitter) before retry n: at least 1 s, then 2 s.
    expect(refused2 - refused1).toBeGreaterThanOrEqual(1_000);
    expect(accepted - refused2).toBeGreaterThanOrEqual(2_000);
    expect(smtp.connections.length - firstConnection).toBe(3);

    const row = await waitFor(async () => {
      const current = await mailRow(mailId);
      return current.status === "sent" ? current : undefined;
    }, 5_000);
    expect(row).toMatchObject({ attempts: 3, lastError: null });
    const job = await waitFor(async () => (await deliveryJobs()).find((j) => j.id === jobId && j.state === "completed"), 5_000);
    expect(job.retry_count).toBe(2);
  });

  it("never sends a mail whose transaction rolled back", async () => {
    const to = "porteur.3@exemple.fr";
    const jobsBefore = (await deliveryJobs()).length;

    await expect(
      transaction(async (tx, afterCommit) => {
        await queueMail(tx, afterCommit, { to, template: verifyEmailMail, data: verification(3) });
        throw new Error("la suite de l'opération a échoué");
      }),
    ).rejects.toThrow("la suite de l'opération a échoué");

    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(mailsTo(to)).toHaveLength(0);
    expect(await db.select().from(mails).where(eq(mails.to, to))).toHaveLength(0);
    expect((await deliveryJobs()).length).toBe(jobsBefore);
  });

  it("sends once when two jobs for the same mail reach two workers", async () => {
    const to = "porteur.4@exemple.fr";
    const mailId = await outboxRowOnly(to, 4);

    const jobIds = await Promise.all([enqueueJob(DELIVER_MAIL_JOB, { mailId }), enqueueJob(DELIVER_MAIL_JOB, { mailId })]);

    const outputs = await waitFor(async () => {
      const done = (await deliveryJobs()).filter((job) => jobIds.includes(job.id) && job.state === "completed");
      return done.length === 2 ? done.map((job) => job.output?.value).sort() : undefined;
    }, 60_000);
    expect(outputs[1]).toBe("sent");
    expect(["already-sent", "claimed-elsewhere"]).toContain(outputs[0]);
    expect(mailsTo(to)).toHaveLength(1);
  });
});
