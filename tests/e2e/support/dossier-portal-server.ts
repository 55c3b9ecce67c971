/**
 * A portal process for the dossier follow-up journey, started by dossier-portal.ts: it migrates a
 * fresh database, seeds the demo call and accounts like `npm start`, then prepares the demo
 * applicant's dossiers through the services (as the form, the upload and the ARS would), and
 * serves the production build. The journey's database belongs to this process alone (PGlite
 * serves one process), which is why the seeding happens here and not in the test.
 */
import { eq } from "drizzle-orm";

const READY = "DOSSIER_PORTAL_READY";

async function main() {
  const { migrateDatabase, db } = await import("~db/client.server");
  await migrateDatabase();
  const { seedDemo, DEMO_ACCOUNTS, DEMO_CALL_SLUG } = await import("~db/seed/demo");
  await seedDemo();

  const { calls, roleAssignments, users, waves } = await import("~db/schema");
  const { createOrganisation } = await import("~/modules/organisations/service.server");
  const { createDraft, saveSection, submitDossier } = await import("~/modules/applications/service.server");
  const { attachPiece } = await import("~/modules/applications/pieces.server");
  const { requestCorrections } = await import("~/modules/instruction/service.server");
  const { fileStorage } = await import("~/modules/files/storage.server");
  const { CallRulesSchema } = await import("~/modules/calls/schema");
  const { zonedToday } = await import("~/modules/calls/time");
  const { completeFormData } = await import("../../fixtures/dossiers");
  const { samplePdf } = await import("../../fixtures/files");
  const origin = "http://127.0.0.1";

  async function sessionUser(email: string) {
    const [user] = await db.select().from(users).where(eq(users.email, email));
    const roles = await db.select({ role: roleAssignments.role, regionCode: roleAssignments.regionCode }).from(roleAssignments).where(eq(roleAssignments.userId, user.id));
    return { id: user.id, email: user.email, name: user.name, roles };
  }
  const applicant = await sessionUser(DEMO_ACCOUNTS.find((account) => account.role === "applicant")!.email);
  const ars = await sessionUser(DEMO_ACCOUNTS.find((account) => account.role === "ars_agent")!.email);
  const [demoCall] = await db.select().from(calls).where(eq(calls.slug, DEMO_CALL_SLUG));

  const organisation = await createOrganisation(applicant, { kind: "cpts", name: "CPTS du Perche ornais", siret: "73282932000074", seatCommuneCode: "61001" });
  const rules = CallRulesSchema.parse({});

  async function fill(reference: string, formData: ReturnType<typeof completeFormData>, version: number) {
    for (const [section, data] of Object.entries(formData)) ({ version } = await saveSection(applicant, reference, { section, data, version }));
    for (const piece of rules.pieces.filter((p) => p.required)) {
      const bytes = samplePdf(piece.label);
      const stored = await fileStorage().put(bytes);
      await attachPiece(applicant, reference, piece.code, { ...stored, mimeType: "application/pdf", fileName: `${piece.code}.pdf` });
    }
  }

  // 1. A complete draft, for the journey to submit in the browser.
  const complete = await createDraft(applicant, { organisationId: organisation.id, callId: demoCall.id });
  await fill(complete.reference, completeFormData(), complete.version);

  // 2. A submitted dossier the ARS sent back for corrections, with its message in the thread.
  const corrected = await createDraft(applicant, { organisationId: organisation.id, callId: demoCall.id });
  await fill(corrected.reference, completeFormData({ porteur: { ...completeFormData().porteur, projectTitle: "Médicobus des Collines" } }), corrected.version);
  await submitDossier(applicant, corrected.reference, { origin });
  await requestCorrections(ars, corrected.reference, { sections: ["budget", "pieces"], message: "Le devis du véhicule ne correspond pas au montant du budget : joignez le devis actualisé et corrigez la ligne d'investissement.", origin });

  // 3. A draft in La Réunion, in another call whose wave closes in two days: countdown and overseas time.
  // Not in a scene: the newest call takes over the programme pages, which a scene shows on the demo call.
  const sceneName = process.env.DOSSIER_PORTAL_SCENE;
  let closing: string | null = null;
  if (!sceneName) {
    const today = zonedToday("Europe/Paris");
    const inDays = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    const [closingCall] = await db
      .insert(calls)
      .values({ slug: "medicobus-outre-mer", title: "Médicobus — outre-mer", summary: "Appel de démonstration", envelopeCents: 1_000_000_00, busTarget: 10, rules })
      .returning();
    await db.insert(waves).values({ callId: closingCall.id, number: 1, title: "Vague outre-mer", opensOn: inDays(-10), closesOn: inDays(2), budgetCents: 1_000_000_00, busTarget: 10 });
    const draft = await createDraft(applicant, { organisationId: organisation.id, callId: closingCall.id });
    await saveSection(applicant, draft.reference, { section: "porteur", data: { projectTitle: "Médicobus des Hauts" }, version: draft.version });
    await saveSection(applicant, draft.reference, { section: "territoire", data: { communes: [{ code: "97411", zoning: "zip" }] }, version: draft.version + 1 });
    closing = draft.reference;
  }

  const scene = sceneName === "every-page" ? await everyPageScene() : {};

  const { startJobs } = await import("~/jobs/runner.server");
  await startJobs();
  const { startHttpServer } = await import("~/http/server");
  const started = await startHttpServer({ mode: "production" });
  console.log(`${READY} ${JSON.stringify({ url: started.url, complete: complete.reference, corrected: corrected.reference, closing, organisation: organisation.name, organisationId: organisation.id, scene })}`);

  /**
   * What the page-by-page accessibility check needs beyond the dossiers above, so that every page
   * shows real content: wave 1 decided as the simulation proposes and its letters sent (a decision,
   * a letter batch, a selected dossier with its payments page), the Normandie dossier the demo
   * agents evaluate, an account for the administration page, a mail for the development mailbox.
   */
  async function everyPageScene() {
    const { and, asc, desc } = await import("drizzle-orm");
    const { applications, evaluationAssignments, mails } = await import("~db/schema");
    const { waveRanking, waveDecisions, applyDecision } = await import("~/modules/budget/decisions.server");
    const { planDecision, decisionLines } = await import("~/modules/budget/decision-plan");
    const { lastLetterTemplates, pendingLetters, sendDecisionLetters } = await import("~/modules/letters/service.server");
    const manager = await sessionUser(DEMO_ACCOUNTS.find((account) => account.role === "program_manager")!.email);
    const [wave1] = await db.select().from(waves).where(and(eq(waves.callId, demoCall.id), eq(waves.number, 1)));
    const [ranking, decided] = await Promise.all([waveRanking(manager, wave1.id), waveDecisions(manager, wave1.id)]);
    const plan = planDecision(ranking.simulation, ranking.dossiers, { lastWaitlistRank: decided.current.reduce((last, decision) => Math.max(last, decision.waitlistRank ?? 0), 0) });
    await applyDecision(manager, wave1.id, { decisions: decisionLines(plan, { common: "Le projet n'a pas été classé en rang utile au regard de l'enveloppe de la vague 1.", byReference: {} }) });
    const letters = await pendingLetters(manager, wave1.id);
    const { batchId } = await sendDecisionLetters(manager, wave1.id, { ...(await lastLetterTemplates(manager)), expected: letters.length }, origin);
    const [evaluated] = await db
      .select({ reference: applications.reference })
      .from(evaluationAssignments)
      .innerJoin(applications, eq(applications.id, evaluationAssignments.applicationId))
      .where(and(eq(evaluationAssignments.evaluatorId, ars.id), eq(applications.status, "under_review")))
      .orderBy(asc(applications.reference));
    const [mail] = await db.select({ id: mails.id }).from(mails).orderBy(desc(mails.createdAt)).limit(1);
    return { batchId, selected: plan.selected[0].reference, evaluated: evaluated.reference, userId: ars.id, mailId: mail.id };
  }

  const { closeDatabase } = await import("~db/client.server");
  const { stopJobs } = await import("~/jobs/runner.server");
  const stop = async () => {
    await started.close().catch(() => {});
    await stopJobs().catch(() => {});
    await closeDatabase().catch(() => {});
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
