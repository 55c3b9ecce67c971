import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { samplePdf } from "../fixtures/files";
import { expectAccessible } from "./support/accessibility";
import { baseUrl, browserErrors, launchBrowser, screenshot, setupBrowser } from "./support/browser";
import { openDemoDraft } from "./support/dossier-form-draft";
import { keyboard } from "./support/dossier-form-keys";
import { focusedElement } from "./support/focus";

const browser = setupBrowser();

const main = (page: Page) => page.locator("main");
const byId = (page: Page, id: string) => page.locator(`[id="${id}"]`);
const status = (page: Page) => main(page).locator(".mb-autosave-status");

/** Autosave seen from the page: the status line says « Enregistré à HH:MM » after the last edit. */
async function expectSaved(page: Page) {
  await expect.poll(() => status(page).innerText(), { timeout: 15_000 }).toMatch(/^Enregistré à \d{2}:\d{2}$/);
}

async function nextStep(page: Page, pathEnd: string) {
  await main(page).getByRole("button", { name: "Étape suivante" }).or(main(page).getByRole("link", { name: "Étape suivante" })).first().click();
  await page.waitForURL((url) => url.pathname.endsWith(pathEnd));
}

/** The label a DSFR checkbox or radio is drawn on (the input itself is visually hidden). */
async function clickLabelOf(page: Page, id: string) {
  await page.locator(`label[for="${id}"]`).click();
}

/** A PDF of about `megabytes`, real enough for the portal's type check. */
function largePdf(megabytes: number) {
  const base = Buffer.from(samplePdf("Devis du véhicule"));
  const padding = Buffer.from(`%${"0".repeat(98)}\n`.repeat(Math.ceil((megabytes * 1024 * 1024) / 100)));
  // A comment block after the header: still a PDF from its first bytes to its %%EOF.
  return Buffer.concat([base.subarray(0, 9), padding, base.subarray(9)]);
}

