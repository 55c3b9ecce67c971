import type { LoaderFunctionArgs } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { env } from "~/env.server";
import { startJobs, stopJobs } from "~/jobs/runner.server";
import { loader as messageLoader } from "~/routes/dev.courriels.$id";
import { loader as listLoader } from "~/routes/dev.courriels._index";
import { db, transaction } from "~db/client.server";
import { mails } from "~db/schema";
import { queueMail } from "~emails/send.server";
import { verifyEmailMail } from "~emails/verify-email";

/** Without SMTP_URL (the quick start), mails are delivered into the development mailbox. */
beforeAll(async () => {
  expect(env.SMTP_URL).toBeUndefined();
  await startJobs();
});

afterAll(async () => {
  await stopJobs();
});

const args = (url: string, params: Record<string, string> = {}) =>
  ({ request: new Request(`http://localhost${url}`), params, context: {} }) as LoaderFunctionArgs;

async function queueVerification(to: string, token: string) {
  return transaction((tx, afterCommit) =>
    queueMail(tx, afterCommit, { to, template: verifyEmailMail, data: { name: "Sacha", url: `http://localhost:3000/verifier/${token}?a=1&b=2`, expiresInHours: 24 } }),
  );
}

async function readJson(response: Response) {
  return response.json();
}

async function statusOf(id: string) {
  const [row] = await db.select({ status: mails.status }).from(mails).where(eq(mails.id, id));
  return row.status;
}

describe("development mailbox", () => {
  it("receives a mail after the commit, with no SMTP server", async () => {
    const id = await queueVerification("nouvelle.personne@exemple.fr", "jeton-1");
    // Waits for the worker, without timing it: speed is measured by benchmarks, not by tests
    // (a loaded machine would make a timed assertion fail for no fault of the code).
    const deadline = Date.now() + 60_000;
    while ((await statusOf(id)) !== "sent") {
      if (Date.now() > deadline) throw new Error("the mail was not delivered within 60 s");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await statusOf(id)).toBe("sent");
  });

  it("lists the mails, newest first, and filters by (part of) the address, case-insensitively", async () => {
    await queueVerification("alice@exemple.fr", "jeton-a");
    await queueVerification("bob@exemple.fr", "jeton-b");

    const all = await readJson(await listLoader(args("/dev/courriels")));
    expect(all.messages.map((m: { to: string }) => m.to).slice(0, 2)).toEqual(["bob@exemple.fr", "alice@exemple.fr"]);
    expect(all.messages[0]).toMatchObject({ subject: "Confirmez votre adresse électronique — Portail Médicobus" });

    const filtered = await readJson(await listLoader(args("/dev/courriels?adresse=%20ALICE@")));
    expect(filtered.address).toBe("ALICE@");
    expect(filtered.messages.map((m: { to: string }) => m.to)).toEqual(["alice@exemple.fr"]);

    // « % » is a character to look for, not a wildcard.
    const wildcard = await readJson(await listLoader(args("/dev/courriels?adresse=%25")));
    expect(wildcard.messages).toEqual([]);
  });

  it("shows one mail with its text, its HTML and its links as plain links", async () => {
    const id = await queueVerification("camille@exemple.fr", "jeton-c");

    const { mail, from } = await readJson(await messageLoader(args(`/dev/courriels/${id}`, { id })));
    expect(from).toBe(env.MAIL_FROM);
    expect(mail).toMatchObject({ id, to: "camille@exemple.fr", template: "verify-email" });
    expect(mail.text).toContain("http://localhost:3000/verifier/jeton-c?a=1&b=2");
    expect(mail.html).toContain("Confirmer mon adresse");
    expect(mail.links).toEqual(["http://localhost:3000/verifier/jeton-c?a=1&b=2"]);
  });

  it("answers 404 for an unknown or malformed id", async () => {
    for (const id of ["00000000-0000-4000-8000-000000000000", "pas-un-identifiant"]) {
      const thrown = await messageLoader(args(`/dev/courriels/${id}`, { id })).catch((error: unknown) => error);
      expect(thrown).toBeInstanceOf(Response);
      expect((thrown as Response).status).toBe(404);
    }
  });

  it("does not exist once SMTP_URL is set (which production requires)", async () => {
    vi.resetModules();
    vi.stubEnv("SMTP_URL", "smtp://127.0.0.1:2525");
    try {
      const list = await import("~/routes/dev.courriels._index");
      const message = await import("~/routes/dev.courriels.$id");
      const [id] = (await db.select({ id: mails.id }).from(mails).limit(1)).map((row) => row.id);
      for (const attempt of [list.loader(args("/dev/courriels")), message.loader(args(`/dev/courriels/${id}`, { id }))]) {
        const thrown = await attempt.catch((error: unknown) => error);
        expect((thrown as Response).status).toBe(404);
      }
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });
});
