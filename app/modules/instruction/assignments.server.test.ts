import { eq, isNull } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~db/client.server";
import { applications, auditLog, conflictsOfInterest, evaluationAssignments, mails, users } from "~db/schema";
import { assignDirectly, BRETAGNE, createInstructionCast, createInstructionSetup, createSubmittedDossier, evaluationWith, reloadDossier } from "../../../tests/fixtures/instruction";
import { countRows, createUser } from "../../../tests/fixtures/users";
import type { SessionUser } from "~/modules/auth/roles";
import { DomainError } from "~/utils/errors";
import { assignAutomatically, assignEvaluator, unassignEvaluator } from "./assignments.server";
import { saveEvaluation, submitEvaluation } from "./evaluations.server";
import { admitDossier } from "./service.server";

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

let cast: Awaited<ReturnType<typeof createInstructionCast>>;
let owner: SessionUser;
let setup: Awaited<ReturnType<typeof createInstructionSetup>>;
let reference: string;

beforeEach(async () => {
  // Automatic runs look at every dossier and every agent of the database: each test starts
  // without the previous tests' dossiers (assignments and evaluations go with them) and agents.
  await db.delete(applications);
  await db.update(users).set({ disabledAt: new Date() }).where(isNull(users.disabledAt));
  cast = await createInstructionCast();
  owner = await createUser();
  setup = await createInstructionSetup(owner);
  reference = setup.dossier.reference;
});

const assignmentsOf = (applicationId: string) => db.select().from(evaluationAssignments).where(eq(evaluationAssignments.applicationId, applicationId));

describe("manual assignment", () => {
  it("assigns an ARS evaluator of the région with the call's due date, once", async () => {
    const now = new Date("2026-03-02T09:00:00Z");
    const result = await assignEvaluator(cast.arsNormandie, reference, { rubric: "ars", evaluatorId: cast.arsNormandie2.id, now });
    expect(result.alreadyAssigned).toBe(false);
    const [row] = await assignmentsOf(setup.dossier.id);
    expect(row).toMatchObject({ rubric: "ars", evaluatorId: cast.arsNormandie2.id, assignedBy: cast.arsNormandie.id });
    expect(row.dueAt.toISOString()).toBe("2026-03-23T09:00:00.000Z");
    expect(await assignEvaluator(cast.manager, reference, { rubric: "ars", evaluatorId: cast.arsNormandie2.id })).toEqual({ alreadyAssigned: true });
    expect(await assignmentsOf(setup.dossier.id)).toHaveLength(1);
  });

  it("lets the programme team assign ANCT evaluators, national or of the région", async () => {
    await assignEvaluator(cast.manager, reference, { rubric: "anct", evaluatorId: cast.anctNational.id });
    await assignEvaluator(cast.manager, reference, { rubric: "anct", evaluatorId: cast.anctNormandie.id });
    expect(await assignmentsOf(setup.dossier.id)).toHaveLength(2);
  });

  it("refuses assigners without authority (403) and outsiders (404)", async () => {
    expect((await refusal(assignEvaluator(cast.arsNormandie, reference, { rubric: "anct", evaluatorId: cast.anctNational.id }))).status).toBe(403);
    expect((await refusal(assignEvaluator(cast.anctNational, reference, { rubric: "anct", evaluatorId: cast.anctNational.id }))).status).toBe(403);
    expect((await refusal(assignEvaluator(cast.arsBretagne, reference, { rubric: "ars", evaluatorId: cast.arsBretagne.id }))).status).toBe(404);
    expect((await refusal(assignEvaluator(owner, reference, { rubric: "ars", evaluatorId: cast.arsNormandie.id }))).status).toBe(404);
  });

  it("refuses evaluators who may not score the dossier or declared a conflict (422/409, next to the field)", async () => {
    const wrongRegion = await refusal(assignEvaluator(cast.manager, reference, { rubric: "ars", evaluatorId: cast.arsBretagne.id }));
    expect(wrongRegion).toMatchObject({ status: 422, fieldErrors: { evaluatorId: ["Cette personne n'est pas habilitée à évaluer ce dossier avec la grille ars."] } });
    expect((await refusal(assignEvaluator(cast.manager, reference, { rubric: "ars", evaluatorId: cast.anctNational.id }))).status).toBe(422);
    expect((await refusal(assignEvaluator(cast.manager, reference, { rubric: "ars", evaluatorId: "utilisateur-inventé" }))).status).toBe(422);
    await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, cast.arsNormandie2.id));
    expect((await refusal(assignEvaluator(cast.manager, reference, { rubric: "ars", evaluatorId: cast.arsNormandie2.id }))).status).toBe(422);
    await db.insert(conflictsOfInterest).values({ applicationId: setup.dossier.id, userId: cast.arsNormandie.id, reason: "Lien familial" });
    expect((await refusal(assignEvaluator(cast.manager, reference, { rubric: "ars", evaluatorId: cast.arsNormandie.id }))).status).toBe(409);
    expect((await refusal(assignEvaluator(cast.manager, reference, { rubric: "jury", evaluatorId: cast.arsNormandie.id }))).status).toBe(400);
    expect(await assignmentsOf(setup.dossier.id)).toHaveLength(0);
  });

  it("refuses dossiers past review (409)", async () => {
    const reviewed = await createInstructionSetup(owner, { status: "reviewed" });
    expect((await refusal(assignEvaluator(cast.manager, reviewed.dossier.reference, { rubric: "ars", evaluatorId: cast.arsNormandie.id }))).status).toBe(409);
  });
});