test("un porteur remplit chaque étape, enregistrée automatiquement, cherche des communes, dépose une pièce et arrive au récapitulatif", { timeout: 300_000 }, async () => {
  const page = await browser.newPage();
  const { reference } = await openDemoDraft(page);

  // 1. Porteur et partenaires.
  await expectAccessible(page, "formulaire-etape-1-porteur-vide");
  await byId(page, "porteur-projectTitle").fill("Médicobus du Perche");
  await byId(page, "porteur-summary").fill("Un cabinet médical itinérant pour les communes du Perche ornais, cinq jours par semaine.");
  await main(page).getByRole("button", { name: "Ajouter un partenaire" }).click();
  expect((await focusedElement(page))?.id).toBe("porteur-partners-0-name");
  await byId(page, "porteur-partners-0-name").fill("Communauté de communes des Collines du Perche");
  await byId(page, "porteur-partners-0-kind").selectOption({ label: "Collectivité" });
  await byId(page, "porteur-partners-0-role").fill("Co-financeur");
  await byId(page, "porteur-partners-0-commitment").fill("Met à disposition une salle d'attente dans chaque commune.");
  await expectSaved(page);
  await expectAccessible(page, "formulaire-etape-1-porteur");
  await nextStep(page, "/territoire");

  // 2. Territoire: the search announces its results; each commune added shows its figures.
  const search = byId(page, "commune-recherche");
  await search.fill("alencon");
  await expect.poll(() => byId(page, "commune-recherche-resultats").innerText()).toMatch(/^\d+ communes? trouvées?/);
  expect(await byId(page, "commune-recherche-resultats").getAttribute("aria-live")).toBe("polite");
  await main(page).getByRole("button", { name: /^Ajouter Alençon \(61000\) — [\d  ]+ habitants$/ }).click();
  await expect.poll(() => byId(page, "commune-recherche-resultats").innerText()).toBe("Alençon (61000) ajoutée au territoire.");
  expect((await focusedElement(page))?.id).toBe("commune-recherche");
  await search.fill("61400");
  await main(page).getByRole("button", { name: /^Ajouter Mortagne-au-Perche \(61400\)/ }).click();
  await byId(page, "territoire-communes-0-zoning").selectOption("zip");
  await byId(page, "territoire-communes-1-zoning").selectOption("zac");
  await byId(page, "territoire-patientsWithoutDoctor").fill("1 200");
  await byId(page, "territoire-ofWhichAld").fill("300");
  await expectSaved(page);
  const figures = main(page).locator("section", { has: page.getByRole("heading", { name: "Calculé par le portail" }) });
  expect(await figures.innerText()).toMatch(/Population couverte\s+29[\s\u202f]388 habitants[\s\S]*Orne \(61\)[\s\S]*Normandie/);
  await expectAccessible(page, "formulaire-etape-2-territoire");
  await nextStep(page, "/projet");

  // 3. Projet médical: the tour plan picks communes of the territory.
  await clickLabelOf(page, "projet-specialties-0");
  await byId(page, "projet-doctors").fill("12");
  await byId(page, "projet-doctorsFte").fill("3,5");
  await byId(page, "projet-medicalAssistants").fill("3");
  await clickLabelOf(page, "projet-coordinator-0");
  await main(page).getByRole("button", { name: "Ajouter une demi-journée de tournée" }).click();
  const tourCommunes = await byId(page, "projet-tourPlan-0-communeCode").locator("option").allTextContents();
  expect(tourCommunes.slice(1)).toEqual(["Alençon (61000)", "Mortagne-au-Perche (61400)"]);
  await byId(page, "projet-tourPlan-0-day").selectOption("lundi");
  await byId(page, "projet-tourPlan-0-halfDay").selectOption("matin");
  await byId(page, "projet-tourPlan-0-communeCode").selectOption("61001");
  for (const [year, count] of ["5000", "9000", "9 000"].entries()) await byId(page, `projet-consultations-${year}`).fill(count);
  await byId(page, "projet-cptsCoordination").fill("Réunions mensuelles avec la CPTS du Perche.");
  await byId(page, "projet-emergencyReferral").fill("Orientation vers le SAMU 61.");
  await expectSaved(page);
  await expectAccessible(page, "formulaire-etape-3-projet");
  await nextStep(page, "/vehicule");

  // 4. Véhicule.
  await clickLabelOf(page, "vehicule-acquisition-0");
  await byId(page, "vehicule-vehicleType").fill("Camping-car aménagé en cabinet médical");
  await clickLabelOf(page, "vehicule-accessiblePmr-0");
  await byId(page, "vehicule-equipment").fill("Table d'examen, électrocardiographe.");
  await byId(page, "vehicule-deliveryDate").fill("2027-03-01");
  await expectSaved(page);
  await expectAccessible(page, "formulaire-etape-4-vehicule");
  // Leaving before the autosave's second: by the steps menu, the page saves first, then goes.
  await byId(page, "vehicule-equipment").fill("Table d'examen, électrocardiographe, télémédecine.");
  await page.locator("#dossier-menu").getByRole("link", { name: /^3\. Projet médical/ }).click();
  await page.waitForURL((url) => url.pathname.endsWith("/projet"));
  await page.goBack();
  await page.waitForURL((url) => url.pathname.endsWith("/vehicule"));
  await expect.poll(() => byId(page, "vehicule-equipment").inputValue()).toBe("Table d'examen, électrocardiographe, télémédecine.");
  // Leaving the page itself (a reload here): the edit goes in a keepalive request.
  await byId(page, "vehicule-vehicleType").fill("Camping-car aménagé");
  await page.reload();
  await expect
    .poll(async () => {
      await page.reload();
      return byId(page, "vehicule-vehicleType").inputValue();
    })
    .toBe("Camping-car aménagé");
  await nextStep(page, "/budget");

  // 5. Budget: the call's rules are checked as the amounts are typed, in words.
  await main(page).getByRole("button", { name: "Ajouter une ligne de dépense" }).click();
  await byId(page, "budget-costs-0-kind").selectOption("investissement");
  await byId(page, "budget-costs-0-label").fill("Véhicule aménagé");
  await byId(page, "budget-costs-0-amounts-0").fill("200 000");
  const checks = main(page).locator(".mb-section-checks");
  await expect.poll(() => checks.innerText()).toMatch(/✓\s*Respectée : Coût total/);
  expect(await checks.innerText()).toMatch(/✗\s*Non respectée : Part de l'État/);
  await main(page).getByRole("button", { name: "Ajouter un cofinancement" }).click();
  await byId(page, "budget-cofinancing-0-funder").fill("CPAM de l'Orne");
  await byId(page, "budget-cofinancing-0-kind").selectOption("assurance_maladie");
  await byId(page, "budget-cofinancing-0-amount").fill("120 000");
  await byId(page, "budget-requested").fill("80 000");
  await expect.poll(async () => (await checks.innerText()).match(/✓\s*Respectée/g)?.length).toBe(3);
  expect(await checks.innerText()).toContain("Part de l'État demandée : 40 %");
  await expectSaved(page);
  // A typing mistake: refused with its message next to the field, the step is not left.
  await byId(page, "budget-costs-0-amounts-1").fill("deux cents");
  await main(page).getByRole("button", { name: "Étape suivante" }).click();
  const summary = main(page).locator(".mb-error-summary");
  await summary.waitFor();
  await expect.poll(async () => (await focusedElement(page))?.id).toBe("budget-erreurs");
  expect(await summary.innerText()).toContain("Dépense 1 — Montant (année 2)");
  expect(await byId(page, "budget-costs-0-amounts-1").getAttribute("aria-invalid")).toBe("true");
  expect(new URL(page.url()).pathname).toMatch(/\/budget$/);
  await expectAccessible(page, "formulaire-etape-5-budget-erreur");
  await byId(page, "budget-costs-0-amounts-1").fill("0");
  await expectSaved(page);
  await expectAccessible(page, "formulaire-etape-5-budget");
  await nextStep(page, "/pieces");

  // 6. Pièces: a PDF sent on a slowed link, so that the progress bar is seen moving.
  await expectAccessible(page, "formulaire-etape-6-pieces-vide");
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 1024 * 1024 });
  const piece = byId(page, "pieces-devis_vehicule");
  await byId(page, "pieces-devis_vehicule-fichier").setInputFiles({ name: "devis-vehicule.pdf", mimeType: "application/pdf", buffer: largePdf(3) });
  await piece.getByRole("button", { name: "Déposer le fichier" }).click();
  const progress = piece.locator("progress");
  await progress.waitFor();
  await expect.poll(async () => Number(await progress.getAttribute("value")), { timeout: 20_000 }).toBeGreaterThan(0);
  expect(await byId(page, "pieces-devis_vehicule-fichier-etat").innerText()).toMatch(/^Envoi de « devis-vehicule\.pdf » : \d+ %$/);
  await screenshot(page, "formulaire-etape-6-pieces-envoi");
  await piece.getByRole("link", { name: /^devis-vehicule\.pdf/ }).waitFor({ timeout: 60_000 });
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  expect(await byId(page, "pieces-devis_vehicule-fichier-etat").innerText()).toBe("Fichier « devis-vehicule.pdf » déposé.");
  expect(await piece.getByRole("link", { name: /^devis-vehicule\.pdf/ }).innerText()).toMatch(/PDF – 3 Mo – déposé le/);
  const download = await page.request.get(`${baseUrl()}${await piece.getByRole("link", { name: /^devis-vehicule\.pdf/ }).getAttribute("href")}`);
  expect(download.status()).toBe(200);
  expect(download.headers()).toMatchObject({ "content-type": "application/pdf", "x-content-type-options": "nosniff" });
  expect(download.headers()["content-disposition"]).toMatch(/^attachment; filename="devis-vehicule\.pdf"; filename\*=UTF-8''devis-vehicule\.pdf$/);
  // A file of another type is refused next to its input.
  await byId(page, "pieces-rib-fichier").setInputFiles({ name: "rib.html", mimeType: "text/html", buffer: Buffer.from("<html><body>RIB</body></html>") });
  await byId(page, "pieces-rib").getByRole("button", { name: "Déposer le fichier" }).click();
  await byId(page, "pieces-rib").locator(".fr-error-text").waitFor();
  expect(await byId(page, "pieces-rib").locator(".fr-error-text").innerText()).toMatch(/type de fichier n'est pas accepté/);
  await expectAccessible(page, "formulaire-etape-6-pieces");
  await nextStep(page, "/recapitulatif");

  // The recap: what the steps saved is there.
  expect(await main(page).innerText()).toContain("Médicobus du Perche");
  await screenshot(page, "formulaire-etape-7-recapitulatif");
  expect(new URL(page.url()).pathname).toBe(`/dossiers/${reference}/recapitulatif`);
  expect(browserErrors(page).filter((error) => !/Failed to load resource/.test(error))).toEqual([]);
});

