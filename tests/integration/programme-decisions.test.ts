import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { and, eq, inArray, isNull } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~db/client.server";
import { applications, auditLog, decisions, ledgerEntries, simulationOverrides } from "~db/schema";
import { withdrawDossier } from "~/modules/applications/service.server";
import type { SessionUser } from "~/modules/auth/roles";
import { startSession } from "~/modules/auth/session.server";
import { setOverride } from "~/modules/budget/decisions.server";
import { commitAward, programmeBalances } from "~/modules/budget/service.server";
import * as closingPage from "~/routes/programme.vagues.$numero.cloture";
import * as decisionPage from "~/routes/programme.vagues.$numero.decision";
import * as rankingPage from "~/routes/programme.vagues.$numero._index";
import { BRETAGNE, createBudgetDossiers, createBudgetSetup, NORMANDIE, OCCITANIE, recommend } from "../fixtures/budget";
import { countRows, createUser } from "../fixtures/users";

/**
 * The wave page, its decision and its closing through real Requests: program_manager only, a
 * forged wave is a 404, refused input is a 4xx in French that writes nothing, and an applied
 * decision writes statuses, decisions, ledger entries and audit rows together.
 */

const ORIGIN = "http://portail.test";
type Handler = (args: LoaderFunctionArgs | ActionFunctionArgs) => Promise<Response>;

async function call(handler: unknown, request: Request, params: Record<string, string>) {
  return (handler as Handler)({ request, params, context: {} }).catch((thrown: unknown) => {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  });
}

const cookieFor = async (user: SessionUser) => (await startSession(user.id)).split(";")[0];

async function get(handler: unknown, user: SessionUser, path: string, numero = "1") {
  return call(handler, new Request(`${ORIGIN}${path}`, { headers: { Cookie: await cookieFor(user) } }), { numero });
}

async function post(handler: unknown, user: SessionUser, path: string, fields: Record<string, string>, numero = "1") {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  return call(handler, new Request(`${ORIGIN}${path}`, { method: "POST", body, headers: { Cookie: await cookieFor(user) } }), { numero });
}

const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, " ");
const statuses = async (ids: string[]) => Object.fromEntries((await db.select({ id: applications.id, status: applications.status }).from(applications).where(inArray(applications.id, ids))).map((row) => [row.id, row.status]));
const currentDecisions = (ids: string[]) => db.select().from(decisions).where(and(inArray(decisions.applicationId, ids), isNull(decisions.reopenedAt)));
const ledgerOf = (ids: string[]) => db.select().from(ledgerEntries).where(inArray(ledgerEntries.applicationId, ids));

let setup: Awaited<ReturnType<typeof createBudgetSetup>>;
let anct: SessionUser;
let dossiers: Awaited<ReturnType<typeof createBudgetDossiers>>;
let ids: string[];

/**
 * Wave 1 holds €300k for 3 buses. Five reviewed dossiers asking €100k on €250k projects (40 %):
 * scores 90, 80, 70, 60 and 45 (under the 50 threshold): the first three are funded, the fourth
 * is below the cut, the fifth cannot be funded.
 */
beforeEach(async () => {
  setup = await createBudgetSetup({ wave1: { budgetCents: 300_000_00, busTarget: 3 } });
  anct = await createUser({ name: "Claude ANCT", roles: ["anct_agent"] });
  const scored = (score: number, regionCode: string) => ({ status: "reviewed" as const, consolidatedScore: score, arsScore: score, anctScore: score, regionCode, requestedCents: 100_000_00, totalCostCents: 250_000_00 });
  dossiers = await createBudgetDossiers(setup, setup.wave1.id, [scored(90_00, NORMANDIE), scored(80_00, BRETAGNE), scored(70_00, OCCITANIE), scored(60_00, NORMANDIE), { ...scored(45_00, OCCITANIE), anctScore: 39_00 }]);
  ids = dossiers.map((dossier) => dossier.id);
});

const [FIRST, SECOND, THIRD, FOURTH, WEAK] = [0, 1, 2, 3, 4];

