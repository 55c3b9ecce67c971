import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~db/client.server";
import { stopJobQueue } from "~/jobs/queue.server";
import {
  applicationEvents,
  applicationMessages,
  applicationPieces,
  applicationReadMarks,
  applications,
  conflictsOfInterest,
  evaluationAssignments,
  privateNotes,
  type ApplicationStatus,
} from "~db/schema";
import type { SessionUser } from "~/modules/auth/roles";
import { startSession } from "~/modules/auth/session.server";
import { postApplicantMessage } from "~/modules/applications/messages.server";
import { fileStorage } from "~/modules/files/storage.server";
import * as listPage from "~/routes/instruction._index";
import * as assignPage from "~/routes/instruction.affectations";
import * as layoutPage from "~/routes/instruction.dossiers.$reference";
import * as evaluationsPage from "~/routes/instruction.dossiers.$reference.evaluations._index";
import * as messagesPage from "~/routes/instruction.dossiers.$reference.messages";
import * as notesPage from "~/routes/instruction.dossiers.$reference.notes";
import * as piecePage from "~/routes/instruction.dossiers.$reference.pieces.$pieceId";
import * as admissibilityPage from "~/routes/instruction.dossiers.$reference.recevabilite";
import { samplePdf, samplePng } from "../fixtures/files";
import { assignDirectly, createInstructionCast, createSubmittedDossier, NORMANDIE, reloadDossier } from "../fixtures/instruction";
import { createCall, createOrganisation } from "../fixtures/dossiers";
import { createAdmin, lastMail } from "../fixtures/users";

/**
 * The instruction pages' loaders and actions through real Requests, as Remix calls them: who may
 * open and post what (every loader and action × six roles, on a Normandie dossier), what the
 * bad inputs answer (French messages, 4xx) and that a refusal writes nothing.
 */

const ORIGIN = "http://portail.test";

// Inadmissibility and correction mails go through pg-boss (started on first use): stop it
// before the file's database is dropped.
afterAll(() => stopJobQueue());

type Handler = (args: LoaderFunctionArgs | ActionFunctionArgs) => Promise<Response>;

function post(path: string, fields: Record<string, string | readonly string[]>, cookie: string) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) for (const item of [value].flat()) body.append(name, item);
  return new Request(`${ORIGIN}${path}`, { method: "POST", body, headers: { Cookie: cookie } });
}

function get(path: string, cookie: string) {
  return new Request(`${ORIGIN}${path}`, { headers: { Cookie: cookie } });
}

/** Runs a loader or action; a thrown Response (redirect, 403, 404) is returned like a returned one. */
async function call(handler: unknown, request: Request, params: Record<string, string> = {}) {
  return (handler as Handler)({ request, params, context: {} }).catch((thrown: unknown) => {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  });
}

async function cookieFor(user: SessionUser) {
  return (await startSession(user.id)).split(";")[0];
}

const ROLES = ["applicant", "arsNormandie", "arsBretagne", "anctNational", "manager", "admin"] as const;
type RoleName = (typeof ROLES)[number];

let people: Record<RoleName | "arsNormandie2" | "anctNormandie", SessionUser>;
let cookies: Record<RoleName, string>;
let context: { callId: string; waveId: string; organisationId: string };

beforeAll(async () => {
  const cast = await createInstructionCast();
  const admin = await createAdmin();
  people = { ...cast, admin };
  cookies = Object.fromEntries(await Promise.all(ROLES.map(async (role) => [role, await cookieFor(people[role])]))) as Record<RoleName, string>;
  const { call: aap, wave2 } = await createCall();
  const organisation = await createOrganisation([{ user: cast.applicant }], { name: "CPTS du Perche ornais" });
  context = { callId: aap.id, waveId: wave2.id, organisationId: organisation.id };
});

/** A fresh Normandie dossier (each test that changes one gets its own). */
async function normandieDossier(status: ApplicationStatus = "submitted") {
  return createSubmittedDossier({ ...context, owner: people.applicant, status });
}

async function eventsOf(applicationId: string) {
  return db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, applicationId));
}