describe("unassignment", () => {
  it("takes back a pending evaluation with its draft, never a submitted one", async () => {
    await admitDossier(cast.arsNormandie, reference, { motivation: "Recevable." });
    await assignDirectly(setup.dossier.id, "ars", cast.arsNormandie.id);
    await assignDirectly(setup.dossier.id, "ars", cast.arsNormandie2.id);
    await saveEvaluation(cast.arsNormandie2, reference, { rubric: "ars" });
    expect(await unassignEvaluator(cast.arsNormandie, reference, { rubric: "ars", evaluatorId: cast.arsNormandie2.id })).toMatchObject({ draftDiscarded: true });
    await submitEvaluation(cast.arsNormandie, reference, evaluationWith("ars", 4));
    expect((await refusal(unassignEvaluator(cast.manager, reference, { rubric: "ars", evaluatorId: cast.arsNormandie.id }))).status).toBe(409);
    expect((await refusal(unassignEvaluator(cast.manager, reference, { rubric: "ars", evaluatorId: cast.arsNormandie2.id }))).status).toBe(404);
  });

  it("consolidates when the last pending evaluator is removed", async () => {
    await admitDossier(cast.arsNormandie, reference, { motivation: "Recevable." });
    await assignDirectly(setup.dossier.id, "ars", cast.arsNormandie.id);
    await assignDirectly(setup.dossier.id, "anct", cast.anctNational.id);
    await assignDirectly(setup.dossier.id, "anct", cast.anctNormandie.id);
    await submitEvaluation(cast.arsNormandie, reference, evaluationWith("ars", 5));
    await submitEvaluation(cast.anctNational, reference, evaluationWith("anct", 5));
    expect((await reloadDossier(setup.dossier.id)).status).toBe("under_review");
    const result = await unassignEvaluator(cast.manager, reference, { rubric: "anct", evaluatorId: cast.anctNormandie.id });
    expect(result.consolidation).toMatchObject({ consolidatedScore: 100_00 });
    expect((await reloadDossier(setup.dossier.id)).status).toBe("reviewed");
  });
});

