import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { databaseEngine, db } from "~db/client.server";
import { applicationEvents, evaluationAmendments, evaluations } from "~db/schema";
import { assignDirectly, createInstructionCast, createInstructionSetup, evaluationWith, reloadDossier } from "../../../tests/fixtures/instruction";
import { createUser } from "../../../tests/fixtures/users";
import type { SessionUser } from "~/modules/auth/roles";
import { DomainError } from "~/utils/errors";
import { amendEvaluation, saveEvaluation, submitEvaluation } from "./evaluations.server";
import { admitDossier, declareConflict } from "./service.server";

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
  cast = await createInstructionCast();
  owner = await createUser();
  setup = await createInstructionSetup(owner);
  reference = setup.dossier.reference;
  await admitDossier(cast.arsNormandie, reference, { motivation: "Recevable." });
  await assignDirectly(setup.dossier.id, "ars", cast.arsNormandie.id);
  await assignDirectly(setup.dossier.id, "anct", cast.anctNational.id);
});

const evaluationsOf = (applicationId: string) => db.select().from(evaluations).where(eq(evaluations.applicationId, applicationId));
const completeReviews = async (applicationId: string) => (await db.select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, applicationId), eq(applicationEvents.event, "complete_review")))).length;

describe("drafts", () => {
  it("saves a partial evaluation and bumps its version; a stale form is refused", async () => {
    const first = await saveEvaluation(cast.arsNormandie, reference, { rubric: "ars", scores: { besoin_territorial: { score: 4, justification: "" } } });
    expect(first.version).toBe(1);
    const second = await saveEvaluation(cast.arsNormandie, reference, { rubric: "ars", scores: { besoin_territorial: { score: "5", justification: "ZIP" } }, avis: "reserve", recommended: "50 000", version: 1 });
    expect(second.version).toBe(2);
    const [row] = await evaluationsOf(setup.dossier.id);
    expect(row).toMatchObject({ status: "draft", avis: "reserve", recommendedCents: 50_000_00, weightedScore: null });
    expect(row.scores.besoin_territorial).toEqual({ score: 5, justification: "ZIP" });
    expect(row.scores.projet_medical).toEqual({ score: null, justification: "" });
    expect((await refusal(saveEvaluation(cast.arsNormandie, reference, { rubric: "ars", version: 1 }))).code).toBe("stale_version");
  });

  it("refuses invalid values even in a draft", async () => {
    const error = await refusal(saveEvaluation(cast.arsNormandie, reference, { rubric: "ars", scores: { besoin_territorial: { score: 7, justification: "" } } }));
    expect(error.status).toBe(400);
    expect(error.fieldErrors["scores.besoin_territorial.score"]).toEqual(["La note doit être un nombre entier de 0 à 5."]);
  });
});

