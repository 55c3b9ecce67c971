import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~db/client.server";
import { auditLog, calls, waves } from "~db/schema";
import type { SessionUser } from "~/modules/auth/roles";
import { startSession } from "~/modules/auth/session.server";
import { commitAward } from "~/modules/budget/service.server";
import { readCallRules } from "~/modules/calls/schema";
import * as wavesPage from "~/routes/programme.vagues._index";
import * as configurationPage from "~/routes/programme.vagues.$numero.configuration";
import { createBudgetDossiers, createBudgetSetup } from "../fixtures/budget";
import { countRows, createUser } from "../fixtures/users";

/**
 * The waves pages through real Requests: who may open and post (program_manager only), what a
 * forged wave answers (404), what a refused configuration answers (400 by field, in French) and
 * writes (nothing), and what an accepted one stores with its audit row.
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

async function get(handler: unknown, user: SessionUser, path: string, params: Record<string, string> = {}) {
  return call(handler, new Request(`${ORIGIN}${path}`, { headers: { Cookie: await cookieFor(user) } }), params);
}

async function post(handler: unknown, user: SessionUser, path: string, fields: Record<string, string>, params: Record<string, string> = {}) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  return call(handler, new Request(`${ORIGIN}${path}`, { method: "POST", body, headers: { Cookie: await cookieFor(user) } }), params);
}

const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, " ");

let setup: Awaited<ReturnType<typeof createBudgetSetup>>;
let anct: SessionUser;

beforeEach(async () => {
  setup = await createBudgetSetup();
  anct = await createUser({ name: "Claude ANCT", roles: ["anct_agent"] });
});

/** The configuration form as the page posts it, for wave 1 of the fixture's call unless changed. */
function configuration(overrides: Record<string, string> = {}) {
  return { opensOn: setup.wave1.opensOn, closesOn: setup.wave1.closesOn, closingTime: "12:00", budget: "5 000 000", busTarget: "50", ...overrides };
}

const waveRow = async (id: string) => (await db.select().from(waves).where(eq(waves.id, id)))[0];

describe("who may use the waves pages", () => {
  it("answers 403 to an applicant, an ARS agent and an ANCT agent on every loader and action, and writes nothing", async () => {
    const before = await countRows(auditLog);
    for (const user of [setup.applicant, setup.agent, anct]) {
      expect((await get(wavesPage.loader, user, "/programme/vagues")).status).toBe(403);
      expect((await post(wavesPage.action, user, "/programme/vagues", { intent: "co-financing", stateShareMin: "20", stateShareMax: "60", advanceShare: "10" })).status).toBe(403);
      expect((await get(configurationPage.loader, user, "/programme/vagues/1/configuration", { numero: "1" })).status).toBe(403);
      expect((await post(configurationPage.action, user, "/programme/vagues/1/configuration", configuration({ budget: "1 000" }), { numero: "1" })).status).toBe(403);
    }
    expect(await countRows(auditLog)).toBe(before);
    expect((await waveRow(setup.wave1.id)).budgetCents).toBe(5_000_000_00);
  });

  it("sends an anonymous visitor to the sign-in page", async () => {
    const response = await call(wavesPage.loader, new Request(`${ORIGIN}/programme/vagues`), {});
    expect(response.status).toBe(302);
  });

  it("answers 404 for a wave the call does not have, on the loader and the action", async () => {
    for (const numero of ["3", "0", "abc", "1; drop table waves"]) {
      expect((await get(configurationPage.loader, setup.manager, `/programme/vagues/${numero}/configuration`, { numero })).status).toBe(404);
      expect((await post(configurationPage.action, setup.manager, `/programme/vagues/${numero}/configuration`, configuration(), { numero })).status).toBe(404);
    }
  });
});

describe("the list of waves", () => {
  it("shows each wave's calendar, budget and ledger figures, and warns when the budgets leave part of the envelope unallocated", async () => {
    let data = await (await get(wavesPage.loader, setup.manager, "/programme/vagues")).json();
    expect(data.waves.map((wave: { number: number; state: string }) => [wave.number, wave.state])).toEqual([
      [1, "closed"],
      [2, "open"],
    ]);
    expect(data.waves[0].balance).toMatchObject({ committedCents: 0, remainingCents: 5_000_000_00, busesRemaining: 50 });
    expect(data.envelope).toBeNull();

    const [dossier] = await createBudgetDossiers(setup, setup.wave1.id, [{ requestedCents: 100_000_00 }]);
    await commitAward(setup.manager, dossier.reference, { amountCents: 100_000_00 });
    await db.update(waves).set({ budgetCents: 4_000_000_00 }).where(eq(waves.id, setup.wave2.id));
    data = await (await get(wavesPage.loader, setup.manager, "/programme/vagues")).json();
    expect(data.waves[0].balance).toMatchObject({ committedCents: 100_000_00, remainingCents: 4_900_000_00, busesCommitted: 1 });
    expect(data.envelope).toMatchObject({ kind: "under", cents: 1_000_000_00 });
    expect(plain(data.envelope.message)).toBe("Les budgets des vagues (9 000 000 €) laissent 1 000 000 € de l'enveloppe de l'appel (10 000 000 €) sans affectation.");
  });
});