/** The status each role gets; refusals of the role are 403 (requireRole), out of scope 404. */
const READ_DOSSIER: Record<RoleName, number> = { applicant: 403, arsNormandie: 200, arsBretagne: 404, anctNational: 200, manager: 200, admin: 403 };
const WRITE_DOSSIER: Record<RoleName, number> = { applicant: 403, arsNormandie: 302, arsBretagne: 404, anctNational: 302, manager: 302, admin: 403 };
const ARS_ONLY: Record<RoleName, number> = { applicant: 403, arsNormandie: 302, arsBretagne: 404, anctNational: 403, manager: 403, admin: 403 };
/** The allowed role last: its success changes the dossier the refused ones were tried on. */
const allowedLast = (expected: Record<RoleName, number>) => [...ROLES].sort((a, b) => Number(expected[a] < 400) - Number(expected[b] < 400));

describe("authorization matrix: every /instruction loader × role, on a Normandie dossier", () => {
  it("/instruction: agents and the programme team (200), not applicants nor administrators (403)", async () => {
    const dossier = await normandieDossier();
    const expected: Record<RoleName, number> = { applicant: 403, arsNormandie: 200, arsBretagne: 200, anctNational: 200, manager: 200, admin: 403 };
    for (const role of ROLES) {
      const response = await call(listPage.loader, get("/instruction", cookies[role]));
      expect([role, response.status]).toEqual([role, expected[role]]);
      if (response.status !== 200) continue;
      const references = (await response.json()).list.dossiers.map((row: { reference: string }) => row.reference);
      // The list is scoped in SQL: the Breton ARS does not even see the dossier listed.
      expect([role, references.includes(dossier.reference)]).toEqual([role, role !== "arsBretagne"]);
    }
  });

  it("the dossier layout, the messages and a piece: 200 in scope, 404 out of it, 403 without an agent role", async () => {
    const dossier = await normandieDossier();
    const stored = await fileStorage().put(samplePdf("Statuts de la CPTS"));
    const [piece] = await db
      .insert(applicationPieces)
      .values({ applicationId: dossier.id, pieceCode: "autre", fileName: "Statuts signés.pdf", mimeType: "application/pdf", sizeBytes: stored.sizeBytes, sha256: stored.sha256, uploadedBy: people.applicant.id })
      .returning();
    const base = `/instruction/dossiers/${dossier.reference}`;
    const loaders: Array<{ name: string; handler: unknown; path: string; params: Record<string, string> }> = [
      { name: "layout", handler: layoutPage.loader, path: base, params: { reference: dossier.reference } },
      { name: "messages", handler: messagesPage.loader, path: `${base}/messages`, params: { reference: dossier.reference } },
      { name: "piece", handler: piecePage.loader, path: `${base}/pieces/${piece.id}`, params: { reference: dossier.reference, pieceId: piece.id } },
    ];
    for (const loader of loaders) {
      for (const role of ROLES) {
        const response = await call(loader.handler, get(loader.path, cookies[role]), loader.params);
        expect([loader.name, role, response.status]).toEqual([loader.name, role, READ_DOSSIER[role]]);
        if (response.status === 404) expect(await response.text()).toBe("Dossier introuvable.");
      }
    }
  });

  it("/instruction/affectations: the programme team and ARS agents (200), not ANCT agents (403)", async () => {
    const expected: Record<RoleName, number> = { applicant: 403, arsNormandie: 200, arsBretagne: 200, anctNational: 403, manager: 200, admin: 403 };
    for (const role of ROLES) {
      const response = await call(assignPage.loader, get("/instruction/affectations", cookies[role]));
      expect([role, response.status]).toEqual([role, expected[role]]);
    }
    const ars = await (await call(assignPage.loader, get("/instruction/affectations", cookies.arsNormandie))).json();
    expect(ars.rubrics).toEqual(["ars"]);
    // Its région's ARS evaluators only: never the Breton one.
    expect(ars.evaluators[0].people.map((person: { id: string }) => person.id).sort()).toEqual([people.arsNormandie.id, people.arsNormandie2.id].sort());
    const manager = await (await call(assignPage.loader, get("/instruction/affectations", cookies.manager))).json();
    expect(manager.rubrics).toEqual(["ars", "anct"]);
  });
});