test("deux onglets : le second qui enregistre la même étape reçoit « modifié ailleurs » et s'arrête", async () => {
  const first = await browser.newPage();
  const { reference } = await openDemoDraft(first);
  await first.goto(`/dossiers/${reference}/vehicule`);
  const second = await first.context().newPage();
  await second.goto(`/dossiers/${reference}/vehicule`);

  await byId(first, "vehicule-vehicleType").fill("Camping-car aménagé");
  await expectSaved(first);
  await byId(second, "vehicule-vehicleType").fill("Fourgon");
  const alert = main(second).getByRole("alert").filter({ hasText: "Ce dossier a été modifié ailleurs" });
  await alert.waitFor();
  expect(await alert.innerText()).toMatch(/Rechargez la page pour voir la dernière version/);
  expect(await status(second).innerText()).toBe("Enregistrement automatique arrêté.");
  await expectAccessible(second, "formulaire-deux-onglets-modifie-ailleurs");

  // Nothing more is sent from the stale tab; « Recharger » shows the other tab's save.
  await byId(second, "vehicule-equipment").fill("Rien de tout cela");
  await second.waitForTimeout(1_500);
  await alert.getByRole("button", { name: "Recharger" }).click();
  await second.waitForLoadState("load");
  await expect.poll(() => byId(second, "vehicule-vehicleType").inputValue()).toBe("Camping-car aménagé");
  expect(await byId(second, "vehicule-equipment").inputValue()).toBe("");
});