describe("submission", () => {
  it("stores the weighted score and locks the evaluation", async () => {
    // ARS grid weights 30-25-15-15-15: marks 5,4,3,2,1 → (150+100+45+30+15)/500 = 68 %.
    const result = await submitEvaluation(cast.arsNormandie, reference, evaluationWith("ars", (_code, index) => 5 - index));
    expect(result.weightedScore).toBe(68_00);
    expect(result.consolidation).toBeNull();
    const [row] = await evaluationsOf(setup.dossier.id);
    expect(row).toMatchObject({ status: "submitted", weightedScore: 68_00, avis: "favorable", recommendedCents: 60_000_00 });
    expect(row.submittedAt).toBeInstanceOf(Date);
    expect((await refusal(saveEvaluation(cast.arsNormandie, reference, { rubric: "ars" }))).code).toBe("evaluation_locked");
    expect((await refusal(submitEvaluation(cast.arsNormandie, reference, evaluationWith("ars", 5)))).code).toBe("evaluation_locked");
  });

  it("refuses out-of-range marks, missing justifications and avis, an amount above the request — French messages, 400, nothing written", async () => {
    const bad = evaluationWith("ars", 3, { recommended: 90_000_00 });
    bad.scores.besoin_territorial = { score: 6, justification: "Trop" };
    bad.scores.projet_medical = { score: -1, justification: "x" };
    bad.scores.partenariats = { score: 2.5, justification: "x" };
    bad.scores.viabilite_economique = { score: 3, justification: "   " };
    const { ressources_humaines: _omitted, ...withoutOne } = bad.scores;
    const error = await refusal(submitEvaluation(cast.arsNormandie, reference, { ...bad, scores: withoutOne, avis: "" }));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/^L'évaluation n'est pas complète/);
    expect(error.fieldErrors).toMatchObject({
      "scores.besoin_territorial.score": ["La note doit être un nombre entier de 0 à 5."],
      "scores.projet_medical.score": ["La note doit être un nombre entier de 0 à 5."],
      "scores.partenariats.score": ["La note doit être un nombre entier de 0 à 5."],
      "scores.viabilite_economique.justification": ["Justifiez la note de ce critère."],
      "scores.ressources_humaines": [expect.any(String)],
      avis: ["Choisissez un avis : favorable, réservé ou défavorable."],
      recommended: [expect.stringMatching(/^Le montant recommandé ne peut pas dépasser le montant demandé \(80\s000\s€\)\.$/)],
    });
    const missingAmount = await refusal(submitEvaluation(cast.arsNormandie, reference, { ...evaluationWith("ars", 3), recommended: "" }));
    expect(missingAmount.fieldErrors.recommended).toEqual(["Indiquez le montant de subvention recommandé."]);
    expect(await evaluationsOf(setup.dossier.id)).toHaveLength(0);
  });

  it("refuses a forged rubric (400) or dossier reference (404)", async () => {
    expect((await refusal(submitEvaluation(cast.arsNormandie, reference, { ...evaluationWith("ars", 3), rubric: "ministere" }))).status).toBe(400);
    expect((await refusal(submitEvaluation(cast.arsNormandie, "MB-2026-ZZZZZZ", evaluationWith("ars", 3)))).status).toBe(404);
    expect((await refusal(submitEvaluation(cast.arsNormandie, "'; drop table evaluations; --", evaluationWith("ars", 3)))).status).toBe(404);
  });

  it("lets only the assigned evaluator of the right rubric and région score (403), others not even see it (404)", async () => {
    expect((await refusal(submitEvaluation(cast.arsNormandie2, reference, evaluationWith("ars", 3)))).code).toBe("not_assigned");
    expect((await refusal(submitEvaluation(cast.arsNormandie, reference, evaluationWith("anct", 3)))).code).toBe("not_an_evaluator");
    expect((await refusal(submitEvaluation(cast.anctNormandie, reference, evaluationWith("anct", 3)))).code).toBe("not_assigned");
    expect((await refusal(submitEvaluation(cast.manager, reference, evaluationWith("anct", 3)))).code).toBe("not_an_evaluator");
    expect((await refusal(submitEvaluation(cast.arsBretagne, reference, evaluationWith("ars", 3)))).status).toBe(404);
    expect((await refusal(submitEvaluation(owner, reference, evaluationWith("ars", 3)))).status).toBe(404);
    expect((await refusal(saveEvaluation(owner, reference, { rubric: "ars" }))).status).toBe(404);
  });

  it("refuses an evaluator who lost the role, even with an assignment left over", async () => {
    const former: SessionUser = { ...cast.anctNational, roles: [{ role: "anct_agent", regionCode: "53" }] };
    expect((await refusal(submitEvaluation(former, reference, evaluationWith("anct", 3)))).status).toBe(404);
  });

  it("keeps a conflicted agent out even with a crafted request and a re-created assignment (403)", async () => {
    await declareConflict(cast.anctNational, reference, { reason: "Ancien salarié du porteur." });
    // The declaration removed the assignment; put it back behind the service's back, as a forged state.
    await assignDirectly(setup.dossier.id, "anct", cast.anctNational.id);
    // One after the other: started together, the second would fail before anyone awaits it.
    for (const attempt of [() => submitEvaluation(cast.anctNational, reference, evaluationWith("anct", 5)), () => saveEvaluation(cast.anctNational, reference, { rubric: "anct" })]) {
      const error = await refusal(attempt());
      expect(error).toMatchObject({ status: 403, code: "conflict_of_interest", message: "Vous avez déclaré un conflit d'intérêts sur ce dossier : vous ne pouvez pas l'évaluer." });
    }
    expect(await evaluationsOf(setup.dossier.id)).toHaveLength(0);
  });

  it("opens only once the dossier is admitted (409 before)", async () => {
    const fresh = await createInstructionSetup(owner);
    await assignDirectly(fresh.dossier.id, "ars", cast.arsNormandie.id);
    const error = await refusal(submitEvaluation(cast.arsNormandie, fresh.dossier.reference, evaluationWith("ars", 3)));
    expect(error).toMatchObject({ status: 409, message: "L'évaluation s'ouvre quand l'ARS a déclaré le dossier recevable." });
  });
});

