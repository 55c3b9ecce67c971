import { and, eq, isNull } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~db/client.server";
import { mails, users } from "~db/schema";
import { assignDirectly, BRETAGNE, createInstructionCast, createInstructionSetup, evaluationWith } from "../../../tests/fixtures/instruction";
import { createUser } from "../../../tests/fixtures/users";
import type { SessionUser } from "~/modules/auth/roles";
import { getDossierViewForMember } from "~/modules/applications/queries.server";
import { DomainError } from "~/utils/errors";
import { saveEvaluation, submitEvaluation } from "./evaluations.server";
import { getInstructionView } from "./queries.server";
import { remindOverdueEvaluations } from "./reminders.server";
import { addPrivateNote, admitDossier, declareConflict } from "./service.server";

let cast: Awaited<ReturnType<typeof createInstructionCast>>;
let owner: SessionUser;
let setup: Awaited<ReturnType<typeof createInstructionSetup>>;
let reference: string;

beforeEach(async () => {
  // The evaluator choices list every agent of the database: the previous tests' agents leave.
  await db.update(users).set({ disabledAt: new Date() }).where(isNull(users.disabledAt));
  cast = await createInstructionCast();
  owner = await createUser();
  setup = await createInstructionSetup(owner);
  reference = setup.dossier.reference;
});

async function status(promise: Promise<unknown>) {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(DomainError);
  return (error as DomainError).status;
}

describe("instruction view", () => {
  it("shows the ARS of the région the dossier, its checklist and what it may do", async () => {
    const view = await getInstructionView(cast.arsNormandie, reference);
    expect(view.dossier.reference).toBe(reference);
    expect(view.checklist.map((item) => [item.code, item.ok])).toEqual([
      ["complete_file", true],
      ["eligible_sponsor", true],
      ["territory_in_scope", true],
      ["budget_rules", true],
    ]);
    expect(view.rubrics.criteria.ars.map((criterion) => criterion.code)).toEqual(["besoin_territorial", "projet_medical", "partenariats", "viabilite_economique", "ressources_humaines"]);
    expect(view.can).toMatchObject({ decideAdmissibility: true, requestCorrections: true, assign: { ars: true, anct: false }, evaluate: [], declareConflict: true });
    expect(view.evaluatorChoices.ars.map((choice) => choice.id).sort()).toEqual([cast.arsNormandie.id, cast.arsNormandie2.id].sort());
    expect(view.evaluatorChoices.anct).toEqual([]);
  });

  it("is a 404 for another région's ARS and for the applicant", async () => {
    expect(await status(getInstructionView(cast.arsBretagne, reference))).toBe(404);
    expect(await status(getInstructionView(owner, reference))).toBe(404);
    const breton = await createInstructionSetup(owner, { region: BRETAGNE });
    expect(await status(getInstructionView(cast.arsNormandie, breton.dossier.reference))).toBe(404);
    expect((await getInstructionView(cast.anctNational, breton.dossier.reference)).dossier.reference).toBe(breton.dossier.reference);
  });

  it("shows submitted evaluations and one's own draft, hides others' drafts, and hides every score from a conflicted agent", async () => {
    await admitDossier(cast.arsNormandie, reference, { motivation: "Recevable." });
    await assignDirectly(setup.dossier.id, "ars", cast.arsNormandie.id);
    await assignDirectly(setup.dossier.id, "ars", cast.arsNormandie2.id);
    await assignDirectly(setup.dossier.id, "anct", cast.anctNational.id);
    await submitEvaluation(cast.arsNormandie, reference, evaluationWith("ars", 4));
    await saveEvaluation(cast.arsNormandie2, reference, { rubric: "ars", scores: { besoin_territorial: { score: 1, justification: "brouillon" } } });

    const anct = await getInstructionView(cast.anctNational, reference);
    expect(anct.evaluations.map((evaluation) => [evaluation.evaluatorId, evaluation.status])).toEqual([[cast.arsNormandie.id, "submitted"]]);
    expect(anct.can.evaluate).toEqual(["anct"]);
    const drafter = await getInstructionView(cast.arsNormandie2, reference);
    expect(drafter.evaluations.map((evaluation) => [evaluation.evaluatorId, evaluation.mine])).toEqual(expect.arrayContaining([[cast.arsNormandie.id, false], [cast.arsNormandie2.id, true]]));

    await declareConflict(cast.anctNormandie, reference, { reason: "Élu de la commune siège." });
    const conflicted = await getInstructionView(cast.anctNormandie, reference);
    expect(conflicted.evaluations).toEqual([]);
    expect(conflicted.scores).toBeNull();
    expect(conflicted.conflictDeclared).toBe(true);
    expect(conflicted.can).toMatchObject({ evaluate: [], declareConflict: false });
    // Who has submitted is not a score: the assignments stay visible.
    expect(conflicted.assignments.filter((assignment) => assignment.submitted)).toHaveLength(1);
  });

  it("offers the programme team the evaluators in scope, without those conflicted or already assigned", async () => {
    await assignDirectly(setup.dossier.id, "anct", cast.anctNational.id);
    await declareConflict(cast.arsNormandie2, reference, { reason: "Lien" });
    const view = await getInstructionView(cast.manager, reference);
    expect(view.evaluatorChoices.ars.map((choice) => choice.id)).toEqual([cast.arsNormandie.id]);
    expect(view.evaluatorChoices.anct.map((choice) => choice.id)).toEqual([cast.anctNormandie.id]);
    expect(view.evaluatorChoices.anct[0].load).toBe(0);
  });

  it("keeps private notes for the agents: the applicant's view has no trace of them", async () => {
    await addPrivateNote(cast.arsNormandie, reference, { body: "Note confidentielle : porteur en redressement judiciaire." });
    const agentView = await getInstructionView(cast.anctNational, reference);
    expect(agentView.privateNotes).toEqual([expect.objectContaining({ body: "Note confidentielle : porteur en redressement judiciaire.", authorName: "Alice ARS Normandie" })]);
    const applicantView = await getDossierViewForMember(owner, reference);
    expect(JSON.stringify(applicantView)).not.toContain("redressement");
  });
});

