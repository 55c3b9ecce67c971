import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~db/client.server";
import { applicationEvents, auditLog, conflictsOfInterest, evaluationAssignments, evaluations, mails, memberships, organisations, privateNotes } from "~db/schema";
import { assignDirectly, BRETAGNE, createInstructionCast, createInstructionSetup, evaluationWith, reloadDossier } from "../../../tests/fixtures/instruction";
import { countRows, createUser } from "../../../tests/fixtures/users";
import type { SessionUser } from "~/modules/auth/roles";
import { DomainError } from "~/utils/errors";
import { saveEvaluation, submitEvaluation } from "./evaluations.server";
import { addPrivateNote, admitDossier, declareConflict, declareIneligible, requestCorrections } from "./service.server";

const origin = "http://portail.test";

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

let cast: Awaited<ReturnType<typeof createInstructionCast>>;
let owner: SessionUser;
let coEditor: SessionUser;
let setup: Awaited<ReturnType<typeof createInstructionSetup>>;

beforeEach(async () => {
  cast = await createInstructionCast();
  owner = await createUser({ name: "Marie Durand" });
  coEditor = await createUser({ name: "Paul Martin" });
  setup = await createInstructionSetup(owner);
  await db.insert(memberships).values({ organisationId: setup.organisation.id, userId: coEditor.id, role: "editor" });
});

const eventsOf = (applicationId: string) => db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, applicationId));

describe("admissibility", () => {
  it("admits a dossier: « En instruction », motivation in the history with the failed checks, audit row", async () => {
    const auditBefore = await countRows(auditLog);
    const result = await admitDossier(cast.arsNormandie, setup.dossier.reference, { motivation: "Dossier complet, territoire prioritaire." });
    expect(result).toEqual({ status: "under_review", failedChecks: [] });
    const row = await reloadDossier(setup.dossier.id);
    expect(row.status).toBe("under_review");
    expect(row.version).toBe(setup.dossier.version + 1);
    const [event] = (await eventsOf(setup.dossier.id)).filter((e) => e.event === "admit");
    expect(event).toMatchObject({ fromStatus: "submitted", toStatus: "under_review", motivation: "Dossier complet, territoire prioritaire.", actorId: cast.arsNormandie.id, data: { failedChecks: [] } });
    expect(await countRows(auditLog)).toBe(auditBefore + 1);
  });

  it("records the checks that failed when the agent admits anyway", async () => {
    await db.update(organisations).set({ kind: "autre" }).where(eq(organisations.id, setup.organisation.id));
    const result = await admitDossier(cast.arsNormandie, setup.dossier.reference, { motivation: "Association portée par la commune : éligible par délibération." });
    expect(result.failedChecks).toEqual(["eligible_sponsor"]);
  });

  it("declares a dossier inadmissible and mails every member the motivation after commit", async () => {
    await declareIneligible(cast.arsNormandie, setup.dossier.reference, { motivation: "Le porteur n'a pas de SIRET actif.", origin });
    expect((await reloadDossier(setup.dossier.id)).status).toBe("ineligible");
    for (const member of [owner, coEditor]) {
      const [mail] = await db.select().from(mails).where(and(eq(mails.to, member.email), eq(mails.template, "dossier-ineligible")));
      expect(mail.subject).toBe(`Dossier ${setup.dossier.reference} déclaré irrecevable`);
      expect(mail.text).toContain("Le porteur n'a pas de SIRET actif.");
      expect(mail.text).toContain(`${origin}/dossiers/${setup.dossier.reference}`);
      expect(mail.text).toContain("l'ARS Normandie");
    }
  });

  it("requires a motivation (400, French, next to the field) and writes nothing", async () => {
    for (const verb of [admitDossier, declareIneligible]) {
      const error = await refusal(verb(cast.arsNormandie, setup.dossier.reference, { motivation: "   ", origin }));
      expect(error.status).toBe(400);
      expect(error.fieldErrors.motivation).toEqual(["Écrivez la motivation de la décision."]);
    }
    expect((await reloadDossier(setup.dossier.id)).status).toBe("submitted");
    expect(await db.select().from(mails).where(eq(mails.to, owner.email))).toHaveLength(0);
  });

  it("belongs to the ARS of the région: 404 for Bretagne, 403 for ANCT and the programme team, 404 for the applicant", async () => {
    const motivation = { motivation: "x", origin };
    expect((await refusal(admitDossier(cast.arsBretagne, setup.dossier.reference, motivation))).status).toBe(404);
    expect((await refusal(declareIneligible(cast.arsBretagne, setup.dossier.reference, motivation))).status).toBe(404);
    expect((await refusal(admitDossier(cast.anctNational, setup.dossier.reference, motivation))).status).toBe(403);
    expect((await refusal(admitDossier(cast.manager, setup.dossier.reference, motivation))).status).toBe(403);
    expect((await refusal(admitDossier(owner, setup.dossier.reference, motivation))).status).toBe(404);
    expect((await refusal(admitDossier(cast.arsNormandie, "MB-2026-FORGED", motivation))).status).toBe(404);
    expect((await reloadDossier(setup.dossier.id)).status).toBe("submitted");
  });

  it("refuses a second decision (409) once the dossier is admitted", async () => {
    await admitDossier(cast.arsNormandie, setup.dossier.reference, { motivation: "Recevable." });
    const error = await refusal(declareIneligible(cast.arsNormandie, setup.dossier.reference, { motivation: "Finalement non.", origin }));
    expect(error).toMatchObject({ status: 409, message: "Action impossible : le dossier est au statut « En instruction »." });
  });

  it("hides a draft from every agent", async () => {
    const draft = await createInstructionSetup(owner, { status: "draft" });
    expect((await refusal(admitDossier(cast.arsNormandie, draft.dossier.reference, { motivation: "x" }))).status).toBe(404);
  });

  it("keeps requestCorrections working for the ARS of the région only", async () => {
    await requestCorrections(cast.arsNormandie, setup.dossier.reference, { sections: ["budget"], message: "Le plan de financement est incomplet.", origin });
    expect((await reloadDossier(setup.dossier.id)).status).toBe("changes_requested");
    const bretagne = await createInstructionSetup(owner, { region: BRETAGNE });
    expect((await refusal(requestCorrections(cast.arsNormandie, bretagne.dossier.reference, { sections: ["budget"], message: "x", origin }))).status).toBe(404);
  });
});

