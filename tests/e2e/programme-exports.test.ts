import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { parseCsv } from "../fixtures/csv";
import { expectAccessible } from "./support/accessibility";
import { login } from "./support/accounts";
import { browserErrors, screenshot, setupBrowser } from "./support/browser";

const browser = setupBrowser();

const main = (page: Page) => page.locator("main");
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

/** The file a click downloads, as the browser saves it. */
async function downloadBy(page: Page, click: () => Promise<void>) {
  const [download] = await Promise.all([page.waitForEvent("download"), click()]);
  return { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!) };
}

function csvRecords(bytes: Buffer) {
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return parseCsv(bytes.subarray(3).toString("utf8"));
}

/**
 * The national team exports its lists on the demo call: the exports page with the row counts,
 * a CSV fetched by the page's script (progress, then the file saved under its French name) and
 * the XLSX; the audit journal with its filters and the chain verified on demand. An ARS agent
 * exports its list from /instruction and gets its région only. Checked with axe, photographed.
 */
test("l'équipe programme exporte ses listes, lit le journal d'audit et vérifie la chaîne", async () => {
  const page = await browser.newPage();
  await login(page, "program_manager");
  await page.goto("/programme/exports");
  await main(page).locator("h1", { hasText: "Exports et données ouvertes" }).waitFor();
  const table = main(page).locator("table", { has: page.locator("caption", { hasText: "Listes exportables" }) });
  const dossierRow = table.locator("tbody tr", { hasText: "Tous les dossiers déposés" });
  const dossierCount = Number(plain(await dossierRow.locator("td").first().innerText()).replace(/\s/g, ""));
  expect(dossierCount).toBeGreaterThan(0);
  await expectAccessible(page, "programme-exports-1280");

  // With JavaScript: the page fetches the file, counts its rows against X-Total-Rows, then saves it.
  const csv = await downloadBy(page, () => main(page).getByRole("link", { name: "Dossiers (CSV)" }).click());
  expect(csv.name).toMatch(/^dossiers-medicobus-\d{4}-\d{2}-\d{2}\.csv$/);
  const records = csvRecords(csv.bytes);
  expect(records[0].slice(0, 3)).toEqual(["Référence", "Intitulé du projet", "Statut"]);
  expect(records.length - 1).toBe(dossierCount);
  await main(page).getByText(`Export « Dossiers » terminé : ${dossierCount} lignes`, { exact: false }).waitFor();

  const xlsx = await downloadBy(page, () => main(page).getByRole("link", { name: "Décisions (XLSX)" }).click());
  expect(xlsx.name).toMatch(/^decisions-\d{4}-\d{2}-\d{2}\.xlsx$/);
  expect(xlsx.bytes.subarray(0, 2).toString("latin1")).toBe("PK");
  await screenshot(page, "programme-exports-apres-telechargements");

  await page.goto("/programme/journal");
  await main(page).locator("h1", { hasText: "Journal d'audit" }).waitFor();
  await main(page).getByRole("button", { name: "Vérifier la chaîne" }).click();
  const verified = main(page).getByText(/Chaîne vérifiée : [\d\s\u202f]+ lignes intègres\./);
  await verified.waitFor();
  const journalTable = main(page).locator("table", { has: page.locator("caption", { hasText: "Journal d'audit" }) });
  expect(await journalTable.locator("tbody tr").count()).toBeGreaterThan(0);
  await expectAccessible(page, "programme-journal-1280");
  await screenshot(page, "programme-journal");

  // A filter through the GET form: only that action is listed.
  const actions = await main(page).getByLabel("Action").locator("option").evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value).filter(Boolean));
  expect(actions.length).toBeGreaterThan(0);
  await main(page).getByLabel("Action").selectOption(actions[0]);
  await main(page).getByRole("button", { name: "Appliquer les filtres" }).click();
  await page.waitForURL((url) => url.searchParams.get("action") === actions[0]);
  // The URL changes before React renders the new rows: wait for the rows, not the URL.
  await page.waitForFunction((action) => {
    const codes = [...document.querySelectorAll("main table tbody tr td:nth-child(4) code")].map((code) => code.textContent);
    return codes.length > 0 && codes.every((code) => code === action);
  }, actions[0]);
  const codes = await journalTable.locator("tbody tr td:nth-child(4) code").allInnerTexts();
  expect(new Set(codes)).toEqual(new Set([actions[0]]));

  expect(browserErrors(page)).toEqual([]);
});

test("un agent ARS exporte la liste d'instruction de sa région", async () => {
  const page = await browser.newPage();
  await login(page, "ars_agent");
  await page.goto("/instruction");
  await main(page).locator("h1", { hasText: "Dossiers à instruire" }).waitFor();
  const csv = await downloadBy(page, () => main(page).getByRole("link", { name: "Exporter (CSV)" }).click());
  const [header, ...rows] = csvRecords(csv.bytes);
  const region = header.indexOf("Région");
  expect(rows.length).toBeGreaterThan(0);
  expect(new Set(rows.map((row) => row[region]))).toEqual(new Set(["Normandie"]));
  expect(browserErrors(page)).toEqual([]);
});
