import type { LoaderFunctionArgs } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~db/client.server";
import { applications } from "~db/schema";
import { DepartementMap, DepartementTable } from "~/components/programme/DepartementMap";
import { BusGauge, EnvelopeGauge } from "~/components/programme/Gauge";
import type { SessionUser } from "~/modules/auth/roles";
import { startSession } from "~/modules/auth/session.server";
import { applyDecision } from "~/modules/budget/decisions.server";
import { recordPayment } from "~/modules/budget/service.server";
import type { DepartementRow } from "~/modules/programme/dashboard";
import * as dashboardPage from "~/routes/programme._index";
import { createBudgetSetup } from "../fixtures/budget";
import { createSubmittedDossier, NORMANDIE } from "../fixtures/instruction";
import { createAdmin, createUser } from "../fixtures/users";

/**
 * /programme through real Requests, as Remix calls its loader: who may open it (the programme
 * team only; anonymous people are sent to sign in), what it answers for the call of the file's
 * database, and a bad parameter (400, French message, default view). The pieces the page draws
 * from those figures — the gauges and the map — are rendered to HTML to read their labels.
 */

const ORIGIN = "http://portail.test";
const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, " ");

async function cookieFor(user: SessionUser) {
  return (await startSession(user.id)).split(";")[0];
}

async function load(path: string, cookie?: string) {
  const request = new Request(`${ORIGIN}${path}`, { headers: cookie ? { Cookie: cookie } : {} });
  return (dashboardPage.loader as (args: LoaderFunctionArgs) => Promise<Response>)({ request, params: {}, context: {} }).catch((thrown: unknown) => {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  });
}

let setup: Awaited<ReturnType<typeof createBudgetSetup>>;
let cookies: Record<"manager" | "applicant" | "ars" | "anct" | "admin", string>;

beforeAll(async () => {
  setup = await createBudgetSetup();
  const [anct, admin] = await Promise.all([createUser({ name: "Denis ANCT", roles: [{ role: "anct_agent", regionCode: null }] }), createAdmin()]);
  cookies = {
    manager: await cookieFor(setup.manager),
    applicant: await cookieFor(setup.applicant),
    ars: await cookieFor(setup.agent),
    anct: await cookieFor(anct),
    admin: await cookieFor(admin),
  };
  const base = { callId: setup.call.id, waveId: setup.wave1.id, organisationId: setup.organisation.id, owner: setup.applicant };
  const [orne, other] = [await createSubmittedDossier({ ...base, status: "reviewed" }), await createSubmittedDossier({ ...base, status: "reviewed" })];
  await db.update(applications).set({ consolidatedScore: 82_00 }).where(eq(applications.id, orne.id));
  await db.update(applications).set({ consolidatedScore: 55_00 }).where(eq(applications.id, other.id));
  await applyDecision(setup.manager, setup.wave1.id, { decisions: [{ reference: orne.reference, outcome: "selected", awardedCents: 80_000_00 }] });
  await recordPayment(setup.manager, orne.reference, { tranche: "advance", amountCents: 24_000_00 });
});

describe("/programme authorization", () => {
  it("the programme team only: applicant, ARS, ANCT and administrator get 403", async () => {
    for (const role of ["applicant", "ars", "anct", "admin"] as const) {
      const response = await load("/programme", cookies[role]);
      expect([role, response.status]).toEqual([role, 403]);
    }
    expect((await load("/programme", cookies.manager)).status).toBe(200);
  });

  it("anonymous: sent to sign in, and back to the dashboard afterwards", async () => {
    const response = await load("/programme?carte=population");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/connexion?redirectTo=${encodeURIComponent("/programme?carte=population")}`);
  });
});

describe("/programme figures", () => {
  it("answers the ledger's envelope, the régions, the scores of the chosen wave and the map's figures", async () => {
    const response = await load("/programme?carte=population&vague=1", cookies.manager);
    expect(response.status).toBe(200);
    const { dashboard, params, errors } = await response.json();
    expect(params).toEqual({ carte: "population", vague: 1 });
    expect(errors).toEqual({});
    expect(dashboard.balances.total).toMatchObject({ committedCents: 80_000_00, paidCents: 24_000_00, busesCommitted: 1 });
    expect(dashboard.regions.find((row: { regionCode: string }) => row.regionCode === NORMANDIE)).toMatchObject({ filed: 2, reviewed: 2, selected: 1, committedCents: 80_000_00, paidCents: 24_000_00, busesCommitted: 1 });
    expect(dashboard.scores.byWave[1]).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 1, 0]);
    expect(dashboard.departements.find((row: DepartementRow) => row.code === "61")).toMatchObject({ dossiers: 2, medicobus: 1, population: 25_490 + 1_474 });
  });

  it("an unknown measure or wave: 400 with the French message by field, the default view shown", async () => {
    const response = await load("/programme?carte=budget&vague=7", cookies.manager);
    expect(response.status).toBe(400);
    const { dashboard, params, errors } = await response.json();
    expect(params).toEqual({ carte: "dossiers", vague: null });
    expect(errors).toEqual({ carte: expect.stringContaining("Choisissez une mesure de la liste"), vague: "Choisissez une vague de l'appel (1, 2) ou toutes les vagues." });
    expect(dashboard.balances.total.committedCents).toBe(80_000_00);
  });
});

describe("what the page draws from these figures", () => {
  it("the gauges write every figure in euros and in %, and sum the bar up in words", async () => {
    const { dashboard } = await (await load("/programme", cookies.manager)).json();
    const html = plain(renderToStaticMarkup(createElement("div", null, createElement(EnvelopeGauge, { title: "Enveloppe totale de l'appel", balance: dashboard.balances.total }), createElement(BusGauge, { title: "Médicobus financés", funded: 1, target: 100 }))));
    expect(html).toContain("80 000 € engagés sur 10 000 000 € (0,8 %), dont 24 000 € versés.");
    expect(html).toContain('aria-label="Enveloppe totale de l&#x27;appel : 24 000 € versés, 56 000 € engagés non versés, 9 920 000 € restant à engager, sur 10 000 000 €."');
    expect(html).toContain("Versé : <strong>24 000 €</strong> (0,2 %)");
    expect(html).toContain("Reste à engager : <strong>9 920 000 €</strong> (99,2 %)");
    expect(html).toContain("1 médicobus financés sur un objectif de 100 (1 %).");
  });

  it("the map: each metropolitan département a focusable image named with its figure, a legend with ranges, overseas listed, the table of all 101", async () => {
    const { dashboard } = await (await load("/programme?carte=dossiers", cookies.manager)).json();
    const html = plain(renderToStaticMarkup(createElement("div", null, createElement(DepartementMap, { departements: dashboard.departements, measure: "dossiers" }), createElement(DepartementTable, { departements: dashboard.departements, id: "t" }))));
    expect(html.match(/<path /g)).toHaveLength(96);
    expect(html.match(/tabindex="0" role="img"/g)).toHaveLength(96);
    expect(html).toContain('aria-label="Orne (61) : 2 dossiers déposés"');
    expect(html).toContain("<title>Calvados (14) : 0 dossier déposé</title>");
    expect(html).toContain("Aucun (100 départements)");
    expect(html).toContain("2 (1 département)");
    expect(html).toContain("La Réunion (974) : 0 dossier déposé");
    expect(html).toContain("CC-BY-4.0");
    expect(html.match(/<th scope="row">/g)).toHaveLength(101);
  });
});