async function decisionForm(user = setup.manager) {
  const data = await (await get(decisionPage.loader, user, "/programme/vagues/1/decision")).json();
  return data as { fingerprint: string; plan: { selected: Array<{ reference: string }>; waitlisted: Array<{ reference: string; waitlistRank: number }>; rejected: Array<{ reference: string }> } };
}

async function applyAsShown(extra: Record<string, string> = { commonMotivation: "Dossier classé sous la ligne de coupure ou sous un seuil de notation." }) {
  const { fingerprint } = await decisionForm();
  return post(decisionPage.action, setup.manager, "/programme/vagues/1/decision", { fingerprint, ...extra });
}

describe("who may use the wave pages", () => {
  it("answers 403 to an applicant, an ARS agent and an ANCT agent on every loader and action, and writes nothing", async () => {
    const audit = await countRows(auditLog);
    for (const user of [setup.applicant, setup.agent, anct]) {
      expect((await get(rankingPage.loader, user, "/programme/vagues/1")).status).toBe(403);
      expect((await post(rankingPage.action, user, "/programme/vagues/1", { intent: "override", reference: dossiers[FIRST].reference, mode: "exclude", justification: "Essai" })).status).toBe(403);
      expect((await post(rankingPage.action, user, "/programme/vagues/1", { intent: "promote", reference: dossiers[FOURTH].reference })).status).toBe(403);
      expect((await get(decisionPage.loader, user, "/programme/vagues/1/decision")).status).toBe(403);
      expect((await post(decisionPage.action, user, "/programme/vagues/1/decision", { fingerprint: "x", commonMotivation: "x" })).status).toBe(403);
      expect((await get(closingPage.loader, user, "/programme/vagues/1/cloture")).status).toBe(403);
      expect((await post(closingPage.action, user, "/programme/vagues/1/cloture", {})).status).toBe(403);
    }
    expect(await countRows(auditLog)).toBe(audit);
    expect(await countRows(simulationOverrides)).toBe(0);
    expect(Object.values(await statuses(ids))).toEqual(Array(5).fill("reviewed"));
  });

  it("answers 404 for a wave number the call does not have", async () => {
    for (const numero of ["3", "00x", "-1"]) {
      expect((await get(rankingPage.loader, setup.manager, `/programme/vagues/${numero}`, numero)).status).toBe(404);
      expect((await post(rankingPage.action, setup.manager, `/programme/vagues/${numero}`, { intent: "revoke", reference: dossiers[FIRST].reference }, numero)).status).toBe(404);
      expect((await get(decisionPage.loader, setup.manager, `/programme/vagues/${numero}/decision`, numero)).status).toBe(404);
      expect((await post(decisionPage.action, setup.manager, `/programme/vagues/${numero}/decision`, {}, numero)).status).toBe(404);
      expect((await get(closingPage.loader, setup.manager, `/programme/vagues/${numero}/cloture`, numero)).status).toBe(404);
    }
    // The last wave has nothing to carry its remainder into.
    expect((await get(closingPage.loader, setup.manager, "/programme/vagues/2/cloture", "2")).status).toBe(404);
  });
});