describe("the evaluator is told by mail", () => {
  const mailsTo = (email: string) => db.select().from(mails).where(eq(mails.to, email));

  it("one mail per manual assignment, with the grid, the due date (Paris) and a link to the evaluation form", async () => {
    await assignEvaluator(cast.arsNormandie, reference, { rubric: "ars", evaluatorId: cast.arsNormandie2.id, now: new Date("2026-03-02T23:30:00Z"), origin: "https://medicobus.example" });
    const [mail, ...others] = await mailsTo(cast.arsNormandie2.email);
    expect(others).toEqual([]);
    expect(mail.subject).toBe(`Dossier ${reference} confié pour évaluation`);
    // Due 21 days later at 23:30 UTC, which is already the next day in Paris.
    expect(mail.text).toContain(`${reference} — ${setup.dossier.title} — Grille ARS, à soumettre avant le 24 mars 2026`);
    expect(mail.text).toContain(`https://medicobus.example/instruction/dossiers/${reference}/evaluations/ars`);
    // Assigning the same person again, or a refused assignment, sends nothing.
    await assignEvaluator(cast.manager, reference, { rubric: "ars", evaluatorId: cast.arsNormandie2.id });
    await refusal(assignEvaluator(cast.manager, reference, { rubric: "ars", evaluatorId: cast.arsBretagne.id }));
    expect(await mailsTo(cast.arsNormandie2.email)).toHaveLength(1);
    expect(await mailsTo(cast.arsBretagne.email)).toHaveLength(0);
  });

  it("one mail per evaluator for an automatic run, listing every dossier it gave them", async () => {
    for (let index = 0; index < 3; index++) await createSubmittedDossier({ callId: setup.call.id, waveId: setup.wave2.id, organisationId: setup.organisation.id, owner });
    const report = await assignAutomatically(cast.arsNormandie, { rubric: "ars", origin: "https://medicobus.example" });
    expect(report.assigned).toHaveLength(4);
    for (const evaluator of [cast.arsNormandie, cast.arsNormandie2]) {
      const given = report.assigned.filter((row) => row.evaluatorId === evaluator.id).map((row) => row.reference);
      const [mail, ...others] = await mailsTo(evaluator.email);
      expect(others).toEqual([]);
      expect(mail.subject).toBe(`${given.length} dossiers vous sont confiés pour évaluation`);
      for (const given1 of given) expect(mail.text).toContain(`${given1} — `);
      expect(mail.text).toContain("https://medicobus.example/instruction?assignedToMe=on");
    }
  });
});

