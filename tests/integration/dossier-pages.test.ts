import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "~db/client.server";
import { stopJobQueue } from "~/jobs/queue.server";
import { applicationEvents, applicationMessages, applications, waves } from "~db/schema";
import type { SessionUser } from "~/modules/auth/roles";
import { startSession } from "~/modules/auth/session.server";
import { MESSAGE_MAX_LENGTH, postAgentMessage } from "~/modules/applications/messages.server";
import { MESSAGE_BODY_MAX } from "~/modules/applications/message-schema";
import { createDraft, submitDossier } from "~/modules/applications/service.server";
import * as layoutPage from "~/routes/dossiers.$reference";
import * as messagesPage from "~/routes/dossiers.$reference.messages";
import * as recapPage from "~/routes/dossiers.$reference.recapitulatif";
import * as receiptPage from "~/routes/dossiers.$reference.recepisse";
import * as withdrawPage from "~/routes/dossiers.$reference.retrait";
import * as homePage from "~/routes/mon-espace._index";
import * as newDossierPage from "~/routes/dossiers.nouveau";
import { createCompleteDraft } from "../fixtures/complete-dossier";
import { createCall, createOrganisation } from "../fixtures/dossiers";
import { createUser } from "../fixtures/users";

/**
 * The dossier pages' loaders and actions, called with real Requests as Remix would: statuses,
 * redirects, what is written and what is not, who may open what.
 */

const ORIGIN = "http://portail.test";

// A submission queues its receipt mail (pg-boss, started on first use): stop it before the
// file's database is dropped, or its connections are cut mid-poll.
afterAll(() => stopJobQueue());
type Handler = (args: LoaderFunctionArgs | ActionFunctionArgs) => Promise<Response>;

function post(path: string, fields: Record<string, string>, cookie: string) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  return new Request(`${ORIGIN}${path}`, { method: "POST", body, headers: { Cookie: cookie } });
}

function get(path: string, cookie: string) {
  return new Request(`${ORIGIN}${path}`, { headers: { Cookie: cookie } });
}

/** Runs a loader or action; a thrown Response (redirect, 404) is returned like a returned one. */
async function call(handler: unknown, request: Request, params: Record<string, string> = {}) {
  return (handler as Handler)({ request, params, context: {} }).catch((thrown: unknown) => {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  });
}

async function cookieFor(user: SessionUser) {
  return (await startSession(user.id)).split(";")[0];
}

async function reload(id: string) {
  const [row] = await db.select().from(applications).where(eq(applications.id, id));
  return row;
}

async function countEvents(applicationId: string, event: string) {
  return (await db.select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, applicationId), eq(applicationEvents.event, event)))).length;
}

