import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stopJobQueue } from "~/jobs/queue.server";
import { db } from "~db/client.server";
import { decisionLetterBatches, decisionLetters, decisions } from "~db/schema";
import type { SessionUser } from "~/modules/auth/roles";
import { startSession } from "~/modules/auth/session.server";
import { applyDecision } from "~/modules/budget/decisions.server";
import { DEFAULT_TEMPLATES, OUTCOMES } from "~/modules/letters/placeholders";
import { prepareLetterBatch } from "~/modules/letters/service.server";
import * as dossierPage from "~/routes/dossiers.$reference._index";
import * as letterDownload from "~/routes/dossiers.$reference.courrier-decision";
import * as letterPreview from "~/routes/programme.courriers.apercu.$decisionId";
import * as outboxPage from "~/routes/programme.courriers._index";
import * as progressPage from "~/routes/programme.courriers.envois.$batchId";
import * as progressResource from "~/routes/programme.courriers.envois.$batchId.progression";
import { createBudgetDossiers, createBudgetSetup } from "../fixtures/budget";
import { createOrganisation } from "../fixtures/dossiers";
import { createAdmin, createUser } from "../fixtures/users";

/**
 * The decision letters' pages through real Requests, as Remix calls them: every loader and
 * action refused to whoever is not on the programme team (403), the applicant's PDF to anyone
 * outside the organisation (404), the placeholders refused with a 400 that names them, and the
 * path from « Envoyer » to the PDF on the applicant's dossier.
 */
const ORIGIN = "http://portail.test";
const workDir = mkdtempSync(path.join(tmpdir(), "decision-letter-pages-"));

// « Envoyer » queues the batch's job through pg-boss (started on first use): stop it before
// the file's database is dropped. No worker runs here: the test prepares the batch itself.
afterAll(async () => {
  await stopJobQueue();
  rmSync(workDir, { recursive: true, force: true });
});

type Handler = (args: LoaderFunctionArgs | ActionFunctionArgs) => Promise<Response>;

/** Runs a loader or action; a thrown Response (redirect, 403, 404) is returned like a returned one. */
async function call(handler: unknown, request: Request, params: Record<string, string> = {}) {
  return (handler as Handler)({ request, params, context: {} }).catch((thrown: unknown) => {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  });
}

const get = (pathname: string, cookie: string) => new Request(`${ORIGIN}${pathname}`, { headers: { Cookie: cookie } });

function post(pathname: string, fields: Record<string, string>, cookie: string) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  return new Request(`${ORIGIN}${pathname}`, { method: "POST", body, headers: { Cookie: cookie } });
}

const cookieFor = async (user: SessionUser) => (await startSession(user.id)).split(";")[0];

function templateFields(templates = DEFAULT_TEMPLATES) {
  return Object.fromEntries(OUTCOMES.flatMap((outcome) => [[`${outcome}.subject`, templates[outcome].subject], [`${outcome}.body`, templates[outcome].body]]));
}

let setup: Awaited<ReturnType<typeof createBudgetSetup>>;
let stranger: SessionUser;
let cookies: Record<"manager" | "applicant" | "stranger" | "ars" | "anct" | "admin", string>;
let dossiers: Array<{ id: string; reference: string }>;

beforeAll(async () => {
  setup = await createBudgetSetup({ wave1: { budgetCents: 500_000_00, busTarget: 5 } });
  stranger = await createUser({ name: "Autre Porteur" });
  await createOrganisation([{ user: stranger }], { name: "CPTS voisine" });
  const anct = await createUser({ roles: ["anct_agent"] });
  const admin = await createAdmin();
  cookies = {
    manager: await cookieFor(setup.manager),
    applicant: await cookieFor(setup.applicant),
    stranger: await cookieFor(stranger),
    ars: await cookieFor(setup.agent),
    anct: await cookieFor(anct),
    admin: await cookieFor(admin),
  };
  dossiers = await createBudgetDossiers(setup, setup.wave1.id, [{ status: "reviewed" }, { status: "reviewed" }]);
  await applyDecision(setup.manager, setup.wave1.id, {
    decisions: [
      { reference: dossiers[0].reference, outcome: "selected", awardedCents: 80_000_00 },
      { reference: dossiers[1].reference, outcome: "rejected", motivation: "Territoire déjà desservi par un centre de santé." },
    ],
  });
});