describe("consolidation", () => {
  it("makes the dossier « Instruit » with both rubric scores, the consolidated score and the flag, once both are complete", async () => {
    await submitEvaluation(cast.arsNormandie, reference, evaluationWith("ars", 4)); // 80
    expect((await reloadDossier(setup.dossier.id)).status).toBe("under_review");
    const result = await submitEvaluation(cast.anctNational, reference, evaluationWith("anct", 2)); // 40
    expect(result.consolidation).toEqual({ arsScore: 80_00, anctScore: 40_00, consolidatedScore: 64_00, scoreGapFlag: true });
    const row = await reloadDossier(setup.dossier.id);
    expect(row).toMatchObject({ status: "reviewed", arsScore: 80_00, anctScore: 40_00, consolidatedScore: 64_00, scoreGapFlag: true });
    const [event] = await db.select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, setup.dossier.id), eq(applicationEvents.event, "complete_review")));
    // The applicant reads the history: no score in it.
    expect(event).toMatchObject({ fromStatus: "under_review", toStatus: "reviewed", actorId: cast.anctNational.id, data: {} });
  });

  it("waits for every assigned evaluator of a rubric, and takes their mean", async () => {
    await assignDirectly(setup.dossier.id, "ars", cast.arsNormandie2.id);
    await submitEvaluation(cast.arsNormandie, reference, evaluationWith("ars", 5)); // 100
    await submitEvaluation(cast.anctNational, reference, evaluationWith("anct", 4)); // 80
    expect((await reloadDossier(setup.dossier.id)).status).toBe("under_review");
    await submitEvaluation(cast.arsNormandie2, reference, evaluationWith("ars", 3)); // 60 → ARS 80
    expect(await reloadDossier(setup.dossier.id)).toMatchObject({ status: "reviewed", arsScore: 80_00, anctScore: 80_00, consolidatedScore: 80_00, scoreGapFlag: false });
  });

  it("does not flag a gap exactly at the threshold (20 points)", async () => {
    await submitEvaluation(cast.arsNormandie, reference, evaluationWith("ars", 4)); // 80
    await submitEvaluation(cast.anctNational, reference, evaluationWith("anct", 3)); // 60
    expect(await reloadDossier(setup.dossier.id)).toMatchObject({ status: "reviewed", consolidatedScore: 72_00, scoreGapFlag: false });
  });

  it("turns the dossier « Instruit » exactly once when the two evaluators submit at the same moment, with both evaluations stored", async () => {
    const results = await Promise.all([submitEvaluation(cast.arsNormandie, reference, evaluationWith("ars", 5)), submitEvaluation(cast.anctNational, reference, evaluationWith("anct", 5))]);
    expect(results.filter((result) => result.consolidation !== null)).toHaveLength(1);
    expect(await completeReviews(setup.dossier.id)).toBe(1);
    expect((await evaluationsOf(setup.dossier.id)).map((row) => row.status)).toEqual(["submitted", "submitted"]);
    expect(await reloadDossier(setup.dossier.id)).toMatchObject({ status: "reviewed", consolidatedScore: 100_00 });
  });

  it("holds under real concurrency: 12 dossiers, their two evaluations submitted in parallel", async () => {
    const dossiers = await Promise.all(Array.from({ length: 12 }, () => createInstructionSetup(owner, { status: "under_review" })));
    for (const { dossier } of dossiers) {
      await assignDirectly(dossier.id, "ars", cast.arsNormandie.id);
      await assignDirectly(dossier.id, "ars", cast.arsNormandie2.id);
      await assignDirectly(dossier.id, "anct", cast.anctNational.id);
    }
    const submissions = dossiers.flatMap(({ dossier }) => [
      submitEvaluation(cast.arsNormandie, dossier.reference, evaluationWith("ars", 4)),
      submitEvaluation(cast.arsNormandie2, dossier.reference, evaluationWith("ars", 2)),
      submitEvaluation(cast.anctNational, dossier.reference, evaluationWith("anct", 3)),
    ]);
    const results = await Promise.all(submissions);
    expect(results.filter((result) => result.consolidation !== null)).toHaveLength(12);
    for (const { dossier } of dossiers) {
      expect(await completeReviews(dossier.id)).toBe(1);
      expect(await evaluationsOf(dossier.id)).toHaveLength(3);
      expect(await reloadDossier(dossier.id)).toMatchObject({ status: "reviewed", arsScore: 60_00, anctScore: 60_00, consolidatedScore: 60_00 });
    }
    // On PostgreSQL these transactions really overlap (a pool of connections); PGlite runs them one by one.
    expect(["postgres", "pglite"]).toContain(databaseEngine);
  });
});