describe("/dossiers/nouveau without an open wave", () => {
  // The first call of this file's database is the public one (getPublicCall): here, all closed.
  it("says so with a 409, on the page and on the form, and creates nothing", async () => {
    await createCall({ closesInDays: -1 });
    const owner = await createUser();
    const organisation = await createOrganisation([{ user: owner }]);
    const cookie = await cookieFor(owner);
    const page = await call(newDossierPage.loader, get("/dossiers/nouveau", cookie));
    expect(page.status).toBe(409);
    expect((await page.json()).openWave).toBeNull();
    const refused = await call(newDossierPage.action, post("/dossiers/nouveau", { organisationId: organisation.id }, cookie));
    expect(refused.status).toBe(409);
    expect((await refused.json()).error[""][0]).toMatch(/Aucune vague de dépôt n'est ouverte/);
    expect(await db.select().from(applications).where(eq(applications.organisationId, organisation.id))).toEqual([]);
  });
});

describe("dossier layout", () => {
  it("shows the dossier to its members and is a 404 for anyone else", async () => {
    const { owner, draft } = await createCompleteDraft();
    const own = await call(layoutPage.loader, get(`/dossiers/${draft.reference}`, await cookieFor(owner)), { reference: draft.reference });
    expect(own.status).toBe(200);
    const view = await own.json();
    expect(view.dossier.reference).toBe(draft.reference);
    expect(view.missing).toEqual([]);
    expect(view.overseasDeadlines).toEqual([]);

    const stranger = await createUser();
    const other = await call(layoutPage.loader, get(`/dossiers/${draft.reference}`, await cookieFor(stranger)), { reference: draft.reference });
    expect(other.status).toBe(404);
    expect(await other.text()).toBe("Dossier introuvable.");
  });
});

describe("recap: engagement and submission", () => {
  it("refuses an incomplete submission with 422 and writes nothing", async () => {
    const { call: dossierCall } = await createCall();
    const owner = await createUser();
    const organisation = await createOrganisation([{ user: owner }]);
    const draft = await createDraft(owner, { organisationId: organisation.id, callId: dossierCall.id });
    const before = await reload(draft.id);
    const response = await call(recapPage.action, post(`/dossiers/${draft.reference}/recapitulatif`, { intent: "submit" }, await cookieFor(owner)), { reference: draft.reference });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ formId: "submit", code: "incomplete", message: expect.stringMatching(/^Le dossier est incomplet/) });
    const after = await reload(draft.id);
    expect(after).toMatchObject({ status: "draft", version: before.version, submittedAt: null, submittedHash: null });
    expect(await countEvents(draft.id, "submit")).toBe(0);
  });

  it("makes one submission of 20 concurrent POSTs, each answered by the redirect to the overview", async () => {
    const { owner, draft } = await createCompleteDraft();
    const cookie = await cookieFor(owner);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => call(recapPage.action, post(`/dossiers/${draft.reference}/recapitulatif`, { intent: "submit" }, cookie), { reference: draft.reference })),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(302));
    expect(new Set(responses.map((response) => response.headers.get("Location")))).toEqual(new Set([`/dossiers/${draft.reference}`]));
    expect(responses.every((response) => /mb_toast=/.test(response.headers.get("Set-Cookie") ?? ""))).toBe(true);
    expect(await countEvents(draft.id, "submit")).toBe(1);
    expect((await reload(draft.id)).status).toBe("submitted");
  });

  it("refuses a submission after the deadline with 409 and writes nothing", async () => {
    const { owner, draft, wave } = await createCompleteDraft();
    // The wave closed yesterday, after the draft was made.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await db.update(waves).set({ closesOn: yesterday }).where(eq(waves.id, wave.id));
    const response = await call(recapPage.action, post(`/dossiers/${draft.reference}/recapitulatif`, { intent: "submit" }, await cookieFor(owner)), { reference: draft.reference });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ code: "deadline_passed", message: expect.stringMatching(/date limite de dépôt/) });
    expect((await reload(draft.id)).status).toBe("draft");
    expect(await countEvents(draft.id, "submit")).toBe(0);
  });

  it("saves the engagement (302), refuses it incomplete (400) or from a stale page (409)", async () => {
    const { owner, draft } = await createCompleteDraft();
    const cookie = await cookieFor(owner);
    const path = `/dossiers/${draft.reference}/recapitulatif`;
    const params = { reference: draft.reference };
    const version = (await reload(draft.id)).version;

    const incomplete = await call(recapPage.action, post(path, { intent: "engagement", signatoryName: "", signatoryCapacity: "Maire", version: String(version) }, cookie), params);
    expect(incomplete.status).toBe(400);
    expect(Object.keys((await incomplete.json()).error).sort()).toEqual(["attests", "signatoryName"]);
    expect((await reload(draft.id)).version).toBe(version);

    const saved = await call(recapPage.action, post(path, { intent: "engagement", signatoryName: "Jean Martin", signatoryCapacity: "Maire", attests: "on", version: String(version) }, cookie), params);
    expect(saved.status).toBe(302);
    expect(saved.headers.get("Location")).toBe(path);
    expect(((await reload(draft.id)).formData as { engagement: unknown }).engagement).toEqual({ signatoryName: "Jean Martin", signatoryCapacity: "Maire", attests: true });

    const stale = await call(recapPage.action, post(path, { intent: "engagement", signatoryName: "Autre", signatoryCapacity: "Maire", attests: "on", version: String(version) }, cookie), params);
    expect(stale.status).toBe(409);
    expect((await stale.json()).error[""][0]).toMatch(/modifié entre-temps/);
  });

  it("is a 404 for a member of another organisation, whatever the form", async () => {
    const { draft } = await createCompleteDraft();
    const stranger = await createUser();
    const cookie = await cookieFor(stranger);
    const submit = await call(recapPage.action, post(`/dossiers/${draft.reference}/recapitulatif`, { intent: "submit" }, cookie), { reference: draft.reference });
    expect(submit.status).toBe(404);
    expect((await reload(draft.id)).status).toBe("draft");
  });
});

