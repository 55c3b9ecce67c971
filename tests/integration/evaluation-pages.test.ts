import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~db/client.server";
import { evaluationAmendments, evaluations } from "~db/schema";
import type { SessionUser } from "~/modules/auth/roles";
import { startSession } from "~/modules/auth/session.server";
import { admitDossier, declareConflict } from "~/modules/instruction/service.server";
import * as evaluationPage from "~/routes/instruction.dossiers.$reference.evaluations.$rubric";
import * as sheetPage from "~/routes/instruction.dossiers.$reference.fiche-evaluation";
import { assignDirectly, createInstructionCast, createInstructionSetup, reloadDossier } from "../fixtures/instruction";
import { createUser } from "../fixtures/users";

/**
 * The evaluation page and the evaluation sheet through real Requests, as Remix calls them: who
 * may open and post what (404 / 403), what a refused post answers (400 by field, 409) and writes
 * (nothing), and what a successful one stores — with the figures typed the French way.
 */

const ORIGIN = "http://portail.test";
type Handler = (args: LoaderFunctionArgs | ActionFunctionArgs) => Promise<Response>;

async function call(handler: unknown, request: Request, params: Record<string, string>) {
  return (handler as Handler)({ request, params, context: {} }).catch((thrown: unknown) => {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  });
}

async function cookieFor(user: SessionUser) {
  return (await startSession(user.id)).split(";")[0];
}

const pathOf = (reference: string, rubric: string) => `/instruction/dossiers/${reference}/evaluations/${rubric}`;

async function open(user: SessionUser, reference: string, rubric: string, search = "") {
  const request = new Request(`${ORIGIN}${pathOf(reference, rubric)}${search}`, { headers: { Cookie: await cookieFor(user) } });
  return call(evaluationPage.loader, request, { reference, rubric });
}

async function send(user: SessionUser, reference: string, rubric: string, fields: Record<string, string>) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  const request = new Request(`${ORIGIN}${pathOf(reference, rubric)}`, { method: "POST", body, headers: { Cookie: await cookieFor(user) } });
  return call(evaluationPage.action, request, { reference, rubric });
}

async function sheet(user: SessionUser, reference: string) {
  const request = new Request(`${ORIGIN}/instruction/dossiers/${reference}/fiche-evaluation`, { headers: { Cookie: await cookieFor(user) } });
  return call(sheetPage.loader, request, { reference });
}

const ARS_CODES = ["besoin_territorial", "projet_medical", "partenariats", "viabilite_economique", "ressources_humaines"];
const ANCT_CODES = ["ruralite_couverture", "france_ruralites", "mobilisation_collectivites", "perennite"];

/** The form's fields as the page posts them: every criterion marked `mark` and justified. */
function completeFields(codes: string[], mark: number | ((index: number) => number), extra: Record<string, string> = {}) {
  const fields: Record<string, string> = { avis: "favorable", recommended: "60 000", intent: "submit" };
  codes.forEach((code, index) => {
    fields[`scores.${code}.score`] = String(typeof mark === "number" ? mark : mark(index));
    fields[`scores.${code}.justification`] = `Appréciation du critère ${code}.`;
  });
  return { ...fields, ...extra };
}

const evaluationsOf = (applicationId: string) => db.select().from(evaluations).where(eq(evaluations.applicationId, applicationId));

let cast: Awaited<ReturnType<typeof createInstructionCast>>;
let owner: SessionUser;
let setup: Awaited<ReturnType<typeof createInstructionSetup>>;
let reference: string;

beforeEach(async () => {
  cast = await createInstructionCast();
  owner = await createUser();
  setup = await createInstructionSetup(owner);
  reference = setup.dossier.reference;
  await admitDossier(cast.arsNormandie, reference, { motivation: "Recevable." });
  await assignDirectly(setup.dossier.id, "ars", cast.arsNormandie.id);
  await assignDirectly(setup.dossier.id, "anct", cast.anctNational.id);
});