test("les étapes se remplissent au clavier seul : lignes ajoutées et supprimées, communes, étape suivante", { timeout: 240_000 }, async () => {
  const page = await browser.newPage();
  await openDemoDraft(page);
  const keys = keyboard(page);

  await keys.fill(byId(page, "porteur-projectTitle"), "Médicobus au clavier");
  await keys.press(main(page).getByRole("button", { name: "Ajouter un partenaire" }));
  expect((await focusedElement(page))?.id).toBe("porteur-partners-0-name");
  await page.keyboard.type("Mairie de Bellême");
  await keys.press(main(page).getByRole("button", { name: "Ajouter un partenaire" }));
  expect((await focusedElement(page))?.id).toBe("porteur-partners-1-name");
  await page.keyboard.type("Partenaire en trop");
  // Removing the second row: the focus goes to the row that remains.
  await keys.press(main(page).getByRole("button", { name: "Supprimer le partenaire 2" }));
  expect((await focusedElement(page))?.id).toBe("porteur-partners-0-name");
  expect(await main(page).locator("[data-row-key]").count()).toBe(1);
  // Enter in a field saves (the form's first button), it does not press « Supprimer ».
  await keys.fill(byId(page, "porteur-partners-0-role"), "Salle d'attente");
  await page.keyboard.press("Enter");
  await expectSaved(page);
  expect(await main(page).locator("[data-row-key]").count()).toBe(1);
  await keys.press(main(page).getByRole("button", { name: "Étape suivante" }));
  await page.waitForURL((url) => url.pathname.endsWith("/territoire"));

  await keys.fill(byId(page, "commune-recherche"), "Belleme");
  const add = main(page).getByRole("button", { name: /^Ajouter Bellême \(61130\)/ });
  await add.waitFor();
  await keys.press(add);
  await expect.poll(() => byId(page, "commune-recherche-resultats").innerText()).toBe("Bellême (61130) ajoutée au territoire.");
  expect((await focusedElement(page))?.id).toBe("commune-recherche");
  await keys.select(byId(page, "territoire-communes-0-zoning"), "Zone d'intervention prioritaire (ZIP)");
  await keys.fill(byId(page, "territoire-patientsWithoutDoctor"), "800");
  await expectSaved(page);
  await screenshot(page, "formulaire-clavier-territoire");
  await keys.press(main(page).getByRole("button", { name: "Étape suivante" }));
  await page.waitForURL((url) => url.pathname.endsWith("/projet"));
  await keys.press(main(page).getByRole("button", { name: "Étape suivante" }));
  await page.waitForURL((url) => url.pathname.endsWith("/vehicule"));
  await keys.press(main(page).getByRole("button", { name: "Étape suivante" }));
  await page.waitForURL((url) => url.pathname.endsWith("/budget"));

  await keys.press(main(page).getByRole("button", { name: "Ajouter une ligne de dépense" }));
  expect((await focusedElement(page))?.id).toBe("budget-costs-0-kind");
  await keys.select(byId(page, "budget-costs-0-kind"), "Investissement");
  await keys.fill(byId(page, "budget-costs-0-amounts-0"), "150 000,50");
  await expect.poll(() => main(page).locator(".mb-section-figures").innerText()).toMatch(/Coût total du projet\s+150[\s\u202f]000,50/);
  await expectSaved(page);
  // From the status line, Tab reaches the step buttons.
  await keys.tabTo(main(page).getByRole("button", { name: "Étape précédente" }));
  await page.keyboard.press("Enter");
  await page.waitForURL((url) => url.pathname.endsWith("/vehicule"));
});