describe("the ranking and the simulator", () => {
  it("ranks the wave's reviewed dossiers with their organisation, amounts, scores and the evaluators' mean recommendation", async () => {
    await recommend(dossiers[SECOND].id, setup.agent.id, 90_000_00);
    const data = await (await get(rankingPage.loader, setup.manager, "/programme/vagues/1")).json();
    expect(data.dossiers).toHaveLength(5);
    const second = data.dossiers.find((dossier: { id: string }) => dossier.id === dossiers[SECOND].id);
    expect(second).toMatchObject({ organisationName: "CPTS du Perche ornais", regionCode: BRETAGNE, requestedCents: 100_000_00, recommendedCents: 90_000_00, totalCostCents: 250_000_00, consolidatedScore: 80_00 });
    expect(data.balance).toMatchObject({ remainingCents: 300_000_00, busesRemaining: 3 });
    expect(data.rules.fundingThresholds).toEqual({ overall: 50, ars: 40, anct: 40 });
    expect(data).toMatchObject({ overrides: [], decisions: [], withdrawn: [], candidate: null, closure: null });
  });

  it("refuses an override without a written justification (400, by field) and keeps nothing", async () => {
    const response = await post(rankingPage.action, setup.manager, "/programme/vagues/1", { intent: "override", reference: dossiers[FOURTH].reference, mode: "include", justification: "   " });
    expect(response.status).toBe(400);
    const reply = await response.json();
    expect(reply).toMatchObject({ formId: "derogation", error: { justification: ["Justifiez la dérogation par écrit."] } });
    const amount = await post(rankingPage.action, setup.manager, "/programme/vagues/1", { intent: "override", reference: dossiers[FIRST].reference, mode: "amount", amount: "", justification: "Devis révisé" });
    expect(amount.status).toBe(400);
    expect((await amount.json()).error).toEqual({ amount: ["Indiquez le montant à attribuer."] });
    expect(await countRows(simulationOverrides)).toBe(0);
  });

  it("keeps a justified override, blocks the decision on an amount outside the award rules, refuses a dossier of another wave, and withdraws an override on request", async () => {
    const included = await post(rankingPage.action, setup.manager, "/programme/vagues/1", { intent: "override", reference: dossiers[FOURTH].reference, mode: "include", amount: "90 000", justification: "Équilibre territorial : seul projet du Perche." });
    expect(included.status).toBe(302);
    expect(included.headers.get("Location")).toBe("/programme/vagues/1#classement");
    let data = await (await get(rankingPage.loader, setup.manager, "/programme/vagues/1")).json();
    expect(data.overrides).toEqual([{ applicationId: dossiers[FOURTH].id, mode: "include", awardedCents: 90_000_00, justification: "Équilibre territorial : seul projet du Perche.", authorName: "Farid Programme" }]);

    // 130 000 € on a 250 000 € project: over the request (100 000 €) and over the 50 % band.
    const tooMuch = await post(rankingPage.action, setup.manager, "/programme/vagues/1", { intent: "override", reference: dossiers[FIRST].reference, mode: "amount", amount: "130 000", justification: "Essai" });
    expect(tooMuch.status).toBe(302);
    const simulated = await (await get(rankingPage.loader, setup.manager, "/programme/vagues/1")).json();
    expect(simulated.overrides).toHaveLength(2);
    // The simulator marks the amount to fix; the decision cannot be applied until it is.
    const blocked = await applyAsShown();
    expect(blocked.status).toBe(409);
    expect((await blocked.json()).error[""][0]).toBe(`Corrigez d'abord le montant de ${dossiers[FIRST].reference} par une dérogation : il sort des règles d'attribution.`);

    const otherWave = (await createBudgetDossiers(setup, setup.wave2.id, [{ status: "reviewed", consolidatedScore: 70_00, arsScore: 70_00, anctScore: 70_00 }]))[0];
    const outside = await post(rankingPage.action, setup.manager, "/programme/vagues/1", { intent: "override", reference: otherWave.reference, mode: "exclude", justification: "Essai" });
    expect(outside.status).toBe(409);
    expect((await outside.json()).error[""]).toEqual([`${otherWave.reference} : ce dossier ne figure pas dans le classement de la vague.`]);

    const revoked = await post(rankingPage.action, setup.manager, "/programme/vagues/1", { intent: "revoke", reference: dossiers[FOURTH].reference });
    expect(revoked.status).toBe(302);
    data = await (await get(rankingPage.loader, setup.manager, "/programme/vagues/1")).json();
    expect(data.overrides.map((override: { applicationId: string }) => override.applicationId)).toEqual([dossiers[FIRST].id]);
    const [kept] = await db.select().from(simulationOverrides).where(eq(simulationOverrides.applicationId, dossiers[FOURTH].id));
    expect(kept.revokedBy).toBe(setup.manager.id);
    const again = await post(rankingPage.action, setup.manager, "/programme/vagues/1", { intent: "revoke", reference: dossiers[FOURTH].reference });
    expect(again.status).toBe(409);
    expect((await again.json())).toMatchObject({ formId: "actions", error: { "": ["Ce dossier n'a pas de dérogation active."] } });
  });
});