describe("who may open the evaluation page", () => {
  it("opens the form for the assigned evaluator, with the call's grid and the amount requested", async () => {
    const response = await open(cast.arsNormandie, reference, "ars");
    expect(response.status).toBe(200);
    const data = await response.json();
    expect(data).toMatchObject({ rubric: "ars", state: "edit", evaluation: null, requestedCents: 80_000_00 });
    expect(data.criteria.map((criterion: { code: string }) => criterion.code)).toEqual(ARS_CODES);
  });

  it("answers 404 for an unknown grid or a dossier out of scope, 403 to anyone not assigned, and sends the applicant away", async () => {
    expect((await open(cast.arsNormandie, reference, "ministere")).status).toBe(404);
    expect((await open(cast.arsBretagne, reference, "ars")).status).toBe(404);
    expect((await open(cast.arsNormandie, "MB-2026-ZZZZZZ", "ars")).status).toBe(404);
    for (const [agent, rubric] of [
      [cast.arsNormandie2, "ars"],
      [cast.arsNormandie, "anct"],
      [cast.anctNormandie, "anct"],
      [cast.manager, "ars"],
    ] as const) {
      const response = await open(agent, reference, rubric);
      expect(response.status).toBe(403);
      expect(await response.text()).toMatch(/^Ce dossier ne vous est pas confié pour la grille/);
    }
    // The applicant, even the dossier's own: the instruction area is closed to the role (403).
    expect((await open(owner, reference, "ars")).status).toBe(403);
    expect((await call(evaluationPage.loader, new Request(`${ORIGIN}${pathOf(reference, "ars")}`), { reference, rubric: "ars" })).status).toBe(302);
  });

  it("answers 403 to an agent who declared a conflict, even with an assignment put back behind the service's back", async () => {
    await declareConflict(cast.anctNational, reference, { reason: "Ancien salarié du porteur." });
    await assignDirectly(setup.dossier.id, "anct", cast.anctNational.id);
    const response = await open(cast.anctNational, reference, "anct");
    expect(response.status).toBe(403);
    expect(await response.text()).toBe("Vous avez déclaré un conflit d'intérêts sur ce dossier : vous ne pouvez pas l'évaluer.");
    // A crafted post is refused before its values are even read: 403, not 400, and nothing stored.
    const posted = await send(cast.anctNational, reference, "anct", { "scores.perennite.score": "9", intent: "submit" });
    expect(posted.status).toBe(403);
    expect((await posted.json()).error[""]).toEqual(["Vous avez déclaré un conflit d'intérêts sur ce dossier : vous ne pouvez pas l'évaluer."]);
    expect(await evaluationsOf(setup.dossier.id)).toHaveLength(0);
  });

  it("tells an evaluator assigned before admission that the evaluation is not open yet", async () => {
    const other = await createInstructionSetup(await createUser());
    await assignDirectly(other.dossier.id, "ars", cast.arsNormandie.id);
    const response = await open(cast.arsNormandie, other.dossier.reference, "ars");
    expect(response.status).toBe(200);
    expect((await response.json()).state).toBe("waiting");
    const posted = await send(cast.arsNormandie, other.dossier.reference, "ars", { intent: "save" });
    expect(posted.status).toBe(409);
  });
});

