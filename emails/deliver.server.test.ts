import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "~/env.server";
import { JOBS_SCHEMA, startJobQueue, stopJobQueue } from "~/jobs/queue.server";
import { db, sqlRunner, transaction } from "~db/client.server";
import { mails } from "~db/schema";
import { fileStorage } from "~/modules/files/storage.server";
import { closedSmtpUrl, startTestSmtpServer, type TestSmtpServer } from "../tests/fixtures/smtp";
import { deliverMail, requeueStaleMails } from "./deliver.server";
import { DELIVER_MAIL_JOB, queueMail } from "./send.server";
import { verifyEmailMail } from "./verify-email";

let counter = 0;

/** An outbox row as queueMail writes it, without its job: these tests call the worker by hand. */
async function outboxMail(to = `personne${++counter}@exemple.fr`) {
  // why: the after-commit hook is dropped so that no pg-boss job races with the calls under test.
  const ignoreAfterCommit = () => {};
  const id = await transaction((tx) =>
    queueMail(tx, ignoreAfterCommit, { to, template: verifyEmailMail, data: { name: "Camille", url: `https://medicobus.test/verifier/${counter}`, expiresInHours: 24 } }),
  );
  return { id, to };
}

async function mailRow(id: string) {
  const [row] = await db.select().from(mails).where(eq(mails.id, id));
  return row;
}

async function liveJobsFor(mailId: string) {
  const { rows } = await sqlRunner.query(
    `select id from ${JOBS_SCHEMA}.job where name = $1 and state < 'completed' and data->>'mailId' = $2`,
    [DELIVER_MAIL_JOB, mailId],
  );
  return rows.length;
}

let smtp: TestSmtpServer;

beforeAll(async () => {
  smtp = await startTestSmtpServer({ answerDelayMs: 300 });
  // The sweeper reads pg-boss's job table: its schema must exist, as it does in a worker.
  await startJobQueue("producer");
});

afterAll(async () => {
  await stopJobQueue();
  await smtp.close();
});