describe("authorization matrix: every /instruction action × role, on a Normandie dossier", () => {
  it("notes: any agent who sees the dossier writes one; the others get 403/404 and nothing is written", async () => {
    const dossier = await normandieDossier();
    for (const role of ROLES) {
      const response = await call(notesPage.action, post(`/instruction/dossiers/${dossier.reference}/notes`, { body: `Note de ${role}` }, cookies[role]), { reference: dossier.reference });
      expect([role, response.status]).toEqual([role, WRITE_DOSSIER[role]]);
    }
    const notes = await db.select().from(privateNotes).where(eq(privateNotes.applicationId, dossier.id));
    expect(notes.map((note) => note.body).sort()).toEqual(["Note de anctNational", "Note de arsNormandie", "Note de manager"]);
  });

  it("messages: any agent who sees the dossier replies; the others get 403/404 and nothing is written", async () => {
    const dossier = await normandieDossier();
    for (const role of ROLES) {
      const response = await call(messagesPage.action, post(`/instruction/dossiers/${dossier.reference}/messages`, { body: `Message de ${role}` }, cookies[role]), { reference: dossier.reference });
      expect([role, response.status]).toEqual([role, WRITE_DOSSIER[role]]);
    }
    const messages = await db.select().from(applicationMessages).where(eq(applicationMessages.applicationId, dossier.id));
    expect(messages.map((message) => [message.side, message.body]).sort()).toEqual([
      ["agent", "Message de anctNational"],
      ["agent", "Message de arsNormandie"],
      ["agent", "Message de manager"],
    ]);
    // The applicant is mailed the agents' messages.
    expect((await lastMail(people.applicant.email, "new-message"))?.text).toContain(dossier.reference);
  });

  for (const [intent, fields, to] of [
    ["admit", { motivation: "Dossier complet, porteur éligible." }, "under_review"],
    ["ineligible", { motivation: "Le territoire n'est pas en zone d'intervention prioritaire.", confirm: "on" }, "ineligible"],
    ["corrections", { sections: ["budget", "pieces"], message: "Joignez le devis actualisé du véhicule." }, "changes_requested"],
  ] as const) {
    it(`recevabilité « ${intent} »: the ARS of the région only (302); 403/404 for the others, who change nothing`, async () => {
      const dossier = await normandieDossier();
      for (const role of allowedLast(ARS_ONLY)) {
        const response = await call(admissibilityPage.action, post(`/instruction/dossiers/${dossier.reference}/recevabilite`, { intent, ...fields }, cookies[role]), { reference: dossier.reference });
        expect([role, response.status]).toEqual([role, ARS_ONLY[role]]);
        if (ARS_ONLY[role] === 403 && role !== "applicant" && role !== "admin") {
          expect((await response.json()).error[""][0]).toMatch(/^Seule l'ARS de la région du dossier/);
          expect((await reloadDossier(dossier.id)).status).toBe("submitted");
        }
      }
      const after = await reloadDossier(dossier.id);
      expect(after.status).toBe(to);
      const events = await eventsOf(dossier.id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ actorId: people.arsNormandie.id, toStatus: to });
    });
  }

  it("assigning and removing evaluators: the programme team (both rubrics), the région's ARS (ARS rubric only)", async () => {
    const dossier = await normandieDossier();
    const url = `/instruction/dossiers/${dossier.reference}/evaluations`;
    const params = { reference: dossier.reference };
    const ars: Record<RoleName, number> = { applicant: 403, arsNormandie: 302, arsBretagne: 404, anctNational: 403, manager: 302, admin: 403 };
    for (const role of allowedLast(ars)) {
      const response = await call(evaluationsPage.action, post(url, { intent: "assign", rubric: "ars", evaluatorId: people.arsNormandie2.id }, cookies[role]), params);
      expect([role, response.status]).toEqual([role, ars[role]]);
    }
    const anct: Record<RoleName, number> = { ...ars, arsNormandie: 403 };
    for (const role of allowedLast(anct)) {
      const response = await call(evaluationsPage.action, post(url, { intent: "assign", rubric: "anct", evaluatorId: people.anctNormandie.id }, cookies[role]), params);
      expect([role, response.status]).toEqual([role, anct[role]]);
    }
    const assigned = await db.select().from(evaluationAssignments).where(eq(evaluationAssignments.applicationId, dossier.id));
    expect(assigned.map((row) => `${row.rubric}:${row.evaluatorId}`).sort()).toEqual([`anct:${people.anctNormandie.id}`, `ars:${people.arsNormandie2.id}`].sort());

    const refusedRemoval = await call(evaluationsPage.action, post(url, { intent: "unassign", rubric: "anct", evaluatorId: people.anctNormandie.id }, cookies.arsNormandie), params);
    expect(refusedRemoval.status).toBe(403);
    expect((await refusedRemoval.json()).error[""][0]).toBe("Seule l'équipe programme confie les évaluations de la grille ANCT.");
    const removal = await call(evaluationsPage.action, post(url, { intent: "unassign", rubric: "anct", evaluatorId: people.anctNormandie.id }, cookies.manager), params);
    expect(removal.status).toBe(302);
    expect(await db.select().from(evaluationAssignments).where(and(eq(evaluationAssignments.applicationId, dossier.id), eq(evaluationAssignments.rubric, "anct")))).toEqual([]);
  });

  it("declaring a conflict of interest: any agent who sees the dossier (302); scores are then hidden from them", async () => {
    const dossier = await normandieDossier("reviewed");
    await db.update(applications).set({ arsScore: 7_000, anctScore: 6_000, consolidatedScore: 6_600 }).where(eq(applications.id, dossier.id));
    await assignDirectly(dossier.id, "anct", people.anctNational.id);
    for (const role of ROLES) {
      const response = await call(evaluationsPage.action, post(`/instruction/dossiers/${dossier.reference}/evaluations`, { intent: "conflict", reason: "Ancien salarié de la CPTS." }, cookies[role]), { reference: dossier.reference });
      expect([role, response.status]).toEqual([role, WRITE_DOSSIER[role]]);
    }
    const conflicts = await db.select().from(conflictsOfInterest).where(eq(conflictsOfInterest.applicationId, dossier.id));
    expect(conflicts.map((row) => row.userId).sort()).toEqual([people.arsNormandie.id, people.anctNational.id, people.manager.id].sort());
    // The conflicted evaluator's assignment went with the declaration.
    expect(await db.select().from(evaluationAssignments).where(eq(evaluationAssignments.applicationId, dossier.id))).toEqual([]);
    const view = await (await call(layoutPage.loader, get(`/instruction/dossiers/${dossier.reference}`, cookies.anctNational), { reference: dossier.reference })).json();
    expect([view.scores, view.conflictDeclared, view.can.evaluate]).toEqual([null, true, []]);
    const row = (await (await call(listPage.loader, get(`/instruction?q=${dossier.reference}`, cookies.anctNational))).json()).list.dossiers[0];
    expect([row.consolidatedScore, row.arsScore, row.conflictDeclared]).toEqual([null, null, true]);
  });

  it("« assign automatically »: the programme team (both rubrics), an ARS agent (ARS rubric, its région), never an ANCT agent", async () => {
    const dossier = await normandieDossier();
    const expected: Record<RoleName, number> = { applicant: 403, arsNormandie: 403, arsBretagne: 403, anctNational: 403, manager: 200, admin: 403 };
    for (const role of allowedLast(expected)) {
      const response = await call(assignPage.action, post("/instruction/affectations", { rubric: "anct", waveId: context.waveId }, cookies[role]));
      expect([role, response.status]).toEqual([role, expected[role]]);
      if (role === "arsNormandie") expect((await response.json()).error[""][0]).toBe("Seule l'équipe programme confie les évaluations de la grille ANCT.");
    }
    const ars = await call(assignPage.action, post("/instruction/affectations", { rubric: "ars", waveId: context.waveId }, cookies.arsNormandie));
    expect(ars.status).toBe(200);
    const { report } = await ars.json();
    expect(report.rubric).toBe("ars");
    expect(report.byEvaluator.flatMap((row: { references: string[] }) => row.references)).toContain(dossier.reference);
    expect(report.byEvaluator.every((row: { evaluatorId: string }) => [people.arsNormandie.id, people.arsNormandie2.id].includes(row.evaluatorId))).toBe(true);
    const assigned = await db.select().from(evaluationAssignments).where(eq(evaluationAssignments.applicationId, dossier.id));
    expect(assigned.map((row) => row.rubric).sort()).toEqual(["anct", "ars"]);
  });
});