describe("conflicts of interest", () => {
  it("records the declaration once, removes the agent's pending assignment and draft", async () => {
    await admitDossier(cast.arsNormandie, setup.dossier.reference, { motivation: "Recevable." });
    await assignDirectly(setup.dossier.id, "ars", cast.arsNormandie2.id);
    await saveEvaluation(cast.arsNormandie2, setup.dossier.reference, { rubric: "ars", scores: { besoin_territorial: { score: 4, justification: "Fort besoin" } } });
    const first = await declareConflict(cast.arsNormandie2, setup.dossier.reference, { reason: "Mon conjoint préside la CPTS." });
    expect(first).toEqual({ alreadyDeclared: false, removedAssignments: 1 });
    expect(await declareConflict(cast.arsNormandie2, setup.dossier.reference, { reason: "Encore" })).toEqual({ alreadyDeclared: true, removedAssignments: 0 });
    expect(await db.select().from(conflictsOfInterest).where(eq(conflictsOfInterest.applicationId, setup.dossier.id))).toHaveLength(1);
    expect(await db.select().from(evaluationAssignments).where(eq(evaluationAssignments.applicationId, setup.dossier.id))).toHaveLength(0);
    expect(await db.select().from(evaluations).where(eq(evaluations.applicationId, setup.dossier.id))).toHaveLength(0);
  });

  it("requires a reason, and is refused once the agent has submitted an evaluation", async () => {
    expect((await refusal(declareConflict(cast.arsNormandie, setup.dossier.reference, { reason: "" }))).fieldErrors.reason).toHaveLength(1);
    await admitDossier(cast.arsNormandie, setup.dossier.reference, { motivation: "Recevable." });
    await assignDirectly(setup.dossier.id, "ars", cast.arsNormandie.id);
    await submitEvaluation(cast.arsNormandie, setup.dossier.reference, evaluationWith("ars", 3));
    expect((await refusal(declareConflict(cast.arsNormandie, setup.dossier.reference, { reason: "Lien découvert" }))).status).toBe(409);
  });

  it("is for agents who can see the dossier (404 otherwise)", async () => {
    expect((await refusal(declareConflict(cast.arsBretagne, setup.dossier.reference, { reason: "x" }))).status).toBe(404);
    expect((await refusal(declareConflict(owner, setup.dossier.reference, { reason: "x" }))).status).toBe(404);
  });
});

describe("private notes", () => {
  it("are written by agents in scope, never by the applicant or another région", async () => {
    const note = await addPrivateNote(cast.anctNational, setup.dossier.reference, { body: "  Porteur déjà financé en 2023.  " });
    expect(note.body).toBe("Porteur déjà financé en 2023.");
    expect((await refusal(addPrivateNote(cast.arsBretagne, setup.dossier.reference, { body: "x" }))).status).toBe(404);
    expect((await refusal(addPrivateNote(owner, setup.dossier.reference, { body: "x" }))).status).toBe(404);
    expect((await refusal(addPrivateNote(cast.arsNormandie, setup.dossier.reference, { body: "" }))).status).toBe(400);
    expect((await refusal(addPrivateNote(cast.arsNormandie, setup.dossier.reference, { body: "x".repeat(5001) }))).fieldErrors.body).toEqual(["5000 caractères au plus."]);
    expect(await db.select().from(privateNotes).where(eq(privateNotes.applicationId, setup.dossier.id))).toHaveLength(1);
  });
});
