import type { LoaderFunctionArgs } from "@remix-run/node";
import { asc, eq, gt, ne } from "drizzle-orm";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~db/client.server";
import { applications, organisations } from "~db/schema";
import { STATUS_LABELS } from "~/modules/applications/lifecycle";
import type { SessionUser } from "~/modules/auth/roles";
import { startSession } from "~/modules/auth/session.server";
import { applyDecision } from "~/modules/budget/decisions.server";
import { SCDL_COLUMNS, scdlProblems, type ScdlRow } from "~/modules/budget/scdl";
import { keysetBatches } from "~/modules/exports/stream.server";
import { listDossiersForAgent } from "~/modules/instruction/queries.server";
import * as exportsPage from "~/routes/programme.exports._index";
import * as programmeExport from "~/routes/programme.exports.$liste";
import * as scdlExport from "~/routes/programme.exports.subventions-scdl";
import * as dossierExport from "~/routes/instruction.export";
import { BRETAGNE, createBudgetDossiers, createBudgetSetup, NORMANDIE, OCCITANIE } from "../fixtures/budget";
import { parseCsv } from "../fixtures/csv";
import { createUser } from "../fixtures/users";

/**
 * The exports through real Requests, as Remix calls the resource routes: the files' headers and
 * contents read back (CSV parsed, XLSX opened with exceljs's reader), the scope of an ARS agent,
 * the SCDL file checked against the schema's rules (and refused when a row breaks one), and who
 * may download what.
 */

const ORIGIN = "http://portail.test";
type Handler = (args: LoaderFunctionArgs) => Promise<Response>;

async function call(handler: unknown, path: string, cookie: string | null, params: Record<string, string> = {}) {
  const request = new Request(`${ORIGIN}${path}`, { headers: cookie ? { Cookie: cookie } : {} });
  return (handler as Handler)({ request, params, context: {} }).catch((thrown: unknown) => {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  });
}

const cookieFor = async (user: SessionUser) => (await startSession(user.id)).split(";")[0];