describe("overdue reminders", () => {
  it("mails each agent with overdue evaluations once a day, listing them", async () => {
    await admitDossier(cast.arsNormandie, reference, { motivation: "Recevable." });
    const past = new Date("2026-03-01T08:00:00Z");
    await assignDirectly(setup.dossier.id, "ars", cast.arsNormandie.id, past);
    await assignDirectly(setup.dossier.id, "anct", cast.anctNational.id, past);
    await assignDirectly(setup.dossier.id, "ars", cast.arsNormandie2.id, new Date("2026-04-01T08:00:00Z"));
    await submitEvaluation(cast.anctNational, reference, evaluationWith("anct", 3));

    const morning = new Date("2026-03-10T07:00:00Z");
    expect(await remindOverdueEvaluations({ now: morning, origin: "http://portail.test" })).toEqual({ agents: 1, evaluations: 1 });
    await remindOverdueEvaluations({ now: new Date("2026-03-10T15:00:00Z"), origin: "http://portail.test" });
    const sent = (to: string) => db.select().from(mails).where(and(eq(mails.to, to), eq(mails.template, "evaluations-overdue")));
    const [mail, ...again] = await sent(cast.arsNormandie.email);
    expect(again).toEqual([]);
    expect(mail.subject).toBe("Une évaluation en retard sur le portail Médicobus");
    expect(mail.text).toContain(`${reference} — Médicobus du Perche — Grille ARS, attendue le 1 mars 2026`);
    expect(mail.text).toContain("http://portail.test/instruction?assignedToMe=on");
    // Submitted on time, or not due yet: no reminder.
    expect(await sent(cast.anctNational.email)).toEqual([]);
    expect(await sent(cast.arsNormandie2.email)).toEqual([]);
    // The next day, a new reminder.
    await remindOverdueEvaluations({ now: new Date("2026-03-11T07:00:00Z"), origin: "http://portail.test" });
    expect(await sent(cast.arsNormandie.email)).toHaveLength(2);
  });
});