test("sans JavaScript, l'étape s'enregistre par le bouton « Enregistrer » et la recherche de communes recharge la page", async () => {
  const setupPage = await browser.newPage();
  const { reference } = await openDemoDraft(setupPage);
  const cookies = await setupPage.context().cookies();

  const chromium = await launchBrowser();
  try {
    const context = await chromium.newContext({ baseURL: baseUrl(), locale: "fr-FR", javaScriptEnabled: false });
    await context.addCookies(cookies);
    const page = await context.newPage();
    await page.goto(`/dossiers/${reference}/porteur`);
    await main(page).getByRole("button", { name: "Ajouter un partenaire" }).click();
    await byId(page, "porteur-partners-0-name").waitFor();
    await byId(page, "porteur-projectTitle").fill("Sans JavaScript");
    await byId(page, "porteur-partners-0-name").fill("Mairie");
    await main(page).getByRole("button", { name: "Enregistrer", exact: true }).last().click();
    await page.getByText("Étape enregistrée.").waitFor();
    expect(await byId(page, "porteur-projectTitle").inputValue()).toBe("Sans JavaScript");

    await page.goto(`/dossiers/${reference}/territoire`);
    await byId(page, "commune-recherche").fill("Mortagne");
    await main(page).getByRole("button", { name: "Rechercher" }).click();
    await page.waitForURL(/\?q=Mortagne/);
    await main(page).getByRole("button", { name: /^Ajouter Mortagne-au-Perche/ }).click();
    await main(page).getByRole("group", { name: "Mortagne-au-Perche (61400)" }).waitFor();
    await byId(page, "territoire-patientsWithoutDoctor").fill("10");
    await byId(page, "territoire-ofWhichAld").fill("20");
    await main(page).getByRole("button", { name: "Enregistrer", exact: true }).last().click();
    await main(page).locator(".mb-error-summary").waitFor();
    expect(await main(page).locator(".mb-error-summary").innerText()).toContain("Dont patients en affection de longue durée (ALD)");
    expect(await byId(page, "territoire-ofWhichAld").inputValue()).toBe("20");
    await screenshot(page, "formulaire-sans-javascript-erreur");
    await context.close();
  } finally {
    await chromium.close();
  }
});