describe("drafts and submission", () => {
  it("saves a partial draft, reading « 80000 » and « 60 000,50 » as euros", async () => {
    const saved = await send(cast.arsNormandie, reference, "ars", { "scores.besoin_territorial.score": "4", "scores.besoin_territorial.justification": "ZIP", recommended: "80000", intent: "save" });
    expect(saved.status).toBe(302);
    expect(saved.headers.get("Location")).toBe(pathOf(reference, "ars"));
    expect(saved.headers.get("Set-Cookie")).toMatch(/mb_toast=/);
    let [row] = await evaluationsOf(setup.dossier.id);
    expect(row).toMatchObject({ status: "draft", recommendedCents: 80_000_00, version: 1 });
    expect(row.scores.besoin_territorial).toEqual({ score: 4, justification: "ZIP" });

    const again = await send(cast.arsNormandie, reference, "ars", { recommended: "60 000,50", version: "1", intent: "save" });
    expect(again.status).toBe(302);
    [row] = await evaluationsOf(setup.dossier.id);
    expect(row).toMatchObject({ recommendedCents: 60_000_50, version: 2 });

    const page = await (await open(cast.arsNormandie, reference, "ars")).json();
    expect(page).toMatchObject({ state: "edit", evaluation: { status: "draft", version: 2, recommendedCents: 60_000_50 } });
  });

  it("refuses a stale form (409) and an invalid value even in a draft (400 next to the field)", async () => {
    await send(cast.arsNormandie, reference, "ars", { intent: "save" });
    const stale = await send(cast.arsNormandie, reference, "ars", { version: "7", intent: "save" });
    expect(stale.status).toBe(409);
    expect((await stale.json()).error[""][0]).toMatch(/^Cette évaluation a été modifiée entre-temps/);
    const invalid = await send(cast.arsNormandie, reference, "ars", { "scores.partenariats.score": "6", recommended: "-3", intent: "save" });
    expect(invalid.status).toBe(400);
    const reply = await invalid.json();
    expect(reply.error["scores.partenariats.score"]).toEqual(["La note doit être un nombre entier de 0 à 5."]);
    expect(reply.error.recommended).toEqual([expect.any(String)]);
    // The values typed come back, so the page shows them again without JavaScript.
    expect(reply.initialValue.scores.partenariats.score).toBe("6");
  });

  it("refuses an incomplete submission with a French message per field and writes nothing", async () => {
    const fields = completeFields(ARS_CODES, 3, { recommended: "90 000", avis: "" });
    delete fields["scores.projet_medical.score"];
    fields["scores.ressources_humaines.justification"] = "  ";
    const response = await send(cast.arsNormandie, reference, "ars", fields);
    expect(response.status).toBe(400);
    const reply = await response.json();
    expect(reply.error).toMatchObject({
      "scores.projet_medical.score": ["Notez ce critère de 0 à 5."],
      "scores.ressources_humaines.justification": ["Justifiez la note de ce critère."],
      avis: ["Choisissez un avis : favorable, réservé ou défavorable."],
      recommended: [expect.stringMatching(/^Le montant recommandé ne peut pas dépasser le montant demandé/)],
    });
    expect(await evaluationsOf(setup.dossier.id)).toHaveLength(0);
  });

  it("submits, locks, and turns the dossier « Instruit » when the second grid is submitted", async () => {
    // ARS marks 5,4,3,2,1 with weights 30-25-15-15-15 → 68 / 100.
    const ars = await send(cast.arsNormandie, reference, "ars", completeFields(ARS_CODES, (index) => 5 - index));
    expect(ars.status).toBe(302);
    const [row] = await evaluationsOf(setup.dossier.id);
    expect(row).toMatchObject({ status: "submitted", weightedScore: 68_00, recommendedCents: 60_000_00 });
    expect((await reloadDossier(setup.dossier.id)).status).toBe("under_review");

    const page = await (await open(cast.arsNormandie, reference, "ars")).json();
    expect(page).toMatchObject({ state: "submitted", canAmend: true });
    const locked = await send(cast.arsNormandie, reference, "ars", { intent: "save" });
    expect(locked.status).toBe(409);
    expect((await locked.json()).error[""][0]).toMatch(/soumise : elle ne se modifie plus que par un amendement motivé/);

    const anct = await send(cast.anctNational, reference, "anct", completeFields(ANCT_CODES, 4, { avis: "reserve", recommended: "50000" }));
    expect(anct.status).toBe(302);
    const dossier = await reloadDossier(setup.dossier.id);
    // 68 × 60 % + 80 × 40 % = 72,8.
    expect(dossier).toMatchObject({ status: "reviewed", arsScore: 68_00, anctScore: 80_00, consolidatedScore: 72_80, scoreGapFlag: false });
  });

  it("answers 400 to an unknown action and writes nothing", async () => {
    const response = await send(cast.arsNormandie, reference, "ars", { ...completeFields(ARS_CODES, 2), intent: "publier" });
    expect(response.status).toBe(400);
    expect(await evaluationsOf(setup.dossier.id)).toHaveLength(0);
  });
});