describe("bad input: French messages, 4xx, nothing written", () => {
  const admissibility = (reference: string, fields: Record<string, string | string[]>, role: RoleName = "arsNormandie") =>
    call(admissibilityPage.action, post(`/instruction/dossiers/${reference}/recevabilite`, fields, cookies[role]), { reference });

  it("recevabilité: empty motivation, no confirmation, no section, a forged section, an unknown intent", async () => {
    const dossier = await normandieDossier();
    const cases: Array<[Record<string, string | string[]>, string, string]> = [
      [{ intent: "admit", motivation: "   " }, "motivation", "Écrivez la motivation de la décision."],
      [{ intent: "ineligible", motivation: "Hors périmètre." }, "confirm", "Cochez la case pour confirmer que le dossier est irrecevable."],
      [{ intent: "corrections", message: "Complétez le budget." }, "sections", "Choisissez au moins une partie du dossier à rouvrir."],
      [{ intent: "corrections", sections: "budget", message: "" }, "message", "Écrivez ce que le porteur de projet doit corriger ou compléter."],
      [{ intent: "corrections", sections: "engagement", message: "Signez à nouveau." }, "sections[0]", "Cette partie du dossier n'existe pas."],
    ];
    for (const [fields, field, message] of cases) {
      const response = await admissibility(dossier.reference, fields);
      expect([fields.intent, response.status]).toEqual([fields.intent, 400]);
      expect((await response.json()).error[field]).toEqual([message]);
    }
    const unknown = await admissibility(dossier.reference, { intent: "approve" });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error[""]).toEqual(["Action inconnue : rechargez la page et recommencez."]);
    expect(await eventsOf(dossier.id)).toEqual([]);
    expect(await reloadDossier(dossier.id)).toMatchObject({ status: "submitted", reopenedSections: [] });
    expect(await db.select().from(applicationMessages).where(eq(applicationMessages.applicationId, dossier.id))).toEqual([]);
  });

  it("recevabilité on a dossier already admitted: 409 with the status, nothing written", async () => {
    const dossier = await normandieDossier("under_review");
    const response = await admissibility(dossier.reference, { intent: "admit", motivation: "Complet." });
    expect(response.status).toBe(409);
    expect((await response.json()).error[""]).toEqual(["Action impossible : le dossier est au statut « En instruction »."]);
    expect(await eventsOf(dossier.id)).toEqual([]);
  });

  it("a forged reference is a 404 on every loader and action, for the widest scope too", async () => {
    const reference = "MB-2026-ZZZZZZ";
    const params = { reference };
    const base = `/instruction/dossiers/${reference}`;
    const responses = [
      await call(layoutPage.loader, get(base, cookies.manager), params),
      await call(messagesPage.loader, get(`${base}/messages`, cookies.manager), params),
      await call(piecePage.loader, get(`${base}/pieces/00000000-0000-4000-8000-000000000000`, cookies.manager), { ...params, pieceId: "00000000-0000-4000-8000-000000000000" }),
      await call(admissibilityPage.action, post(`${base}/recevabilite`, { intent: "admit", motivation: "Complet." }, cookies.arsNormandie), params),
      await call(notesPage.action, post(`${base}/notes`, { body: "Note" }, cookies.manager), params),
      await call(messagesPage.action, post(`${base}/messages`, { body: "Bonjour" }, cookies.manager), params),
      await call(evaluationsPage.action, post(`${base}/evaluations`, { intent: "conflict", reason: "Lien" }, cookies.manager), params),
    ];
    for (const response of responses) {
      expect(response.status).toBe(404);
      expect(await response.text()).toBe("Dossier introuvable.");
    }
  });

  it("a draft is invisible to agents (404), even to the programme team", async () => {
    const draft = await normandieDossier("draft");
    const response = await call(layoutPage.loader, get(`/instruction/dossiers/${draft.reference}`, cookies.manager), { reference: draft.reference });
    expect(response.status).toBe(404);
  });

  it("notes, messages and conflicts without text: 400 with the field's message", async () => {
    const dossier = await normandieDossier();
    const params = { reference: dossier.reference };
    const base = `/instruction/dossiers/${dossier.reference}`;
    const note = await call(notesPage.action, post(`${base}/notes`, { body: "  " }, cookies.arsNormandie), params);
    expect([note.status, (await note.json()).error.body]).toEqual([400, ["Écrivez l'annotation."]]);
    const message = await call(messagesPage.action, post(`${base}/messages`, { body: "" }, cookies.arsNormandie), params);
    expect([message.status, (await message.json()).error.body]).toEqual([400, ["Écrivez votre message."]]);
    const tooLong = await call(messagesPage.action, post(`${base}/messages`, { body: "x".repeat(5001) }, cookies.arsNormandie), params);
    expect(tooLong.status).toBe(400);
    const conflict = await call(evaluationsPage.action, post(`${base}/evaluations`, { intent: "conflict", reason: "" }, cookies.arsNormandie), params);
    expect([conflict.status, (await conflict.json()).error.reason]).toEqual([400, ["Indiquez la nature du conflit d'intérêts (lien avec le porteur, intérêt personnel…)."]]);
    expect(await db.select().from(privateNotes).where(eq(privateNotes.applicationId, dossier.id))).toEqual([]);
    expect(await db.select().from(applicationMessages).where(eq(applicationMessages.applicationId, dossier.id))).toEqual([]);
    expect(await db.select().from(conflictsOfInterest).where(eq(conflictsOfInterest.applicationId, dossier.id))).toEqual([]);
  });

  it("assignment: no evaluator chosen (400), someone not entitled (422), a conflicted agent (409); nothing written", async () => {
    const dossier = await normandieDossier();
    const params = { reference: dossier.reference };
    const url = `/instruction/dossiers/${dossier.reference}/evaluations`;
    const none = await call(evaluationsPage.action, post(url, { intent: "assign", rubric: "ars", evaluatorId: "" }, cookies.manager), params);
    expect([none.status, (await none.json()).error.evaluatorId]).toEqual([400, ["Choisissez un évaluateur."]]);
    const breton = await call(evaluationsPage.action, post(url, { intent: "assign", rubric: "ars", evaluatorId: people.arsBretagne.id }, cookies.manager), params);
    expect([breton.status, (await breton.json()).error.evaluatorId]).toEqual([422, ["Cette personne n'est pas habilitée à évaluer ce dossier avec la grille ars."]]);
    await db.insert(conflictsOfInterest).values({ applicationId: dossier.id, userId: people.arsNormandie2.id, reason: "Lien familial" });
    const conflicted = await call(evaluationsPage.action, post(url, { intent: "assign", rubric: "ars", evaluatorId: people.arsNormandie2.id }, cookies.manager), params);
    expect([conflicted.status, (await conflicted.json()).error.evaluatorId]).toEqual([409, ["Cet agent a déclaré un conflit d'intérêts sur ce dossier."]]);
    const rubric = await call(evaluationsPage.action, post(url, { intent: "assign", rubric: "cnam", evaluatorId: people.arsNormandie.id }, cookies.manager), params);
    expect([rubric.status, (await rubric.json()).error.rubric]).toEqual([400, ["Choisissez une grille : ARS ou ANCT."]]);
    expect(await db.select().from(evaluationAssignments).where(eq(evaluationAssignments.applicationId, dossier.id))).toEqual([]);
  });

  it("list filters that do not parse: 400 with French messages and no list", async () => {
    const response = await call(listPage.loader, get("/instruction?scoreMin=cent&status=termine&regionCode=", cookies.manager));
    expect(response.status).toBe(400);
    const data = await response.json();
    expect(data.list).toBeNull();
    expect(data.errors.fields).toMatchObject({ scoreMin: ["Une note est comprise entre 0 et 100."], status: ["Statut inconnu."] });
  });

  it("a piece id that is not one of the dossier's files: 404", async () => {
    const dossier = await normandieDossier();
    for (const pieceId of ["pas-un-uuid", "00000000-0000-4000-8000-000000000000"]) {
      const response = await call(piecePage.loader, get(`/instruction/dossiers/${dossier.reference}/pieces/${pieceId}`, cookies.arsNormandie), { reference: dossier.reference, pieceId });
      expect([pieceId, response.status, await response.text()]).toEqual([pieceId, 404, "Fichier introuvable."]);
    }
  });
});