describe("deliverMail", () => {
  it("in development mailbox mode (no SMTP), marks the row sent without any SMTP server", async () => {
    expect(env.SMTP_URL).toBeUndefined();
    const { id } = await outboxMail();
    const before = smtp.connections.length;

    expect(await deliverMail(id)).toBe("stored");

    const row = await mailRow(id);
    expect(row).toMatchObject({ status: "sent", attempts: 1, lastError: null, claimedUntil: null, messageId: null });
    expect(row.sentAt).toBeInstanceOf(Date);
    expect(smtp.connections.length).toBe(before);
  });

  it("sends through SMTP with From, To, subject, text, HTML and a Message-ID taken from the row", async () => {
    const { id, to } = await outboxMail();

    expect(await deliverMail(id, { smtpUrl: smtp.url })).toBe("sent");

    const mail = smtp.received.find((m) => m.to && !Array.isArray(m.to) && m.to.value[0].address === to)!;
    expect(mail.subject).toBe("Confirmez votre adresse électronique — Portail Médicobus");
    expect(mail.from?.value).toEqual([{ name: "Portail Médicobus", address: "ne-pas-repondre@medicobus.localhost" }]);
    expect(mail.text).toContain("Bonjour Camille,");
    expect(mail.text).toContain(`https://medicobus.test/verifier/${counter}`);
    expect(mail.html).toContain(`href="https://medicobus.test/verifier/${counter}"`);
    expect(mail.messageId).toBe(`<${id}@medicobus.localhost>`);
    expect(mail.headers.get("auto-submitted")).toBe("auto-generated");
    expect(mail.headers.get("x-medicobus-template")).toBe("verify-email");
    expect(await mailRow(id)).toMatchObject({ status: "sent", attempts: 1, messageId: `<${id}@medicobus.localhost>`, claimedUntil: null });
  });

  it("attaches files from the storage, byte for byte", async () => {
    const pdf = Buffer.from("%PDF-1.4\n% récépissé de test\n%%EOF\n");
    const stored = await fileStorage().put(new Uint8Array(pdf));
    const to = `piece-jointe${++counter}@exemple.fr`;
    const id = await transaction((tx) =>
      queueMail(tx, () => {}, {
        to,
        template: verifyEmailMail,
        data: { name: "Camille", url: "https://medicobus.test/v", expiresInHours: 24 },
        attachments: [{ filename: "recepisse-MB-2026-ABCDEF.pdf", contentType: "application/pdf", sha256: stored.sha256 }],
      }),
    );
    expect(await deliverMail(id, { smtpUrl: smtp.url })).toBe("sent");
    const mail = smtp.received.find((m) => m.to && !Array.isArray(m.to) && m.to.value[0].address === to)!;
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([["recepisse-MB-2026-ABCDEF.pdf", "application/pdf"]]);
    expect(Buffer.compare(mail.attachments[0].content, pdf)).toBe(0);
  });

  it("queues a mail with a dedupe key once, however many times it is asked", async () => {
    const to = `dedupe${++counter}@exemple.fr`;
    const queue = () =>
      transaction((tx) => queueMail(tx, () => {}, { to, template: verifyEmailMail, data: { name: "C", url: "https://medicobus.test/v", expiresInHours: 24 }, dedupeKey: `test:${to}` }));
    const first = await queue();
    expect(await queue()).toBe(first);
    const rows = await db.select().from(mails).where(eq(mails.to, to));
    expect(rows).toHaveLength(1);
  });

  it("never sends a row twice once it is sent", async () => {
    const { id, to } = await outboxMail();
    await deliverMail(id, { smtpUrl: smtp.url });

    expect(await deliverMail(id, { smtpUrl: smtp.url })).toBe("already-sent");
    expect(smtp.received.filter((m) => !Array.isArray(m.to) && m.to?.value[0].address === to)).toHaveLength(1);
    expect((await mailRow(id)).attempts).toBe(1);
  });

  it("sends once when two workers race on the same row", async () => {
    const { id, to } = await outboxMail();

    const outcomes = await Promise.all([deliverMail(id, { smtpUrl: smtp.url }), deliverMail(id, { smtpUrl: smtp.url })]);

    expect(outcomes.sort()).toEqual(["claimed-elsewhere", "sent"]);
    expect(smtp.received.filter((m) => !Array.isArray(m.to) && m.to?.value[0].address === to)).toHaveLength(1);
    expect(await mailRow(id)).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("records a failed attempt, releases the row for the retry, and marks it failed after the last one", async () => {
    const { id } = await outboxMail();
    const downUrl = await closedSmtpUrl();

    await expect(deliverMail(id, { smtpUrl: downUrl })).rejects.toThrow(/ECONNREFUSED/);
    expect(await mailRow(id)).toMatchObject({ status: "queued", attempts: 1, claimedUntil: null, lastError: expect.stringMatching(/ECONNREFUSED/) });

    await expect(deliverMail(id, { smtpUrl: downUrl, lastAttempt: true })).rejects.toThrow(/ECONNREFUSED/);
    expect(await mailRow(id)).toMatchObject({ status: "failed", attempts: 2 });

    expect(await deliverMail(id, { smtpUrl: smtp.url })).toBe("already-failed");
  });

  it("does nothing for a row that does not exist (its transaction rolled back)", async () => {
    expect(await deliverMail("00000000-0000-4000-8000-000000000000", { smtpUrl: smtp.url })).toBe("missing");
  });
});

describe("requeueStaleMails (the outbox sweeper)", () => {
  it("re-enqueues a queued mail that lost its job, once, and leaves the others alone", async () => {
    const lost = await outboxMail();
    const fresh = await outboxMail();
    const sent = await outboxMail();
    const leased = await outboxMail();
    await deliverMail(sent.id);
    const tenMinutesAgo = sql`now() - interval '10 minutes'`;
    for (const { id } of [lost, sent, leased]) await db.update(mails).set({ createdAt: tenMinutesAgo }).where(eq(mails.id, id));
    await db.update(mails).set({ claimedUntil: sql`now() + interval '1 minute'` }).where(eq(mails.id, leased.id));

    expect(await requeueStaleMails()).toBe(1);
    expect(await liveJobsFor(lost.id)).toBe(1);
    for (const other of [fresh, sent, leased]) expect(await liveJobsFor(other.id)).toBe(0);

    // Its job is now waiting: the next sweep must not add a second one.
    expect(await requeueStaleMails()).toBe(0);
    expect(await liveJobsFor(lost.id)).toBe(1);
  });
});
