import path from "node:path";
import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { expectAccessible } from "./support/accessibility";
import { login } from "./support/accounts";
import { ARTIFACTS_DIR, browserErrors, setupBrowser } from "./support/browser";

const browser = setupBrowser();

const main = (page: Page) => page.locator("main");
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

/**
 * The national team opens its dashboard on the demo call (reviewed wave-1 dossiers with their
 * scores): gauges with their figures written, the régions, the scores, the map of France with
 * one focusable, named département per outline and its legend; the map's measure changes with
 * the form (a GET, as without JavaScript); the same figures open in a table. Checked with axe and
 * photographed at 1280 px and at 390 px wide.
 */
test("l'équipe programme lit son tableau de bord, change la mesure de la carte et ouvre les données", async () => {
  const page = await browser.newPage();
  await login(page, "program_manager");
  await page.goto("/programme");
  await main(page).locator("h1", { hasText: "Tableau de bord" }).waitFor();

  const text = plain(await main(page).innerText());
  expect(text).toContain("Enveloppe totale de l'appel");
  expect(text).toMatch(/engagés sur [\d ]+ € \([\d,]+ %\), dont [\d ]+ € versés\./);
  expect(text).toMatch(/Reste à engager : [\d ]+ € \([\d,]+ %\)/);
  expect(text).toMatch(/médicobus financés sur un objectif de 100/);
  expect(text).toContain("Dossiers par région : déposés, instruits, retenus");
  expect(text).toMatch(/Notes consolidées sur 100 des \d+ dossiers instruits toutes vagues confondues/);
  // The 96 metropolitan outlines, each a focusable image named with its figure.
  const departements = main(page).locator("svg path[role=img]");
  expect(await departements.count()).toBe(96);
  expect(await departements.first().getAttribute("aria-label")).toMatch(/^Ain \(01\) : \d+ dossiers? déposés?$/);
  expect(text).toContain("Dossiers déposés par département");
  expect(text).toMatch(/Aucun \(\d+ départements?\)/);
  expect(text).toContain("Guyane (973)");
  expect(text).toContain("CC-BY-4.0");
  await expectAccessible(page, "programme-tableau-de-bord-1280");

  // The keyboard: the skip link's neighbour is the first département; its outline shows the focus.
  await main(page).getByRole("link", { name: "Passer la carte et aller au tableau des départements" }).focus();
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toMatch(/^Ain \(01\)/);
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toMatch(/^Aisne \(02\)/);
  await main(page).locator("section", { hasText: "Carte par département" }).screenshot({ path: path.join(ARTIFACTS_DIR, "programme-carte-focus.png") });

  // Another measure, through the form: the URL says it, the legend follows, the wave choice is kept.
  await main(page).getByLabel("Mesure affichée sur la carte").selectOption("population");
  await main(page).getByRole("button", { name: "Afficher sur la carte" }).click();
  await page.waitForURL((url) => url.searchParams.get("carte") === "population");
  await main(page).getByText("Population couverte par les projets retenus (habitants)").waitFor();
  expect(await departements.first().getAttribute("aria-label")).toMatch(/^Ain \(01\) : [\d\s\u202f]+ habitants? couverts?$/);
  await main(page).getByLabel("Vague", { exact: true }).selectOption("1");
  await main(page).getByRole("button", { name: "Afficher cette vague" }).click();
  await page.waitForURL((url) => url.searchParams.get("vague") === "1" && url.searchParams.get("carte") === "population");
  await main(page).getByText(/dossiers? instruits? dans la vague 1/).first().waitFor();

  // The same figures as a table: every département, overseas included.
  await main(page).getByText(/Voir les données par département/).click();
  const rows = main(page).locator("table", { has: page.locator("caption", { hasText: "par département" }) }).locator("tbody tr");
  await rows.first().waitFor();
  expect(await rows.count()).toBe(101);
  expect(plain(await rows.last().innerText())).toMatch(/^976 — Mayotte/);
  await expectAccessible(page, "programme-tableau-de-bord-population-1280");

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/programme");
  await main(page).locator("h1", { hasText: "Tableau de bord" }).waitFor();
  // Nothing wider than the screen: the charts and the map fit a phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await expectAccessible(page, "programme-tableau-de-bord-390");

  expect(browserErrors(page)).toEqual([]);
});