describe("amendments", () => {
  beforeEach(async () => {
    await send(cast.arsNormandie, reference, "ars", completeFields(ARS_CODES, 3));
  });

  it("opens the amendment form on « ?amender » only once submitted", async () => {
    expect((await (await open(cast.arsNormandie, reference, "ars", "?amender")).json()).state).toBe("amend");
  });

  it("requires a reason (400, nothing changed), then keeps the previous evaluation and the reason", async () => {
    const [before] = await evaluationsOf(setup.dossier.id);
    const missing = await send(cast.arsNormandie, reference, "ars", completeFields(ARS_CODES, 5, { intent: "amend", version: String(before.version) }));
    expect(missing.status).toBe(400);
    expect((await missing.json()).error.reason).toEqual(["Indiquez pourquoi vous modifiez une évaluation déjà soumise."]);
    expect((await evaluationsOf(setup.dossier.id))[0].weightedScore).toBe(60_00);

    const amended = await send(cast.arsNormandie, reference, "ars", completeFields(ARS_CODES, 5, { intent: "amend", reason: "Pièce complémentaire reçue.", version: String(before.version) }));
    expect(amended.status).toBe(302);
    const [after] = await evaluationsOf(setup.dossier.id);
    expect(after.weightedScore).toBe(100_00);
    const history = await db.select().from(evaluationAmendments).where(eq(evaluationAmendments.evaluationId, after.id));
    expect(history).toHaveLength(1);
    expect(history[0].reason).toBe("Pièce complémentaire reçue.");

    const page = await (await open(cast.arsNormandie, reference, "ars")).json();
    expect(page.amendments).toEqual([expect.objectContaining({ reason: "Pièce complémentaire reçue.", previous: { weightedScore: 60_00, avis: "favorable", recommendedCents: 60_000_00 } })]);
  });
});

describe("the evaluation sheet", () => {
  it("downloads as a PDF for the agents in scope, with every submitted evaluation and no draft", async () => {
    await send(cast.arsNormandie, reference, "ars", completeFields(ARS_CODES, (index) => 5 - index, { "scores.besoin_territorial.justification": "Besoin <b>critique</b> & documenté." }));
    await send(cast.anctNational, reference, "anct", { "scores.perennite.score": "1", "scores.perennite.justification": "Brouillon ANCT jamais soumis.", intent: "save" });

    const response = await sheet(cast.manager, reference);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="fiche-evaluation-${reference}.pdf"`);
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    const file = path.join(mkdtempSync(path.join(tmpdir(), "sheet-route-")), "sheet.pdf");
    writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    const text = execFileSync("/usr/bin/pdftotext", [file, "-"], { encoding: "utf8" }).replace(/[\u00a0\u202f]/g, " ").replace(/\s+/g, " ");
    expect(text).toContain(reference);
    expect(text).toContain("pour Farid Programme");
    expect(text).toContain(`Évaluation de ${cast.arsNormandie.name} — 68,00 / 100`);
    expect(text).toContain("Besoin <b>critique</b> & documenté.");
    expect(text).toContain(`Évaluation attendue de : ${cast.anctNational.name}.`);
    expect(text).not.toContain("Brouillon ANCT jamais soumis.");
    expect(text).toContain("Note consolidée en attente");

    expect((await sheet(cast.arsNormandie2, reference)).status).toBe(200);
  });

  it("answers 404 out of scope, 403 to a conflicted agent and to the applicant", async () => {
    expect((await sheet(cast.arsBretagne, reference)).status).toBe(404);
    expect((await sheet(cast.arsNormandie, "MB-2026-ZZZZZZ")).status).toBe(404);
    expect((await sheet(owner, reference)).status).toBe(403);
    await declareConflict(cast.anctNormandie, reference, { reason: "Élue de la commune siège." });
    const conflicted = await sheet(cast.anctNormandie, reference);
    expect(conflicted.status).toBe(403);
    expect(await conflicted.text()).toMatch(/conflit d'intérêts .* la fiche d'évaluation, qui montre les notes de chacun, ne vous est pas accessible/);
  });
});