describe("configuring a wave", () => {
  it("stores dates, closing hour, a French budget, the bus target and quotas, with an audit row of before and after", async () => {
    const response = await post(
      configurationPage.action,
      setup.manager,
      "/programme/vagues/1/configuration",
      configuration({ closesOn: setup.wave1.closesOn, closingTime: "17:30", budget: "4 500 000", busTarget: "45", quota28: "6", quota53: " 4 " }),
      { numero: "1" },
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/programme/vagues");
    expect(response.headers.get("Set-Cookie")).toMatch(/mb_toast=/);
    expect(await waveRow(setup.wave1.id)).toMatchObject({ closingTime: "17:30", budgetCents: 4_500_000_00, busTarget: 45, regionBusQuotas: { "28": 6, "53": 4 } });
    const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.action, "wave.configure"), eq(auditLog.entityId, setup.wave1.id)));
    expect(audit).toMatchObject({ entityType: "wave", entityId: setup.wave1.id, actorId: setup.manager.id });
    expect(audit.data).toMatchObject({ before: { budgetCents: 5_000_000_00, busTarget: 50, regionBusQuotas: {} }, after: { budgetCents: 4_500_000_00, busTarget: 45, closingTime: "17:30" } });

    const page = await (await get(configurationPage.loader, setup.manager, "/programme/vagues/1/configuration", { numero: "1" })).json();
    expect(page.wave).toMatchObject({ budgetCents: 4_500_000_00, regionBusQuotas: { "28": 6, "53": 4 } });
  });

  it("refuses budgets over the envelope, saying by how much, and writes nothing", async () => {
    const before = await countRows(auditLog);
    const response = await post(configurationPage.action, setup.manager, "/programme/vagues/1/configuration", configuration({ budget: "6 000 000" }), { numero: "1" });
    expect(response.status).toBe(400);
    const reply = await response.json();
    expect(reply.error.budget.map(plain)).toEqual(["Les budgets des vagues (11 000 000 €) dépassent l'enveloppe de l'appel (10 000 000 €) de 1 000 000 €."]);
    expect(reply.initialValue.budget).toBe("6 000 000");
    expect((await waveRow(setup.wave1.id)).budgetCents).toBe(5_000_000_00);
    expect(await countRows(auditLog)).toBe(before);
  });

  it("refuses a budget or a bus target under what the ledger holds committed on the wave", async () => {
    const dossiers = await createBudgetDossiers(setup, setup.wave1.id, [{ requestedCents: 150_000_00 }, { requestedCents: 150_000_00 }, { requestedCents: 100_000_00 }]);
    for (const dossier of dossiers) await commitAward(setup.manager, dossier.reference, { amountCents: dossier.requestedCents });
    const response = await post(configurationPage.action, setup.manager, "/programme/vagues/1/configuration", configuration({ budget: "399 999", busTarget: "2" }), { numero: "1" });
    expect(response.status).toBe(400);
    const reply = await response.json();
    expect(plain(reply.error.budget[0])).toBe("Le budget ne peut pas descendre sous 400 000 € : 400 000 € sont déjà engagés sur cette vague.");
    expect(reply.error.busTarget).toEqual(["L'objectif ne peut pas descendre sous 3 médicobus : 3 sont déjà engagés sur cette vague."]);
    // Exactly what is committed is accepted: nothing is left to commit, nothing is overspent.
    const exact = await post(configurationPage.action, setup.manager, "/programme/vagues/1/configuration", configuration({ budget: "400 000", busTarget: "3" }), { numero: "1" });
    expect(exact.status).toBe(302);
    expect(await waveRow(setup.wave1.id)).toMatchObject({ budgetCents: 400_000_00, busTarget: 3 });
  });

  it("refuses a closing before the opening, and a wave 2 that opens before wave 1 closes", async () => {
    const reversed = await post(configurationPage.action, setup.manager, "/programme/vagues/1/configuration", configuration({ opensOn: "2026-03-10", closesOn: "2026-03-01" }), { numero: "1" });
    expect(reversed.status).toBe(400);
    expect((await reversed.json()).error.closesOn).toEqual(["La clôture doit être postérieure à l'ouverture."]);

    const overlapping = await post(
      configurationPage.action,
      setup.manager,
      "/programme/vagues/2/configuration",
      { opensOn: setup.wave1.closesOn, closesOn: setup.wave2.closesOn, closingTime: "12:00", budget: "5 000 000", busTarget: "50" },
      { numero: "2" },
    );
    expect(overlapping.status).toBe(400);
    expect((await overlapping.json()).error.opensOn).toEqual([expect.stringMatching(/^La vague 2 doit ouvrir après la clôture de la vague 1 \(.+ à 12:00\)\.$/)]);

    const late = await post(configurationPage.action, setup.manager, "/programme/vagues/1/configuration", configuration({ closesOn: setup.wave2.closesOn }), { numero: "1" });
    expect(late.status).toBe(400);
    expect((await late.json()).error.closesOn).toEqual([expect.stringMatching(/^La vague 1 doit être close avant l'ouverture de la vague 2/)]);
    expect(await waveRow(setup.wave1.id)).toMatchObject({ opensOn: setup.wave1.opensOn, closesOn: setup.wave1.closesOn });
  });

  it("answers 400 with a French message for each badly typed field", async () => {
    const response = await post(
      configurationPage.action,
      setup.manager,
      "/programme/vagues/1/configuration",
      { opensOn: "2026-02-30", closesOn: "", closingTime: "25:00", budget: "cinq millions", busTarget: "4,5", quota28: "-2", quota53: "60" },
      { numero: "1" },
    );
    expect(response.status).toBe(400);
    const reply = await response.json();
    const errors = Object.fromEntries(Object.entries(reply.error as Record<string, string[]>).map(([name, messages]) => [name, messages.map(plain)]));
    expect(errors).toMatchObject({
      opensOn: ["Cette date n'existe pas."],
      closesOn: ["Indiquez la date de clôture."],
      closingTime: ["Saisissez une heure au format hh:mm, par exemple 12:00."],
      budget: ["Saisissez un montant en euros, par exemple 120 000 ou 120 000,50."],
      busTarget: ["Saisissez un nombre entier de 1 à 1 000 médicobus."],
      quota28: ["Saisissez un nombre entier de médicobus (0 à 1 000), ou laissez vide."],
    });
    const quotas = await post(configurationPage.action, setup.manager, "/programme/vagues/1/configuration", configuration({ busTarget: "10", quota28: "6", quota53: "5" }), { numero: "1" });
    expect(quotas.status).toBe(400);
    expect((await quotas.json()).error.busTarget).toEqual(["Les quotas régionaux totalisent 11 médicobus : plus que l'objectif de la vague (10)."]);
    expect((await waveRow(setup.wave1.id)).busTarget).toBe(50);
  });
});

describe("co-financing rules", () => {
  it("stores the State share band and the advance share typed the French way, audited", async () => {
    const response = await post(wavesPage.action, setup.manager, "/programme/vagues", { intent: "co-financing", stateShareMin: "25", stateShareMax: "52,5", advanceShare: "40 %" });
    expect(response.status).toBe(302);
    const [row] = await db.select({ rules: calls.rules }).from(calls).where(eq(calls.id, setup.call.id));
    expect(readCallRules(row.rules)).toMatchObject({ stateSharePercent: { min: 25, max: 52.5 }, advanceSharePercent: 40 });
    const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.action, "call.co_financing"), eq(auditLog.entityId, setup.call.id)));
    expect(audit.data).toMatchObject({ before: { stateSharePercent: { min: 30, max: 50 }, advanceSharePercent: 30 }, after: { stateSharePercent: { min: 25, max: 52.5 } } });
  });

  it("refuses a band upside down or out of 0–100 %, by field, and writes nothing", async () => {
    const upsideDown = await post(wavesPage.action, setup.manager, "/programme/vagues", { intent: "co-financing", stateShareMin: "50", stateShareMax: "30", advanceShare: "30" });
    expect(upsideDown.status).toBe(400);
    const reply = await upsideDown.json();
    expect(reply.formId).toBe("cofinancement");
    expect(reply.error).toEqual({ stateShareMax: ["La part maximale doit être au moins égale à la part minimale."] });
    const outOfRange = await post(wavesPage.action, setup.manager, "/programme/vagues", { intent: "co-financing", stateShareMin: "30", stateShareMax: "50", advanceShare: "120" });
    expect(outOfRange.status).toBe(400);
    expect((await outOfRange.json()).error).toEqual({ advanceShare: ["Saisissez un pourcentage de 0 à 100, par exemple 30 ou 33,5."] });
    const [row] = await db.select({ rules: calls.rules }).from(calls).where(eq(calls.id, setup.call.id));
    expect(readCallRules(row.rules).stateSharePercent).toEqual({ min: 30, max: 50 });
    expect(await db.select().from(auditLog).where(and(eq(auditLog.action, "call.co_financing"), eq(auditLog.entityId, setup.call.id)))).toHaveLength(0);
    expect((await post(wavesPage.action, setup.manager, "/programme/vagues", { intent: "unknown" })).status).toBe(400);
  });
});