describe("amendments", () => {
  it("needs a reason, keeps the previous content and recomputes the dossier's scores", async () => {
    await submitEvaluation(cast.arsNormandie, reference, evaluationWith("ars", 4));
    await submitEvaluation(cast.anctNational, reference, evaluationWith("anct", 2));
    const noReason = await refusal(amendEvaluation(cast.anctNational, reference, { ...evaluationWith("anct", 3), reason: " " }));
    expect(noReason.fieldErrors.reason).toEqual(["Indiquez pourquoi vous modifiez une évaluation déjà soumise."]);

    const amended = await amendEvaluation(cast.anctNational, reference, { ...evaluationWith("anct", 3), reason: "Nouvelle délibération de l'EPCI reçue." });
    expect(amended.weightedScore).toBe(60_00);
    expect(await reloadDossier(setup.dossier.id)).toMatchObject({ status: "reviewed", anctScore: 60_00, consolidatedScore: 72_00, scoreGapFlag: false });
    const [row] = await db.select().from(evaluations).where(and(eq(evaluations.applicationId, setup.dossier.id), eq(evaluations.rubric, "anct")));
    expect(row.amendedAt).toBeInstanceOf(Date);
    const [amendment] = await db.select().from(evaluationAmendments).where(eq(evaluationAmendments.evaluationId, row.id));
    expect(amendment).toMatchObject({ reason: "Nouvelle délibération de l'EPCI reçue.", amendedBy: cast.anctNational.id, previous: { weightedScore: 40_00, avis: "favorable" } });
    expect(await completeReviews(setup.dossier.id)).toBe(1);
  });

  it("is only for a submitted evaluation, by its author", async () => {
    expect((await refusal(amendEvaluation(cast.arsNormandie, reference, { ...evaluationWith("ars", 3), reason: "x" }))).code).toBe("evaluation_not_submitted");
    await submitEvaluation(cast.arsNormandie, reference, evaluationWith("ars", 3));
    expect((await refusal(amendEvaluation(cast.arsNormandie2, reference, { ...evaluationWith("ars", 3), reason: "x" }))).code).toBe("not_assigned");
  });
});