describe("/dossiers/:reference/recepisse", () => {
  it("downloads the PDF once submitted; 404 for a draft and for another organisation's member", async () => {
    const { owner, draft } = await createCompleteDraft();
    const cookie = await cookieFor(owner);
    const path = `/dossiers/${draft.reference}/recepisse`;
    const params = { reference: draft.reference };

    expect((await call(receiptPage.loader, get(path, cookie), params)).status).toBe(404);

    await submitDossier(owner, draft.reference);
    const response = await call(receiptPage.loader, get(path, cookie), params);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="recepisse-${draft.reference}.pdf"`);
    expect(Buffer.from(await response.arrayBuffer()).subarray(0, 5).toString("latin1")).toBe("%PDF-");

    const stranger = await createUser();
    const other = await call(receiptPage.loader, get(path, await cookieFor(stranger)), params);
    expect(other.status).toBe(404);
  });
});

describe("/dossiers/:reference/messages", () => {
  it("keeps the page's limit equal to the service's", () => {
    expect(MESSAGE_BODY_MAX).toBe(MESSAGE_MAX_LENGTH);
  });

  it("answers an empty message with 400 and writes nothing; posts a message and marks the thread read", async () => {
    const { owner, draft } = await createCompleteDraft();
    await submitDossier(owner, draft.reference);
    const ars = await createUser({ roles: [{ role: "ars_agent", regionCode: "28" }] });
    await postAgentMessage(ars, draft.reference, { body: "Pouvez-vous préciser le plan de tournée ?", origin: ORIGIN });
    const cookie = await cookieFor(owner);
    const path = `/dossiers/${draft.reference}/messages`;
    const params = { reference: draft.reference };

    const empty = await call(messagesPage.action, post(path, { body: "   " }, cookie), params);
    expect(empty.status).toBe(400);
    expect((await empty.json()).error.body).toEqual(["Écrivez votre message."]);
    const tooLong = await call(messagesPage.action, post(path, { body: "x".repeat(MESSAGE_BODY_MAX + 1) }, cookie), params);
    expect(tooLong.status).toBe(400);
    expect(await db.select().from(applicationMessages).where(eq(applicationMessages.applicationId, draft.id))).toHaveLength(1);

    const home = async () => (await (await call(homePage.loader, get("/mon-espace", cookie))).json()) as { expected: { unread: Array<{ reference: string }> } };
    expect((await home()).expected.unread.map((dossier) => dossier.reference)).toEqual([draft.reference]);
    const thread = await call(messagesPage.loader, get(path, cookie), params);
    expect(thread.status).toBe(200);
    expect((await thread.json()).messages.map((message: { side: string }) => message.side)).toEqual(["agent"]);
    expect((await home()).expected.unread).toEqual([]);

    const sent = await call(messagesPage.action, post(path, { body: "Le plan de tournée est joint." }, cookie), params);
    expect(sent.status).toBe(302);
    expect(sent.headers.get("Location")).toBe(path);
    expect(await db.select().from(applicationMessages).where(eq(applicationMessages.applicationId, draft.id))).toHaveLength(2);
  });

  it("refuses a message on a draft with 409: the thread opens at submission", async () => {
    const { owner, draft } = await createCompleteDraft();
    const response = await call(messagesPage.action, post(`/dossiers/${draft.reference}/messages`, { body: "Bonjour" }, await cookieFor(owner)), { reference: draft.reference });
    expect(response.status).toBe(409);
  });
});

describe("/dossiers/:reference/retrait", () => {
  it("answers 400 without a motivation or confirmation and changes nothing; withdraws with both; 409 a second time", async () => {
    const { owner, draft } = await createCompleteDraft();
    const cookie = await cookieFor(owner);
    const path = `/dossiers/${draft.reference}/retrait`;
    const params = { reference: draft.reference };

    const refused = await call(withdrawPage.action, post(path, { motivation: "  ", confirm: "on" }, cookie), params);
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.motivation).toEqual(["Indiquez le motif du retrait."]);
    const unconfirmed = await call(withdrawPage.action, post(path, { motivation: "Projet abandonné" }, cookie), params);
    expect(unconfirmed.status).toBe(400);
    expect((await reload(draft.id)).status).toBe("draft");

    const withdrawn = await call(withdrawPage.action, post(path, { motivation: "Projet abandonné", confirm: "on" }, cookie), params);
    expect(withdrawn.status).toBe(302);
    expect(withdrawn.headers.get("Location")).toBe(`/dossiers/${draft.reference}`);
    expect((await reload(draft.id)).status).toBe("withdrawn");
    const [event] = await db.select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, draft.id), eq(applicationEvents.event, "withdraw")));
    expect(event.motivation).toBe("Projet abandonné");

    const again = await call(withdrawPage.action, post(path, { motivation: "Encore", confirm: "on" }, cookie), params);
    expect(again.status).toBe(409);
    expect((await again.json()).error[""][0]).toMatch(/Retiré/);
  });
});