/** The CSV's records, after checking the byte order mark Excel needs. */
async function csvOf(response: Response) {
  const bytes = new Uint8Array(await response.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return parseCsv(new TextDecoder().decode(bytes.slice(3)));
}

const asObjects = (records: string[][]) => records.slice(1).map((record) => Object.fromEntries(records[0].map((header, index) => [header, record[index]])));

let setup: Awaited<ReturnType<typeof createBudgetSetup>>;
let cookies: { manager: string; arsNormandie: string; arsBretagne: string; applicant: string };
let dossiers: Awaited<ReturnType<typeof createBudgetDossiers>>;
const TRICKY_TITLE = '=HYPERLINK("http://exemple.test";"Cliquez") ; « Médicobus »\nsur deux lignes';

beforeAll(async () => {
  setup = await createBudgetSetup({ wave1: { budgetCents: 300_000_00, busTarget: 3 } });
  const arsBretagne = await createUser({ name: "Brieuc ARS Bretagne", roles: [{ role: "ars_agent", regionCode: BRETAGNE }] });
  dossiers = await createBudgetDossiers(setup, setup.wave1.id, [
    { status: "reviewed", consolidatedScore: 90_00, arsScore: 90_00, anctScore: 90_00, regionCode: NORMANDIE, requestedCents: 100_000_00, populationCovered: 12_345 },
    { status: "reviewed", consolidatedScore: 80_00, arsScore: 80_00, anctScore: 80_00, regionCode: BRETAGNE, requestedCents: 120_000_50 },
    { status: "reviewed", consolidatedScore: 73_33, arsScore: 70_00, anctScore: 78_33, regionCode: OCCITANIE, requestedCents: 100_000_00 },
    { status: "submitted", regionCode: NORMANDIE, requestedCents: 90_000_00 },
    { status: "under_review", regionCode: NORMANDIE, requestedCents: 95_000_00 },
    { status: "draft", regionCode: NORMANDIE },
  ]);
  await db.update(applications).set({ title: TRICKY_TITLE }).where(eq(applications.id, dossiers[3].id));
  await applyDecision(setup.manager, setup.wave1.id, {
    decisions: [
      { reference: dossiers[0].reference, outcome: "selected", awardedCents: 100_000_00 },
      { reference: dossiers[1].reference, outcome: "waitlisted", waitlistRank: 1 },
      { reference: dossiers[2].reference, outcome: "rejected", motivation: "Plan de financement incomplet ; à revoir" },
    ],
  });
  cookies = {
    manager: await cookieFor(setup.manager),
    arsNormandie: await cookieFor(setup.agent),
    arsBretagne: await cookieFor(arsBretagne),
    applicant: await cookieFor(setup.applicant),
  };
});

describe("CSV for Excel in French", () => {
  it("exports the dossiers with the file headers, and parses back to the rows of the database", async () => {
    const response = await call(dossierExport.loader, "/instruction/export?format=csv", cookies.manager);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="dossiers-medicobus-\d{4}-\d{2}-\d{2}\.csv"; filename\*=UTF-8''dossiers-medicobus-\d{4}-\d{2}-\d{2}\.csv$/);
    const expected = await db
      .select({ reference: applications.reference, title: applications.title, status: applications.status, requestedCents: applications.requestedCents, populationCovered: applications.populationCovered, consolidatedScore: applications.consolidatedScore })
      .from(applications)
      .where(ne(applications.status, "draft"))
      .orderBy(asc(applications.reference));
    expect(response.headers.get("X-Total-Rows")).toBe(String(expected.length));

    const rows = asObjects(await csvOf(response));
    expect(rows.map((row) => [row["Référence"], row["Intitulé du projet"], row["Statut"], row["Montant demandé (€)"], row["Population couverte"], row["Note consolidée (/100)"]])).toEqual(
      expected.map((row) => [
        row.reference,
        // A title that Excel would run as a formula starts with an apostrophe; the rest stays as typed.
        row.title.startsWith("=") ? `'${row.title}` : row.title,
        STATUS_LABELS[row.status],
        `${Math.floor(row.requestedCents / 100)},${String(row.requestedCents % 100).padStart(2, "0")}`,
        String(row.populationCovered),
        row.consolidatedScore === null ? "" : (row.consolidatedScore / 100).toFixed(2).replace(".", ","),
      ]),
    );
    expect(rows.find((row) => row["Référence"] === dossiers[1].reference)?.["Montant demandé (€)"]).toBe("120000,50");
    expect(rows.find((row) => row["Référence"] === dossiers[2].reference)?.["Note consolidée (/100)"]).toBe("73,33");
  });

  it("gives an ARS agent its région only, with the filters of its list", async () => {
    const response = await call(dossierExport.loader, "/instruction/export?format=csv", cookies.arsNormandie);
    const rows = asObjects(await csvOf(response));
    const list = await listDossiersForAgent(setup.agent, { pageSize: "100" } as never);
    expect(rows.map((row) => row["Référence"]).sort()).toEqual(list.dossiers.map((row) => row.reference).sort());
    expect(new Set(rows.map((row) => row["Région"]))).toEqual(new Set(["Normandie"]));
    expect(response.headers.get("X-Total-Rows")).toBe(String(list.total));

    const filtered = asObjects(await csvOf(await call(dossierExport.loader, "/instruction/export?format=csv&status=submitted", cookies.arsNormandie)));
    expect(filtered.map((row) => row["Référence"])).toEqual([dossiers[3].reference]);
    const breton = asObjects(await csvOf(await call(dossierExport.loader, "/instruction/export?format=csv", cookies.arsBretagne)));
    expect(breton.map((row) => row["Référence"])).toEqual([dossiers[1].reference]);
  });

  it("reads every row once, in key order, by keyset batches smaller than the list", async () => {
    const fetch = (after: string | null, limit: number) =>
      db
        .select({ reference: applications.reference })
        .from(applications)
        .where(after === null ? undefined : gt(applications.reference, after))
        .orderBy(asc(applications.reference))
        .limit(limit);
    const batches: string[][] = [];
    for await (const batch of keysetBatches(fetch, (row) => row.reference, 2)) batches.push(batch.map((row) => row.reference));
    const all = (await fetch(null, 1000)).map((row) => row.reference);
    expect(batches.flat()).toEqual(all);
    expect(batches.every((batch) => batch.length <= 2)).toBe(true);
  });

  it("exports decisions, ledger entries, a wave's ranking and the audit log", async () => {
    const decisionsFile = asObjects(await csvOf(await call(programmeExport.loader, "/programme/exports/decisions?format=csv", cookies.manager, { liste: "decisions" })));
    expect(decisionsFile.map((row) => [row["Référence"], row["Décision"], row["Montant attribué (€)"], row["Rang en liste complémentaire"], row["Motivation"]]).sort()).toEqual(
      [
        [dossiers[0].reference, "Retenu", "100000,00", "", ""],
        [dossiers[1].reference, "Liste complémentaire", "", "1", ""],
        [dossiers[2].reference, "Non retenu", "", "", "Plan de financement incomplet ; à revoir"],
      ].sort(),
    );
    expect(decisionsFile[0]["Décidé le"]).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);

    const ledger = asObjects(await csvOf(await call(programmeExport.loader, "/programme/exports/ecritures?format=csv", cookies.manager, { liste: "ecritures" })));
    expect(ledger.map((row) => [row["Nature"], row["Dossier"], row["Montant (€)"], row["Bus"], row["Région"]])).toEqual([["Engagement", dossiers[0].reference, "100000,00", "1", "Normandie"]]);

    const rankingResponse = await call(programmeExport.loader, `/programme/exports/classement?format=csv&vague=${setup.wave1.id}`, cookies.manager, { liste: "classement" });
    expect(rankingResponse.headers.get("Content-Disposition")).toContain("classement-vague-1-");
    const ranking = asObjects(await csvOf(rankingResponse));
    // The waitlisted dossier competes again; the selected and the rejected ones are decided.
    expect(ranking.map((row) => [row["Rang"], row["Référence"]])).toEqual([["1", dossiers[1].reference]]);

    const audit = asObjects(await csvOf(await call(programmeExport.loader, "/programme/exports/journal?format=csv&action=ledger.commitment", cookies.manager, { liste: "journal" })));
    expect(audit).toHaveLength(1);
    expect(audit[0]["Action"]).toBe("Engagement budgétaire");
    expect(JSON.parse(audit[0]["Détails"])).toMatchObject({ amountCents: 100_000_00, buses: 1 });
    expect(audit[0]["Empreinte"]).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("XLSX", () => {
  it("reads back with typed cells: numbers with their formats, dates as dates", async () => {
    const response = await call(programmeExport.loader, "/programme/exports/decisions?format=xlsx", cookies.manager, { liste: "decisions" });
    expect(response.headers.get("Content-Type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(response.headers.get("X-Total-Rows")).toBe("3");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.name).toBe("Décisions");
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    const column = (header: string) => headers.indexOf(header) + 1;
    const selected = sheet.getRows(2, sheet.rowCount - 1)!.find((row) => row.getCell(column("Décision")).value === "Retenu")!;
    const amount = selected.getCell(column("Montant attribué (€)"));
    expect(amount.value).toBe(100_000);
    expect(amount.numFmt).toBe('#,##0.00 "€"');
    const decidedAt = selected.getCell(column("Décidé le"));
    expect(decidedAt.value).toBeInstanceOf(Date);
    expect(decidedAt.numFmt).toBe("dd/mm/yyyy hh:mm:ss");
    expect(selected.getCell(column("Bus")).value).toBe(1);
    expect(selected.getCell(column("Référence")).value).toBe(dossiers[0].reference);

    const dossierBook = new ExcelJS.Workbook();
    await dossierBook.xlsx.load(Buffer.from(await (await call(dossierExport.loader, "/instruction/export?format=xlsx", cookies.manager)).arrayBuffer()) as unknown as ExcelJS.Buffer);
    const dossierSheet = dossierBook.worksheets[0];
    const dossierHeaders = (dossierSheet.getRow(1).values as unknown[]).slice(1);
    const first = dossierSheet.getRows(2, dossierSheet.rowCount - 1)!.find((row) => row.getCell(1).value === dossiers[0].reference)!;
    expect(first.getCell(dossierHeaders.indexOf("Population couverte") + 1).value).toBe(12_345);
    expect(first.getCell(dossierHeaders.indexOf("Note consolidée (/100)") + 1).value).toBe(90);
    // In a typed cell the title is text, never a formula: no apostrophe needed.
    const tricky = dossierSheet.getRows(2, dossierSheet.rowCount - 1)!.find((row) => row.getCell(1).value === dossiers[3].reference)!;
    expect(tricky.getCell(2).value).toBe(TRICKY_TITLE);
  });
});

describe("SCDL « subventions » open data", () => {
  it("publishes the selected dossiers in the schema's CSV, every row passing the schema's rules", async () => {
    const response = await call(scdlExport.loader, "/programme/exports/subventions-scdl", cookies.manager);
    expect(response.status).toBe(200);
    expect(response.headers.get("X-Total-Rows")).toBe("1");
    const bytes = new Uint8Array(await response.arrayBuffer());
    // The schema's files are plain UTF-8, comma-separated: no byte order mark.
    expect(bytes[0]).not.toBe(0xef);
    const records = parseCsv(new TextDecoder().decode(bytes), ",");
    expect(records[0]).toEqual([...SCDL_COLUMNS]);
    const rows = records.slice(1).map((record) => Object.fromEntries(SCDL_COLUMNS.map((column, index) => [column, record[index]])) as ScdlRow);
    expect(rows).toHaveLength(1);
    for (const row of rows) expect(scdlProblems(row)).toEqual([]);
    expect(rows[0]).toMatchObject({
      nomAttribuant: "Agence nationale de la cohésion des territoires",
      idAttribuant: "13002603200016",
      referenceDecision: dossiers[0].reference,
      nomBeneficiaire: "CPTS du Perche ornais",
      idBeneficiaire: "73282932000074",
      montant: "100000.00",
      nature: "aide en numéraire",
      conditionsVersement: "échelonné",
      notificationUE: "non",
      pourcentageSubvention: "1.00",
    });
    expect(rows[0].datesPeriodeVersement).toMatch(/^\d{4}-\d{2}-\d{2}\/\d{4}-\d{2}-\d{2}$/);
  });

  it("refuses the whole file (409) naming each row that breaks a rule", async () => {
    const [organisation] = await db.select().from(organisations).where(eq(organisations.id, setup.organisation.id));
    await db.update(organisations).set({ siret: "12345678901234" }).where(eq(organisations.id, organisation.id));
    try {
      const response = await call(scdlExport.loader, "/programme/exports/subventions-scdl", cookies.manager);
      expect(response.status).toBe(409);
      const text = await response.text();
      expect(text).toContain("Le fichier des subventions ne peut pas être publié : 1 ligne ne respecte pas le schéma SCDL.");
      expect(text).toContain(`${dossiers[0].reference} : Identifiant du bénéficiaire`);
      const page = await call(exportsPage.loader, "/programme/exports", cookies.manager);
      expect((await page.json()).scdl.problems).toEqual([{ reference: dossiers[0].reference, messages: [expect.stringContaining("Identifiant du bénéficiaire")] }]);
    } finally {
      await db.update(organisations).set({ siret: organisation.siret }).where(eq(organisations.id, organisation.id));
    }
  });
});

describe("who may export", () => {
  const programmeUrls = [
    { path: "/programme/exports/decisions?format=csv", params: { liste: "decisions" } },
    { path: "/programme/exports/ecritures?format=xlsx", params: { liste: "ecritures" } },
    { path: "/programme/exports/journal?format=csv", params: { liste: "journal" } },
    { path: "/programme/exports/classement?format=csv&vague=", params: { liste: "classement" } },
  ];

  it("programme exports and the exports page: program managers only (403), the signed-out to the sign-in page", async () => {
    for (const { path, params } of programmeUrls) {
      const url = path.endsWith("vague=") ? `${path}${setup.wave1.id}` : path;
      expect([path, (await call(programmeExport.loader, url, cookies.manager, params)).status]).toEqual([path, 200]);
      for (const role of ["arsNormandie", "applicant"] as const) expect([path, role, (await call(programmeExport.loader, url, cookies[role], params)).status]).toEqual([path, role, 403]);
      const anonymous = await call(programmeExport.loader, url, null, params);
      expect([anonymous.status, anonymous.headers.get("Location")]).toEqual([302, `/connexion?redirectTo=${encodeURIComponent(url)}`]);
    }
    for (const [handler, path] of [
      [scdlExport.loader, "/programme/exports/subventions-scdl"],
      [exportsPage.loader, "/programme/exports"],
    ] as const) {
      expect((await call(handler, path, cookies.arsNormandie)).status).toBe(403);
      expect((await call(handler, path, null)).status).toBe(302);
    }
    expect((await call(exportsPage.loader, "/programme/exports", cookies.manager)).status).toBe(200);
  });

  it("the dossiers' export: agents and managers, not applicants (403)", async () => {
    expect((await call(dossierExport.loader, "/instruction/export?format=csv", cookies.applicant)).status).toBe(403);
    expect((await call(dossierExport.loader, "/instruction/export?format=csv", null)).status).toBe(302);
  });

  it("answers bad requests in French: unknown list 404, format 400, wave 404, filters 400", async () => {
    const unknown = await call(programmeExport.loader, "/programme/exports/salaires?format=csv", cookies.manager, { liste: "salaires" });
    expect([unknown.status, await unknown.text()]).toEqual([404, "Cet export n'existe pas."]);
    const format = await call(programmeExport.loader, "/programme/exports/decisions?format=pdf", cookies.manager, { liste: "decisions" });
    expect([format.status, await format.text()]).toEqual([400, "Format d'export inconnu : choisissez csv ou xlsx."]);
    for (const wave of ["pas-une-vague", "00000000-0000-4000-8000-000000000000"]) {
      const response = await call(programmeExport.loader, `/programme/exports/classement?format=csv&vague=${wave}`, cookies.manager, { liste: "classement" });
      expect([response.status, await response.text()]).toEqual([404, "Vague introuvable."]);
    }
    const filters = await call(dossierExport.loader, "/instruction/export?format=csv&scoreMin=beaucoup", cookies.manager);
    expect([filters.status, await filters.text()]).toEqual([400, "Les filtres de la liste ne sont pas valides."]);
    const dates = await call(programmeExport.loader, "/programme/exports/journal?format=csv&from=2026-05-01&to=2026-04-01", cookies.manager, { liste: "journal" });
    expect([dates.status, await dates.text()]).toEqual([400, "Les filtres du journal ne sont pas valides."]);
  });
});