describe("applying the decision", () => {
  it("shows what will happen: three selected for 300 000 €, one on the reserve list, one not selected", async () => {
    const { plan } = await decisionForm();
    expect(plan.selected.map((dossier) => dossier.reference)).toEqual([FIRST, SECOND, THIRD].map((index) => dossiers[index].reference));
    expect(plan.waitlisted).toEqual([expect.objectContaining({ reference: dossiers[FOURTH].reference, waitlistRank: 1 })]);
    expect(plan.rejected.map((dossier) => dossier.reference)).toEqual([dossiers[WEAK].reference]);
  });

  it("refuses a decision whose refusals are not motivated (400) and writes nothing", async () => {
    const entries = await countRows(ledgerEntries);
    const response = await applyAsShown({ commonMotivation: "  " });
    expect(response.status).toBe(400);
    const reply = await response.json();
    expect(reply.error.commonMotivation).toEqual(["Écrivez la motivation commune des refus, ou une motivation pour chaque dossier non retenu."]);
    expect(reply.values).toEqual({ commonMotivation: "  " });
    expect(Object.values(await statuses(ids))).toEqual(Array(5).fill("reviewed"));
    expect(await currentDecisions(ids)).toHaveLength(0);
    expect(await countRows(ledgerEntries)).toBe(entries);
  });

  it("writes statuses, decisions, commitments and the audit row together, each refusal with its motivation", async () => {
    const response = await applyAsShown({ commonMotivation: "Enveloppe de la vague atteinte.", [`motivation-${dossiers[WEAK].reference}`]: "Note ANCT sous le seuil de 40." });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/programme/vagues/1");
    expect(await statuses(ids)).toEqual({ [ids[FIRST]]: "selected", [ids[SECOND]]: "selected", [ids[THIRD]]: "selected", [ids[FOURTH]]: "waitlisted", [ids[WEAK]]: "rejected" });
    const rows = await currentDecisions(ids);
    expect(rows.find((row) => row.applicationId === ids[FOURTH])).toMatchObject({ outcome: "waitlisted", waitlistRank: 1, waveId: setup.wave1.id });
    expect(rows.find((row) => row.applicationId === ids[WEAK])).toMatchObject({ outcome: "rejected", motivation: "Note ANCT sous le seuil de 40." });
    expect(rows.filter((row) => row.outcome === "selected").map((row) => row.awardedCents)).toEqual([100_000_00, 100_000_00, 100_000_00]);
    const ledger = await ledgerOf(ids);
    expect(ledger.map((entry) => [entry.kind, entry.amountCents, entry.buses])).toEqual(Array(3).fill(["commitment", 100_000_00, 1]));
    const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.action, "decision.apply"), eq(auditLog.entityId, setup.wave1.id)));
    expect(audit.data).toMatchObject({ selected: 3, waitlisted: 1, rejected: 1, committedCents: 300_000_00 });
    const balances = await programmeBalances(setup.manager, setup.call.id);
    expect(balances.waves[0].balance).toMatchObject({ committedCents: 300_000_00, remainingCents: 0, busesRemaining: 0 });

    // The wave page now lists the decisions; the reserve list stays in the ranking.
    const data = await (await get(rankingPage.loader, setup.manager, "/programme/vagues/1")).json();
    expect(data.decisions.map((decision: { outcome: string }) => decision.outcome).sort()).toEqual(["rejected", "selected", "selected", "selected", "waitlisted"]);
    expect(data.dossiers.map((dossier: { id: string }) => dossier.id)).toEqual([ids[FOURTH]]);
  });

  it("answers 409 with the reason when another manager committed money or changed an override since the summary, and writes nothing", async () => {
    const { fingerprint } = await decisionForm();
    const [elsewhere] = await createBudgetDossiers(setup, setup.wave1.id, [{ status: "selected", requestedCents: 100_000_00 }]);
    await commitAward(setup.otherManager, elsewhere.reference, { amountCents: 100_000_00 });
    const response = await post(decisionPage.action, setup.manager, "/programme/vagues/1/decision", { fingerprint, commonMotivation: "Enveloppe atteinte." });
    expect(response.status).toBe(409);
    expect((await response.json()).error[""][0]).toMatch(/^Le classement, les dérogations ou le budget ont changé depuis l'affichage de ce récapitulatif/);
    expect(Object.values(await statuses(ids))).toEqual(Array(5).fill("reviewed"));
    expect(await ledgerOf(ids)).toHaveLength(0);

    const fresh = await decisionForm();
    expect(fresh.plan.selected).toHaveLength(2);
    await setOverride(setup.otherManager, setup.wave1.id, { reference: dossiers[FIRST].reference, mode: "exclude", justification: "Financé par la région." });
    const stale = await post(decisionPage.action, setup.manager, "/programme/vagues/1/decision", { fingerprint: fresh.fingerprint, commonMotivation: "Enveloppe atteinte." });
    expect(stale.status).toBe(409);
  });

  it("reopens a decision only with a motivation, releasing a selected dossier's commitment", async () => {
    await applyAsShown();
    const bare = await post(rankingPage.action, setup.manager, "/programme/vagues/1", { intent: "reopen", reference: dossiers[FIRST].reference, motivation: "" });
    expect(bare.status).toBe(400);
    expect((await bare.json()).error).toEqual({ motivation: ["Motivez la réouverture de la décision."] });
    expect((await statuses([ids[FIRST]]))[ids[FIRST]]).toBe("selected");

    const reopened = await post(rankingPage.action, setup.manager, "/programme/vagues/1", { intent: "reopen", reference: dossiers[FIRST].reference, motivation: "Pièce justificative contestée." });
    expect(reopened.status).toBe(302);
    expect((await statuses([ids[FIRST]]))[ids[FIRST]]).toBe("reviewed");
    expect((await ledgerOf([ids[FIRST]])).map((entry) => [entry.kind, entry.amountCents])).toEqual([
      ["commitment", 100_000_00],
      ["release", 100_000_00],
    ]);
    const [kept] = await db.select().from(decisions).where(eq(decisions.applicationId, ids[FIRST]));
    expect(kept.reopenMotivation).toBe("Pièce justificative contestée.");

    const otherWave = (await createBudgetDossiers(setup, setup.wave2.id, [{ status: "rejected" }]))[0];
    expect((await post(rankingPage.action, setup.manager, "/programme/vagues/1", { intent: "reopen", reference: otherWave.reference, motivation: "Essai" })).status).toBe(404);
  });
});

