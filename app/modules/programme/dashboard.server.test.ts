import { and, eq, isNull, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "~db/client.server";
import { applications, decisions, ledgerEntries } from "~db/schema";
import { applyDecision, reopenDecision } from "~/modules/budget/decisions.server";
import { programmeBalances, recordPayment } from "~/modules/budget/service.server";
import { findCommune } from "~/modules/geo/communes.server";
import { REGIONS } from "~/modules/geo/regions";
import { DomainError } from "~/utils/errors";
import { createBudgetDossiers, createBudgetSetup } from "../../../tests/fixtures/budget";
import { completeFormData } from "../../../tests/fixtures/dossiers";
import { BRETAGNE, bretagneFormData, createSubmittedDossier, NORMANDIE } from "../../../tests/fixtures/instruction";
import { createUser } from "../../../tests/fixtures/users";
import { programmeDashboard } from "./dashboard.server";

const population = (...codes: string[]) => codes.reduce((sum, code) => sum + findCommune(code)!.population, 0);

/** A Normandie territory across the Orne (Alençon) and the Calvados (Caen). */
const ORNE_CALVADOS = completeFormData({ territoire: { communes: [{ code: "61001", zoning: "zip" }, { code: "14118", zoning: "zac" }], patientsWithoutDoctor: 900, ofWhichAld: 200 } });

describe("programme dashboard figures", () => {
  it("no call yet: nothing to show (the page says so)", async () => {
    const manager = await createUser({ roles: ["program_manager"] });
    expect(await programmeDashboard(manager)).toBeNull();
  });

  it("a call without dossiers: every région and département at zero, the envelope untouched", async () => {
    const setup = await createBudgetSetup();
    const dashboard = (await programmeDashboard(setup.manager, { callId: setup.call.id }))!;
    expect(dashboard.call.id).toBeDefined();
    expect(dashboard.balances.total).toMatchObject({ availableCents: 10_000_000_00, committedCents: 0, paidCents: 0, remainingCents: 10_000_000_00, busesCommitted: 0 });
    expect(dashboard.regions.map((row) => row.regionCode).sort()).toEqual(REGIONS.map((region) => region.code).sort());
    expect(dashboard.regions.every((row) => row.filed === 0 && row.committedCents === 0 && row.busesCommitted === 0)).toBe(true);
    // 96 metropolitan départements and 5 overseas ones; the collectivités d'outre-mer have no ARS.
    expect(dashboard.departements).toHaveLength(101);
    expect(dashboard.departements.filter((row) => row.overseas).map((row) => row.code)).toEqual(["971", "972", "973", "974", "976"]);
    expect(dashboard.departements.every((row) => row.dossiers === 0 && row.medicobus === 0 && row.population === 0)).toBe(true);
    expect(dashboard.scores.all).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(dashboard.totals).toEqual({ filed: 0, unlocated: 0, reviewed: 0, selectedDossiers: 0, selectedBuses: 0 });
  });

  it("equals the ledger and the decisions written: per wave, per région, per département, score bins", async () => {
    const setup = await createBudgetSetup();
    const owner = setup.applicant;
    const base = { callId: setup.call.id, organisationId: setup.organisation.id, owner };
    const wave1 = { ...base, waveId: setup.wave1.id };
    // Wave 1: three reviewed dossiers (Orne + Calvados, Orne, Ille-et-Vilaine), one still under review, one withdrawn, one draft.
    const spanning = await createSubmittedDossier({ ...wave1, status: "reviewed", formData: ORNE_CALVADOS });
    const orne = await createSubmittedDossier({ ...wave1, status: "reviewed" });
    const rennes = await createSubmittedDossier({ ...wave1, status: "reviewed", region: BRETAGNE });
    const pending = await createSubmittedDossier({ ...wave1, status: "under_review" });
    await createSubmittedDossier({ ...wave1, status: "withdrawn" });
    await db.insert(applications).values({ reference: "MB-2026-BROUIL", callId: setup.call.id, waveId: setup.wave1.id, organisationId: setup.organisation.id, status: "draft", departementCodes: ["61"], createdBy: owner.id });
    // Wave 2: one reviewed Breton dossier.
    const late = await createSubmittedDossier({ ...base, waveId: setup.wave2.id, status: "reviewed", formData: bretagneFormData() });
    const scores: Array<[{ id: string }, number]> = [[spanning, 91_50], [orne, 100_00], [rennes, 45_00], [late, 9_99]];
    for (const [dossier, score] of scores) await db.update(applications).set({ consolidatedScore: score }).where(eq(applications.id, dossier.id));
    await db.update(applications).set({ consolidatedScore: 70_00 }).where(eq(applications.id, pending.id));

    await applyDecision(setup.manager, setup.wave1.id, {
      decisions: [
        { reference: spanning.reference, outcome: "selected", awardedCents: 80_000_00 },
        { reference: orne.reference, outcome: "selected", awardedCents: 70_000_00 },
        { reference: rennes.reference, outcome: "rejected", motivation: "Territoire déjà couvert." },
      ],
    });
    await applyDecision(setup.manager, setup.wave2.id, { decisions: [{ reference: late.reference, outcome: "selected", awardedCents: 60_000_00 }] });
    await recordPayment(setup.manager, spanning.reference, { tranche: "advance", amountCents: 20_000_00 });
    // A reopened decision no longer counts: its commitment is released, its bus leaves the map.
    await reopenDecision(setup.manager, late.reference, { motivation: "Erreur sur le plan de financement." });

    const dashboard = (await programmeDashboard(setup.manager, { callId: setup.call.id }))!;

    // Money: exactly what the ledger says, through programmeBalances.
    expect(dashboard.balances).toEqual(await programmeBalances(setup.manager, setup.call.id));
    const [ledger] = await db
      .select({
        committed: sql<string>`sum(case when ${ledgerEntries.kind} = 'commitment' then ${ledgerEntries.amountCents} when ${ledgerEntries.kind} = 'release' then -${ledgerEntries.amountCents} else 0 end)`.mapWith(Number),
        paid: sql<string>`sum(case when ${ledgerEntries.kind} = 'payment' then ${ledgerEntries.amountCents} else 0 end)`.mapWith(Number),
      })
      .from(ledgerEntries);
    expect(ledger).toEqual({ committed: 150_000_00, paid: 20_000_00 });
    expect(dashboard.balances.total).toMatchObject({ committedCents: 150_000_00, paidCents: 20_000_00, remainingCents: 10_000_000_00 - 150_000_00, busesCommitted: 2 });
    const [wave1Balance, wave2Balance] = dashboard.balances.waves.map((wave) => wave.balance);
    expect(wave1Balance).toMatchObject({ committedCents: 150_000_00, paidCents: 20_000_00, busesCommitted: 2 });
    expect(wave2Balance).toMatchObject({ committedCents: 0, busesCommitted: 0 });

    // Régions: dossiers filed (not the draft nor the withdrawn one), reviewed, selected; money from the ledger.
    const normandie = dashboard.regions.find((row) => row.regionCode === NORMANDIE)!;
    const bretagne = dashboard.regions.find((row) => row.regionCode === BRETAGNE)!;
    expect(normandie).toMatchObject({ regionName: "Normandie", filed: 3, reviewed: 2, selected: 2, committedCents: 150_000_00, paidCents: 20_000_00, busesCommitted: 2 });
    expect(bretagne).toMatchObject({ regionName: "Bretagne", filed: 2, reviewed: 2, selected: 0, committedCents: 0, busesCommitted: 0 });
    expect(dashboard.totals).toEqual({ filed: 5, unlocated: 0, reviewed: 4, selectedDossiers: 2, selectedBuses: 2 });
    const selectedBuses = await db.select({ buses: decisions.buses }).from(decisions).where(and(eq(decisions.outcome, "selected"), isNull(decisions.reopenedAt)));
    expect(selectedBuses.reduce((sum, row) => sum + row.buses, 0)).toBe(dashboard.totals.selectedBuses);

    // Départements: a dossier counts in each of its départements; population of each commune in its own.
    const departement = (code: string) => dashboard.departements.find((row) => row.code === code)!;
    expect(departement("61")).toMatchObject({ name: "Orne", dossiers: 3, medicobus: 2, population: population("61001") + population("61001", "61196") });
    expect(departement("14")).toMatchObject({ name: "Calvados", dossiers: 1, medicobus: 1, population: population("14118") });
    expect(departement("35")).toMatchObject({ dossiers: 2, medicobus: 0, population: 0 });
    expect(dashboard.departements.filter((row) => row.dossiers > 0).map((row) => row.code).sort()).toEqual(["14", "35", "61"]);

    // Scores of reviewed and decided dossiers (the one under review is not counted), by wave of filing.
    expect(dashboard.scores.byWave[1]).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0, 2]);
    expect(dashboard.scores.byWave[2]).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(dashboard.scores.all).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 0, 2]);
    expect(dashboard.populationAttributedByTotal).toBe(false);
  });

  it("a selected dossier without a list of communes: its population goes to its first département, and the page is told", async () => {
    const setup = await createBudgetSetup();
    const [dossier, unlocated] = await createBudgetDossiers(setup, setup.wave1.id, [
      { status: "reviewed", populationCovered: 40_000 },
      { status: "submitted", populationCovered: 1_000 },
    ]);
    await db.update(applications).set({ departementCodes: ["27", "76"] }).where(eq(applications.id, dossier.id));
    await applyDecision(setup.manager, setup.wave1.id, { decisions: [{ reference: dossier.reference, outcome: "selected", awardedCents: 80_000_00 }] });
    const dashboard = (await programmeDashboard(setup.manager, { callId: setup.call.id }))!;
    const departement = (code: string) => dashboard.departements.find((row) => row.code === code)!;
    expect(departement("27")).toMatchObject({ dossiers: 1, medicobus: 1, population: 40_000 });
    expect(departement("76")).toMatchObject({ dossiers: 1, medicobus: 1, population: 0 });
    expect(dashboard.populationAttributedByTotal).toBe(true);
    expect(dashboard.totals).toMatchObject({ filed: 2, unlocated: 1 });
    expect(unlocated.id).toBeDefined();
  });

  it("is the programme team's only: any other role is refused (403)", async () => {
    const setup = await createBudgetSetup();
    for (const user of [setup.applicant, setup.agent]) {
      const error = await programmeDashboard(user, { callId: setup.call.id }).then(() => null, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ status: 403 });
    }
  });
});