const NOT_MANAGERS = ["applicant", "ars", "anct", "admin"] as const;

describe("decision letter pages", () => {
  it("every programme loader and action answers 403 to anyone but the programme team", async () => {
    const [decision] = await db.select().from(decisions).where(eq(decisions.applicationId, dossiers[0].id));
    const [batch] = await db.insert(decisionLetterBatches).values({ waveId: setup.wave1.id, templates: DEFAULT_TEMPLATES, origin: ORIGIN, createdBy: setup.manager.id }).returning();
    const fields = { ...templateFields(), waveId: setup.wave1.id, expected: "2", confirm: "on", intent: "send" };
    for (const role of NOT_MANAGERS) {
      const requests: Array<[string, unknown, Request, Record<string, string>]> = [
        ["outbox", outboxPage.loader, get("/programme/courriers", cookies[role]), {}],
        ["outbox action", outboxPage.action, post("/programme/courriers", fields, cookies[role]), {}],
        ["preview PDF", letterPreview.loader, get(`/programme/courriers/apercu/${decision.id}`, cookies[role]), { decisionId: decision.id }],
        ["progress", progressPage.loader, get(`/programme/courriers/envois/${batch.id}`, cookies[role]), { batchId: batch.id }],
        ["retry", progressPage.action, post(`/programme/courriers/envois/${batch.id}`, {}, cookies[role]), { batchId: batch.id }],
        ["progress JSON", progressResource.loader, get(`/programme/courriers/envois/${batch.id}/progression`, cookies[role]), { batchId: batch.id }],
      ];
      for (const [name, handler, request, params] of requests) {
        const response = await call(handler, request, params);
        expect([name, role, response.status]).toEqual([name, role, 403]);
      }
    }
    // Nothing was sent by the refused « Envoyer »: the only batch is the one written above.
    expect(await db.select().from(decisionLetterBatches)).toHaveLength(1);
    await db.delete(decisionLetterBatches).where(eq(decisionLetterBatches.id, batch.id));

    const unknown = await call(progressPage.loader, get("/programme/courriers/envois/pas-un-envoi", cookies.manager), { batchId: "pas-un-envoi" });
    expect([unknown.status, await unknown.text()]).toEqual([404, "Envoi introuvable."]);
    const unknownWave = await call(outboxPage.loader, get("/programme/courriers?vague=00000000-0000-4000-8000-000000000000", cookies.manager));
    expect(unknownWave.status).toBe(404);
  });

  it("shows the outbox with previews, refuses a bad placeholder or a missing confirmation with a 400, then sends and the applicant gets the PDF", async () => {
    const outbox = await call(outboxPage.loader, get("/programme/courriers", cookies.manager));
    expect(outbox.status).toBe(200);
    const data = await outbox.json();
    expect(data.currentId).toBe(setup.wave1.id);
    expect(data.waves.find((wave: { id: string }) => wave.id === setup.wave1.id).counts).toEqual({ selected: 1, waitlisted: 0, rejected: 1, total: 2 });
    expect(data.pending.map((letter: { reference: string; outcome: string; awardedCents: number | null }) => [letter.reference, letter.outcome, letter.awardedCents])).toEqual([
      [dossiers[0].reference, "selected", 80_000_00],
      [dossiers[1].reference, "rejected", null],
    ]);
    expect(data.previews.map((preview: { outcome: string; to: string }) => [preview.outcome, preview.to])).toEqual([
      ["selected", setup.applicant.email],
      ["rejected", setup.applicant.email],
    ]);

    const preview = await call(letterPreview.loader, get(`/programme/courriers/apercu/${data.waves[0].samples.selected.decisionId}`, cookies.manager), { decisionId: data.waves[0].samples.selected.decisionId });
    expect([preview.status, preview.headers.get("Content-Type")]).toEqual([200, "application/pdf"]);

    const base = { waveId: setup.wave1.id, expected: "2" };
    const badPlaceholder = await call(outboxPage.action, post("/programme/courriers", { ...templateFields(), "rejected.body": "Votre rang : {{rang}}. {{inconnu}}", ...base, intent: "preview" }, cookies.manager));
    expect(badPlaceholder.status).toBe(400);
    const badReply = await badPlaceholder.json();
    expect(badReply.error["rejected.body"]).toEqual(["Le champ {{rang}} ne s'applique pas aux courriers « Non retenu ».", expect.stringMatching(/^Le champ \{\{inconnu\}\} n'existe pas\./)]);

    const previewed = await call(outboxPage.action, post("/programme/courriers", { ...templateFields(), "selected.subject": "Bonne nouvelle pour {{organisation}}", ...base, intent: "preview" }, cookies.manager));
    expect(previewed.status).toBe(200);
    expect((await previewed.json()).previews[0].subject).toBe("Bonne nouvelle pour CPTS du Perche ornais");

    const unconfirmed = await call(outboxPage.action, post("/programme/courriers", { ...templateFields(), ...base, intent: "send" }, cookies.manager));
    expect(unconfirmed.status).toBe(400);
    expect((await unconfirmed.json()).error.confirm).toEqual(["Cochez la case pour confirmer l'envoi des courriers."]);
    const stale = await call(outboxPage.action, post("/programme/courriers", { ...templateFields(), ...base, expected: "5", confirm: "on", intent: "send" }, cookies.manager));
    expect(stale.status).toBe(409);
    expect(await db.select().from(decisionLetterBatches)).toHaveLength(0);

    // Before the letter exists the applicant has none.
    const early = await call(letterDownload.loader, get(`/dossiers/${dossiers[0].reference}/courrier-decision`, cookies.applicant), { reference: dossiers[0].reference });
    expect([early.status, await early.text()]).toEqual([404, "Aucun courrier de décision n'est disponible pour ce dossier."]);

    const sent = await call(outboxPage.action, post("/programme/courriers", { ...templateFields(), ...base, confirm: "on", intent: "send" }, cookies.manager));
    expect(sent.status).toBe(302);
    const location = sent.headers.get("Location")!;
    const batchId = location.split("/").pop()!;
    expect(location).toBe(`/programme/courriers/envois/${batchId}`);
    const before = await (await call(progressResource.loader, get(`${location}/progression`, cookies.manager), { batchId })).json();
    expect(before).toMatchObject({ total: 2, done: false });

    await prepareLetterBatch(batchId);
    const after = await (await call(progressResource.loader, get(`${location}/progression`, cookies.manager), { batchId })).json();
    expect(after).toMatchObject({ total: 2, prepared: 2, pending: 0, failures: [] });
    expect(await db.select().from(decisionLetters).where(eq(decisionLetters.batchId, batchId))).toHaveLength(2);

    const overview = await call(dossierPage.loader, get(`/dossiers/${dossiers[0].reference}`, cookies.applicant), { reference: dossiers[0].reference });
    expect((await overview.json()).decisionLetter.fileName).toBe(`decision-${dossiers[0].reference}.pdf`);
    const download = await call(letterDownload.loader, get(`/dossiers/${dossiers[0].reference}/courrier-decision`, cookies.applicant), { reference: dossiers[0].reference });
    expect([download.status, download.headers.get("Content-Type")]).toEqual([200, "application/pdf"]);
    const file = path.join(workDir, "courrier.pdf");
    writeFileSync(file, Buffer.from(await download.arrayBuffer()));
    expect(execFileSync("/usr/bin/pdftotext", [file, "-"], { encoding: "utf8" }).replace(/[\u00a0\u202f]/g, " ").replace(/\s*\n\s*/g, " ")).toContain("Subvention de l'État 80 000 €");

    // Another applicant, and the agents, never get it.
    for (const role of ["stranger"] as const) {
      const refused = await call(letterDownload.loader, get(`/dossiers/${dossiers[0].reference}/courrier-decision`, cookies[role]), { reference: dossiers[0].reference });
      expect([refused.status, await refused.text()]).toEqual([404, "Dossier introuvable."]);
      const page = await call(dossierPage.loader, get(`/dossiers/${dossiers[0].reference}`, cookies[role]), { reference: dossiers[0].reference });
      expect(page.status).toBe(404);
    }
    for (const role of ["ars", "anct", "admin", "manager"] as const) {
      const refused = await call(letterDownload.loader, get(`/dossiers/${dossiers[0].reference}/courrier-decision`, cookies[role]), { reference: dossiers[0].reference });
      expect([role, refused.status]).toEqual([role, 403]);
    }

    // « Réessayer » with nothing failed says so, without an error page.
    const retried = await call(progressPage.action, post(location, {}, cookies.manager), { batchId });
    expect([retried.status, retried.headers.get("Location")]).toEqual([302, location]);
  });
});