describe("automatic assignment", () => {
  it("spreads the waiting dossiers evenly over the eligible agents, skipping conflicts, and reports the rest", async () => {
    const dossiers = [setup.dossier];
    for (let index = 0; index < 6; index++) {
      dossiers.push(await createSubmittedDossier({ callId: setup.call.id, waveId: setup.wave2.id, organisationId: setup.organisation.id, owner, status: index % 2 ? "under_review" : "submitted" }));
    }
    const bretagne = await createSubmittedDossier({ callId: setup.call.id, waveId: setup.wave2.id, organisationId: setup.organisation.id, owner, region: BRETAGNE });
    const notWaiting = await createSubmittedDossier({ callId: setup.call.id, waveId: setup.wave2.id, organisationId: setup.organisation.id, owner, status: "changes_requested" });
    await db.insert(conflictsOfInterest).values({ applicationId: dossiers[0].id, userId: cast.arsNormandie.id, reason: "Lien" });
    const auditBefore = await countRows(auditLog);

    const report = await assignAutomatically(cast.arsNormandie, { rubric: "ars" });
    expect(report.assigned).toHaveLength(7);
    expect(report.unassigned).toEqual([]);
    const rows = await db.select().from(evaluationAssignments);
    expect(rows.find((row) => row.applicationId === bretagne.id || row.applicationId === notWaiting.id)).toBeUndefined();
    expect(rows.find((row) => row.applicationId === dossiers[0].id)?.evaluatorId).toBe(cast.arsNormandie2.id);
    const loads = [cast.arsNormandie.id, cast.arsNormandie2.id].map((id) => rows.filter((row) => row.evaluatorId === id).length).sort();
    expect(loads).toEqual([3, 4]);
    expect(await countRows(auditLog)).toBe(auditBefore + 1);

    // A second run finds nothing left for the ARS rubric; the ARS agent of Bretagne then takes its own.
    expect((await assignAutomatically(cast.arsNormandie, { rubric: "ars" })).assigned).toEqual([]);
    const breton = await assignAutomatically(cast.arsBretagne, { rubric: "ars" });
    expect(breton.assigned).toEqual([{ reference: bretagne.reference, evaluatorId: cast.arsBretagne.id, evaluatorName: "Claire ARS Bretagne" }]);
  });

  it("lets the programme team assign the ANCT rubric everywhere, counting the agents' current load", async () => {
    const other = await createSubmittedDossier({ callId: setup.call.id, waveId: setup.wave2.id, organisationId: setup.organisation.id, owner });
    const bretagne = await createSubmittedDossier({ callId: setup.call.id, waveId: setup.wave2.id, organisationId: setup.organisation.id, owner, region: BRETAGNE });
    // The national agent already has one evaluation in hand.
    const busy = await createSubmittedDossier({ callId: setup.call.id, waveId: setup.wave2.id, organisationId: setup.organisation.id, owner, status: "under_review" });
    await assignDirectly(busy.id, "anct", cast.anctNational.id);

    const report = await assignAutomatically(cast.manager, { rubric: "anct", waveId: setup.wave2.id });
    const byReference = new Map(report.assigned.map((row) => [row.reference, row.evaluatorId]));
    // Bretagne: only the national agent may take it. The first Normandie dossier goes to the
    // regional agent (no load against one); the second to whichever of the two, now even, has the smaller id.
    expect(byReference.get(bretagne.reference)).toBe(cast.anctNational.id);
    expect(byReference.get(setup.dossier.reference)).toBe(cast.anctNormandie.id);
    expect(byReference.get(other.reference)).toBe([cast.anctNormandie.id, cast.anctNational.id].sort()[0]);
  });

  it("reports dossiers nobody may take, and refuses those without authority", async () => {
    await db.insert(conflictsOfInterest).values([
      { applicationId: setup.dossier.id, userId: cast.arsNormandie.id, reason: "Lien" },
      { applicationId: setup.dossier.id, userId: cast.arsNormandie2.id, reason: "Lien" },
    ]);
    const report = await assignAutomatically(cast.manager, { rubric: "ars", waveId: setup.wave2.id });
    expect(report.assigned).toEqual([]);
    expect(report.unassigned).toEqual([{ reference, reason: "all_conflicted", message: "Tous les évaluateurs habilités ont déclaré un conflit d'intérêts." }]);

    await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, cast.arsBretagne.id));
    const breton = await createSubmittedDossier({ callId: setup.call.id, waveId: setup.wave2.id, organisationId: setup.organisation.id, owner, region: BRETAGNE });
    const again = await assignAutomatically(cast.manager, { rubric: "ars", waveId: setup.wave2.id });
    expect(again.unassigned).toContainEqual({ reference: breton.reference, reason: "no_eligible_evaluator", message: "Aucun évaluateur habilité pour la région de ce dossier." });

    expect((await refusal(assignAutomatically(cast.arsNormandie, { rubric: "anct" }))).status).toBe(403);
    expect((await refusal(assignAutomatically(cast.anctNational, { rubric: "anct" }))).status).toBe(403);
    expect((await refusal(assignAutomatically(owner, { rubric: "ars" }))).status).toBe(403);
    expect((await refusal(assignAutomatically(cast.manager, { rubric: "ars", waveId: "pas-un-uuid" }))).status).toBe(400);
  });
});