describe("withdrawal, promotion and closing", () => {
  it("proposes the first waitlisted dossier that fits after a selected one withdraws, and promotes it", async () => {
    await applyAsShown();
    let data = await (await get(rankingPage.loader, setup.manager, "/programme/vagues/1")).json();
    expect(data.candidate).toBeNull();
    const refused = await post(rankingPage.action, setup.manager, "/programme/vagues/1", { intent: "promote", reference: dossiers[FOURTH].reference });
    expect(refused.status).toBe(409);

    await withdrawDossier(setup.applicant, dossiers[SECOND].reference, { motivation: "Le département finance le projet." });
    expect((await ledgerOf([ids[SECOND]])).map((entry) => entry.kind)).toEqual(["commitment", "release"]);
    data = await (await get(rankingPage.loader, setup.manager, "/programme/vagues/1")).json();
    expect(data.withdrawn).toEqual([expect.objectContaining({ reference: dossiers[SECOND].reference, awardedCents: 100_000_00 })]);
    expect(data.candidate).toMatchObject({ reference: dossiers[FOURTH].reference, waitlistRank: 1, proposedCents: 100_000_00 });

    const wrong = await post(rankingPage.action, setup.manager, "/programme/vagues/1", { intent: "promote", reference: dossiers[WEAK].reference });
    expect(wrong.status).toBe(409);
    const promoted = await post(rankingPage.action, setup.manager, "/programme/vagues/1", { intent: "promote", reference: dossiers[FOURTH].reference });
    expect(promoted.status).toBe(302);
    expect((await statuses([ids[FOURTH]]))[ids[FOURTH]]).toBe("selected");
    expect((await ledgerOf([ids[FOURTH]])).map((entry) => [entry.kind, entry.amountCents])).toEqual([["commitment", 100_000_00]]);
    const balances = await programmeBalances(setup.manager, setup.call.id);
    expect(balances.waves[0].balance).toMatchObject({ committedCents: 300_000_00, busesCommitted: 3 });
  });

  it("refuses to close while dossiers await a decision, then shows what closing would carry", async () => {
    const early = await post(closingPage.action, setup.manager, "/programme/vagues/1/cloture", {});
    expect(early.status).toBe(409);
    expect((await early.json()).error).toBe("5 dossiers instruits attendent encore une décision sur la vague 1 : appliquez la décision avant de clôturer.");

    await setOverride(setup.manager, setup.wave1.id, { reference: dossiers[THIRD].reference, mode: "exclude", justification: "Projet redondant avec un centre de santé." });
    await applyAsShown();
    const outlook = await (await get(closingPage.loader, setup.manager, "/programme/vagues/1/cloture")).json();
    expect(outlook).toMatchObject({ remainder: { cents: 0, buses: 0 }, undecided: 0, closed: false, next: { number: 2 } });
    expect(outlook.waitlist).toEqual([]);
    // The excluded THIRD is rejected; FOURTH took its place: nothing is left on the reserve list.
    expect((await statuses([ids[THIRD], ids[FOURTH]]))).toEqual({ [ids[THIRD]]: "rejected", [ids[FOURTH]]: "selected" });
  });

  it("carries the reserve list and the remainder into wave 2 on confirmation, once", async () => {
    const [small] = await createBudgetDossiers(setup, setup.wave1.id, [{ status: "reviewed", consolidatedScore: 55_00, arsScore: 55_00, anctScore: 55_00, requestedCents: 100_000_00, totalCostCents: 250_000_00 }]);
    await setOverride(setup.manager, setup.wave1.id, { reference: dossiers[FIRST].reference, mode: "amount", awardedCents: 80_000_00, justification: "Véhicule d'occasion." });
    await applyAsShown();
    expect(await statuses([ids[FOURTH], small.id])).toEqual({ [ids[FOURTH]]: "waitlisted", [small.id]: "waitlisted" });
    const outlook = await (await get(closingPage.loader, setup.manager, "/programme/vagues/1/cloture")).json();
    expect(outlook.remainder).toEqual({ cents: 20_000_00, buses: 0 });
    expect(outlook.waitlist.map((entry: { reference: string; rank: number }) => [entry.reference, entry.rank])).toEqual([
      [dossiers[FOURTH].reference, 1],
      [small.reference, 2],
    ]);

    const closed = await post(closingPage.action, setup.manager, "/programme/vagues/1/cloture", { motivation: "Fin de la vague 1." });
    expect(closed.status).toBe(302);
    expect(closed.headers.get("Location")).toBe("/programme/vagues/2");
    const balances = await programmeBalances(setup.manager, setup.call.id);
    expect(balances.waves[0].balance).toMatchObject({ carriedOutCents: 20_000_00, remainingCents: 0 });
    expect(balances.waves[1].balance).toMatchObject({ carriedInCents: 20_000_00 });
    const carried = await currentDecisions([ids[FOURTH], small.id]);
    expect(carried.map((decision) => [decision.waveId, decision.waitlistRank])).toEqual(expect.arrayContaining([[setup.wave2.id, 1], [setup.wave2.id, 2]]));

    const wave2 = await (await get(rankingPage.loader, setup.manager, "/programme/vagues/2", "2")).json();
    expect(wave2.dossiers.map((dossier: { id: string }) => dossier.id).sort()).toEqual([ids[FOURTH], small.id].sort());
    const wave1 = await (await get(rankingPage.loader, setup.manager, "/programme/vagues/1")).json();
    expect(wave1.closure).toMatchObject({ carriedCents: 20_000_00, carriedBuses: 0, waitlistCarried: 2 });

    const twice = await post(closingPage.action, setup.manager, "/programme/vagues/1/cloture", {});
    expect(twice.status).toBe(409);
    expect((await twice.json()).error).toBe("La vague 1 est déjà clôturée.");
    const lateDecision = await applyAsShown();
    expect(lateDecision.status).toBe(409);
    expect(plain((await lateDecision.json()).error[""][0])).toBe("La vague 1 est clôturée : ses décisions ne peuvent plus être appliquées.");
  });
});