describe("what the pages give", () => {
  it("the list: scope, filters, counts per status, search, pagination", async () => {
    const organisation = await createOrganisation([{ user: people.applicant }], { name: "Commune de Mortagne-au-Perche", kind: "commune" });
    const mine = await createSubmittedDossier({ ...context, organisationId: organisation.id, owner: people.applicant, status: "under_review" });
    await createSubmittedDossier({ ...context, organisationId: organisation.id, owner: people.applicant, status: "submitted" });
    await createSubmittedDossier({ ...context, organisationId: organisation.id, owner: people.applicant, region: "53" });
    await assignDirectly(mine.id, "ars", people.arsNormandie.id);

    const json = async (query: string, role: RoleName = "arsNormandie") => (await call(listPage.loader, get(`/instruction?${query}`, cookies[role]))).json();

    const search = await json("q=Mortagne");
    expect(search.scopeLabel).toBe("Région Normandie");
    expect(search.options.regions).toEqual([{ code: NORMANDIE, name: "Normandie" }]);
    expect(search.list.total).toBe(2);
    expect(search.list.counts).toMatchObject({ under_review: 1, submitted: 1 });

    const underReview = await json("q=Mortagne&status=under_review");
    expect(underReview.list.dossiers.map((row: { reference: string }) => row.reference)).toEqual([mine.reference]);
    expect(underReview.list.dossiers[0]).toMatchObject({ myRubrics: ["ars"], organisationName: "Commune de Mortagne-au-Perche" });

    const assigned = await json("assignedToMe=1&q=Mortagne");
    expect(assigned.list.dossiers.map((row: { reference: string }) => row.reference)).toEqual([mine.reference]);

    const national = await json("q=Mortagne", "manager");
    expect([national.scopeLabel, national.list.total]).toEqual(["France entière", 3]);
    const breton = await json("q=Mortagne&regionCode=53", "manager");
    expect(breton.list.total).toBe(1);

    const paged = await json("q=Mortagne&pageSize=1&page=2&sort=reference&direction=asc", "manager");
    expect([paged.list.page, paged.list.pageCount, paged.list.dossiers.length]).toEqual([2, 3, 1]);
  });

  it("the messages page marks the thread read for the agent", async () => {
    const dossier = await normandieDossier();
    await postApplicantMessage(people.applicant, dossier.reference, { body: "Le devis est joint.", origin: ORIGIN });
    const before = await (await call(layoutPage.loader, get(`/instruction/dossiers/${dossier.reference}`, cookies.anctNational), { reference: dossier.reference })).json();
    expect(before.unreadMessages).toBe(1);
    const page = await call(messagesPage.loader, get(`/instruction/dossiers/${dossier.reference}/messages`, cookies.anctNational), { reference: dossier.reference });
    expect((await page.json()).messages.map((message: { body: string }) => message.body)).toEqual(["Le devis est joint."]);
    expect(await db.select().from(applicationReadMarks).where(and(eq(applicationReadMarks.applicationId, dossier.id), eq(applicationReadMarks.userId, people.anctNational.id)))).toHaveLength(1);
    const after = await (await call(layoutPage.loader, get(`/instruction/dossiers/${dossier.reference}`, cookies.anctNational), { reference: dossier.reference })).json();
    expect(after.unreadMessages).toBe(0);
  });

  it("a PDF downloads as an attachment, or inline with ?apercu=1; any other type is always an attachment", async () => {
    const dossier = await normandieDossier();
    const pdf = await fileStorage().put(samplePdf("Devis"));
    const png = await fileStorage().put(samplePng());
    const [pdfPiece, pngPiece] = await db
      .insert(applicationPieces)
      .values([
        { applicationId: dossier.id, pieceCode: "autre", fileName: "Devis véhicule.pdf", mimeType: "application/pdf", sizeBytes: pdf.sizeBytes, sha256: pdf.sha256, uploadedBy: people.applicant.id },
        { applicationId: dossier.id, pieceCode: "plan_amenagement", fileName: "plan.png", mimeType: "image/png", sizeBytes: png.sizeBytes, sha256: png.sha256, uploadedBy: people.applicant.id },
      ])
      .returning();
    const open = (pieceId: string, query = "") => call(piecePage.loader, get(`/instruction/dossiers/${dossier.reference}/pieces/${pieceId}${query}`, cookies.arsNormandie), { reference: dossier.reference, pieceId });
    const download = await open(pdfPiece.id);
    expect(download.headers.get("Content-Disposition")).toBe(`attachment; filename="Devis vehicule.pdf"; filename*=UTF-8''Devis%20v%C3%A9hicule.pdf`);
    expect(Buffer.from(await download.arrayBuffer()).subarray(0, 5).toString()).toBe("%PDF-");
    const preview = await open(pdfPiece.id, "?apercu=1");
    expect([preview.headers.get("Content-Type"), preview.headers.get("Content-Disposition")?.split(";")[0]]).toEqual(["application/pdf", "inline"]);
    const image = await open(pngPiece.id, "?apercu=1");
    expect(image.headers.get("Content-Disposition")?.split(";")[0]).toBe("attachment");
  });

  it("the dossier view hands the page what each role may do", async () => {
    const dossier = await normandieDossier();
    const can = async (role: RoleName) => (await (await call(layoutPage.loader, get(`/instruction/dossiers/${dossier.reference}`, cookies[role]), { reference: dossier.reference })).json()).can;
    expect(await can("arsNormandie")).toMatchObject({ decideAdmissibility: true, requestCorrections: true, assign: { ars: true, anct: false } });
    expect(await can("anctNational")).toMatchObject({ decideAdmissibility: false, requestCorrections: false, assign: { ars: false, anct: false } });
    expect(await can("manager")).toMatchObject({ decideAdmissibility: false, requestCorrections: false, assign: { ars: true, anct: true } });
  });

  it("a correction request reopens the sections, writes the thread and mails the applicant", async () => {
    const dossier = await normandieDossier();
    const response = await call(
      admissibilityPage.action,
      post(`/instruction/dossiers/${dossier.reference}/recevabilite`, { intent: "corrections", sections: ["budget", "pieces"], message: "Joignez le devis actualisé." }, cookies.arsNormandie),
      { reference: dossier.reference },
    );
    expect([response.status, response.headers.get("Location")]).toEqual([302, `/instruction/dossiers/${dossier.reference}/recevabilite`]);
    expect(await reloadDossier(dossier.id)).toMatchObject({ status: "changes_requested", reopenedSections: ["budget", "pieces"] });
    const [message] = await db.select().from(applicationMessages).where(eq(applicationMessages.applicationId, dossier.id));
    expect(message.body).toBe("Corrections demandées (Budget, Pièces justificatives) :\nJoignez le devis actualisé.");
    expect((await lastMail(people.applicant.email, "corrections-requested"))?.text).toContain("Joignez le devis actualisé.");
  });
});
