import { execFileSync } from "node:child_process";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { expectAccessible } from "./support/accessibility";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, signIn } from "./support/accounts";
import { ARTIFACTS_DIR, setupBrowser } from "./support/browser";
import { startDossierPortal, type DossierPortal } from "./support/dossier-portal";
import { focusedElement } from "./support/focus";
import { errorSummary, field, fieldError } from "./support/forms";

/**
 * The applicant follows dossiers prepared through the services (see support/dossier-portal-server):
 * a complete draft is read on the recap and submitted with the keyboard alone, its receipt is
 * downloaded and read, the overview tells the story, the messages work; a dossier in correction
 * shows the ARS's request and goes back; a draft closing in two days in La Réunion counts down in
 * both clocks, points to what is missing, and is withdrawn. Every page is checked with axe.
 */

let portal: DossierPortal;
const browser = setupBrowser({ baseUrl: () => portal.baseUrl });

beforeAll(async () => {
  portal = await startDossierPortal();
});

afterAll(async () => {
  await portal?.stop();
});

const newPage = (timezoneId = "Europe/Paris") => browser.newPage({ timezoneId });

async function signInApplicant(page: Page) {
  await signIn(page, DEMO_ACCOUNTS.applicant, DEMO_PASSWORD);
  await page.waitForURL("**/mon-espace");
}

/** Presses Tab from where the focus is until the element with this id has it. */
async function tabTo(page: Page, id: string, limit = 400) {
  for (let presses = 0; presses < limit; presses++) {
    if ((await focusedElement(page))?.id === id) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`#${id} n'a pas reçu le focus après ${limit} tabulations.`);
}

const main = (page: Page) => page.locator("main");
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

test("le porteur relit le dossier complet, le dépose au clavier, télécharge le récépissé et suit son dossier", async () => {
  const page = await newPage();
  await signInApplicant(page);

  // « Mon espace »: what is expected first, then the dossiers.
  const expected = main(page).locator("section", { has: page.getByRole("heading", { name: "Actions attendues" }) });
  expect(plain(await expected.innerText())).toMatch(/Des corrections sont demandées sur le dossier Médicobus des Collines/);
  expect(plain(await expected.innerText())).toMatch(/Le dépôt ferme le .* pour le brouillon Médicobus des Hauts/);
  expect(plain(await expected.innerText())).toMatch(/Un message non lu sur le dossier Médicobus des Collines/);
  expect(await main(page).getByRole("table").getByRole("link", { name: portal.complete }).count()).toBe(1);
  await expectAccessible(page, "suivi-01-mon-espace");

  await main(page).getByRole("link", { name: portal.complete }).click();
  await page.waitForURL(`**/dossiers/${portal.complete}`);
  await expectAccessible(page, "suivi-02-vue-ensemble-brouillon");
  await main(page).getByRole("link", { name: "Relire et déposer le dossier" }).click();
  await page.waitForURL(`**/dossiers/${portal.complete}/recapitulatif`);
  await main(page).getByRole("heading", { name: "Le dossier est complet" }).waitFor();
  expect(await main(page).getByText(/points? restent? à compléter/).count()).toBe(0);
  expect(await main(page).locator("nav#dossier-menu [aria-current]").innerText()).toMatch(/Récapitulatif et engagement/);
  await expectAccessible(page, "suivi-03-recapitulatif-complet");

  // The submission, with the keyboard alone: Tab from the top of the page to the button, Enter.
  await page.locator("body").focus();
  await tabTo(page, "deposer-dossier");
  await page.keyboard.press("Enter");
  await page.waitForURL((url) => url.pathname === `/dossiers/${portal.complete}`);
  await page.getByRole("status").filter({ hasText: "Dossier déposé" }).first().waitFor();
  await expect.poll(() => main(page).locator("h1 + div .fr-badge").innerText()).toMatch(/Déposé/i);
  const history = main(page).locator("section", { has: page.getByRole("heading", { name: "Historique du dossier" }) });
  expect(plain(await history.innerText())).toMatch(/Déposé le \d{1,2} \S+ \d{4} à \d\d:\d\d par Camille Porteur/);
  expect(plain(await history.innerText())).toMatch(/Dossier créé le .* par Camille Porteur/);
  await expectAccessible(page, "suivi-04-vue-ensemble-depose");

  // The receipt, downloaded and read as the applicant's PDF reader would.
  const [download] = await Promise.all([page.waitForEvent("download"), main(page).getByRole("link", { name: /Télécharger le récépissé/ }).click()]);
  expect(download.suggestedFilename()).toBe(`recepisse-${portal.complete}.pdf`);
  const file = path.join(ARTIFACTS_DIR, `suivi-recepisse-${portal.complete}.pdf`);
  await download.saveAs(file);
  const receipt = plain(execFileSync("/usr/bin/pdftotext", [file, "-"], { encoding: "utf8" }));
  expect(receipt).toContain("Récépissé de dépôt de dossier");
  expect(receipt).toContain(portal.complete);
  expect(receipt).toContain(portal.organisation);
  expect(receipt).toContain("Médicobus du Perche");
  expect(receipt).toContain("200 000 €");
  expect(receipt).toContain("80 000 € (40 % du coût total)");
  expect(receipt).toMatch(/par Camille Porteur\./);
  expect(receipt).toMatch(/Empreinte du dossier déposé \(SHA-256\)\s+[0-9a-f]{64}/);

  // After the submission the recap is read-only.
  await main(page).getByRole("link", { name: "Récapitulatif", exact: true }).click();
  await page.waitForURL(`**/dossiers/${portal.complete}/recapitulatif`);
  await main(page).getByText(/Il n'est plus modifiable\./).waitFor();
  expect(await page.locator("#deposer-dossier").count()).toBe(0);

  // Messages: an empty message is refused next to the field; a real one is sent and listed.
  await page.locator("nav#dossier-menu").getByRole("link", { name: "Messagerie" }).click();
  await page.waitForURL(`**/dossiers/${portal.complete}/messages`);
  await main(page).getByText("Aucun message pour le moment.").waitFor();
  await main(page).getByRole("button", { name: "Envoyer le message" }).click();
  await errorSummary(page).waitFor();
  await expect.poll(async () => (await focusedElement(page))?.id).toBe("message-summary");
  expect(await fieldError(page, "Votre message")).toEqual({ message: "Écrivez votre message.", announced: true, invalid: true });
  await expectAccessible(page, "suivi-05-messagerie-erreur");
  await field(page, "Votre message").fill("Bonjour, le plan de tournée définitif sera prêt la semaine prochaine.");
  await main(page).getByRole("button", { name: "Envoyer le message" }).click();
  await page.getByRole("status").filter({ hasText: "Message envoyé" }).first().waitFor();
  expect(plain(await main(page).getByRole("list", { name: "Messages du dossier" }).innerText())).toMatch(/Camille Porteur — porteur de projet · le .*\n*Bonjour, le plan de tournée définitif/);
  await expectAccessible(page, "suivi-06-messagerie");
  expect(browser.pageErrors()).toEqual([]);
});

test("un dossier en correction montre la demande de l'ARS, les parties rouvertes, et repart après un nouveau dépôt", async () => {
  const page = await newPage();
  await signInApplicant(page);
  await page.goto(`/dossiers/${portal.corrected}`);
  const banner = main(page).locator(".fr-alert", { has: page.getByRole("heading", { name: "Des corrections sont demandées" }) });
  expect(plain(await banner.innerText())).toContain("Le devis du véhicule ne correspond pas au montant du budget");
  expect(await banner.getByRole("link").allInnerTexts()).toEqual(["Budget", "Pièces justificatives", "récapitulatif"]);
  const menu = page.locator("nav#dossier-menu");
  expect(plain(await menu.getByRole("link", { name: /5\. Budget/ }).innerText())).toMatch(/À corriger/i);
  expect(plain(await menu.getByRole("link", { name: /Messagerie/ }).innerText())).toMatch(/1 non lu/i);
  const history = main(page).locator("section", { has: page.getByRole("heading", { name: "Historique du dossier" }) });
  expect(plain(await history.innerText())).toMatch(/Corrections demandées le .* par l'agence régionale de santé\s+Parties rouvertes : Budget, Pièces justificatives\s+Motif : Le devis du véhicule/);
  await expectAccessible(page, "suivi-07-correction");

  // Reading the thread marks it read: the count goes, on the dossier and in « Mon espace ».
  await menu.getByRole("link", { name: /Messagerie/ }).click();
  await page.waitForURL(`**/dossiers/${portal.corrected}/messages`);
  expect(plain(await main(page).getByRole("list", { name: "Messages du dossier" }).innerText())).toMatch(/Agent instructeur \(ARS\)/);
  await menu.getByRole("link", { name: "Vue d'ensemble" }).click();
  await page.waitForURL((url) => url.pathname === `/dossiers/${portal.corrected}`);
  expect(plain(await menu.getByRole("link", { name: /Messagerie/ }).innerText())).not.toMatch(/non lu/i);

  await main(page).getByRole("link", { name: "Récapitulatif", exact: true }).click();
  await page.waitForURL(`**/recapitulatif`);
  await main(page).getByRole("button", { name: "Déposer à nouveau le dossier" }).click();
  await page.waitForURL((url) => url.pathname === `/dossiers/${portal.corrected}`);
  expect(plain(await history.innerText())).toMatch(/Déposé à nouveau après corrections le .* par Camille Porteur/);
  expect(await main(page).locator(".fr-alert", { has: page.getByRole("heading", { name: "Des corrections sont demandées" }) }).count()).toBe(0);
  expect(browser.pageErrors()).toEqual([]);
});

test("un brouillon qui ferme dans deux jours à La Réunion : compte à rebours, heures locales, ce qui manque, retrait", async () => {
  const page = await newPage();
  await signInApplicant(page);
  await page.goto(`/dossiers/${portal.closing}`);
  const deadline = main(page).locator("p", { hasText: "Date limite :" });
  expect(plain(await deadline.innerText())).toMatch(/Date limite : \d{1,2} \S+ \d{4} à 12:00 \(heure de Paris\), soit 1[45]:00 à La Réunion/);
  const countdown = main(page).getByText(/^Il reste \d jours?/);
  expect(await countdown.getAttribute("aria-live")).toBe("off");
  await expectAccessible(page, "suivi-08-brouillon-outre-mer");

  // A browser in Montréal also gets its own clock.
  const elsewhere = await newPage("America/Montreal");
  await signInApplicant(elsewhere);
  await elsewhere.goto(`/dossiers/${portal.closing}`);
  await elsewhere.getByText(/soit 0[56]:00 à votre heure locale/).waitFor();

  // The recap lists what is missing, each item a link to its field; the button waits.
  await page.goto(`/dossiers/${portal.closing}/recapitulatif`);
  const missing = main(page).locator(".fr-alert--warning");
  expect(await missing.getByRole("heading").innerText()).toMatch(/\d+ points restent à compléter/);
  expect(await missing.getByRole("link", { name: "Pièce manquante : Statuts ou délibération." }).getAttribute("href")).toBe(`/dossiers/${portal.closing}/pieces#pieces-statuts`);
  expect(await missing.getByRole("link", { name: "Cochez l'attestation sur l'honneur pour déposer le dossier." }).getAttribute("href")).toBe(`/dossiers/${portal.closing}/recapitulatif#engagement-attests`);
  expect(await missing.getByRole("link", { name: "Résumez le projet en quelques lignes." }).getAttribute("href")).toBe(`/dossiers/${portal.closing}/porteur#porteur-summary`);
  expect(await page.locator("#deposer-dossier").isDisabled()).toBe(true);
  expect(await main(page).getByText(/Le bouton de dépôt s'active quand plus rien ne manque/).count()).toBe(1);
  await expectAccessible(page, "suivi-09-recapitulatif-incomplet");

  // The engagement form: refused empty, next to each field.
  await main(page).getByRole("button", { name: "Enregistrer l'engagement" }).click();
  await page.locator("#engagement-summary").waitFor();
  expect((await fieldError(page, "Nom et prénom du signataire")).message).toBe("Indiquez le nom du signataire.");
  await field(page, "Nom et prénom du signataire").fill("Jean Payet");
  await field(page, "Qualité du signataire").fill("Président de la CPTS");
  // The DSFR draws the box on the label, which takes the click.
  await main(page).locator("label", { hasText: "J'atteste sur l'honneur" }).click();
  await main(page).getByRole("button", { name: "Enregistrer l'engagement" }).click();
  await page.getByRole("status").filter({ hasText: "Engagement enregistré" }).first().waitFor();
  expect(await missing.getByRole("link", { name: "Cochez l'attestation sur l'honneur pour déposer le dossier." }).count()).toBe(0);

  // Withdrawal: a motivation and a confirmation are required.
  await page.goto(`/dossiers/${portal.closing}/retrait`);
  await main(page).getByRole("button", { name: "Retirer le dossier" }).click();
  await errorSummary(page).waitFor();
  expect((await fieldError(page, "Motif du retrait")).message).toBe("Indiquez le motif du retrait.");
  await expectAccessible(page, "suivi-10-retrait-erreurs");
  await field(page, "Motif du retrait").fill("Le projet rejoindra le dossier régional de l'an prochain.");
  await main(page).locator("label", { hasText: "Je confirme le retrait" }).click();
  await main(page).getByRole("button", { name: "Retirer le dossier" }).click();
  await page.waitForURL((url) => url.pathname === `/dossiers/${portal.closing}`);
  await expect.poll(() => main(page).locator("h1 + div .fr-badge").innerText()).toMatch(/Retiré/i);
  expect(plain(await main(page).innerText())).toMatch(/Retiré le .* par Camille Porteur\s+Motif : Le projet rejoindra/);
  await expectAccessible(page, "suivi-11-retire");
  expect(browser.pageErrors()).toEqual([]);
});

test("un nouveau dossier se crée pour l'organisation choisie et s'ouvre sur le porteur", async () => {
  const page = await newPage();
  await signInApplicant(page);
  await main(page).getByRole("link", { name: "Nouveau dossier" }).click();
  await page.waitForURL("**/dossiers/nouveau");
  expect(await main(page).getByLabel(portal.organisation).isChecked()).toBe(true);
  await expectAccessible(page, "suivi-12-nouveau-dossier");
  await main(page).getByRole("button", { name: "Créer le dossier" }).click();
  await page.waitForURL(/\/dossiers\/MB-\d{4}-[0-9A-Z]{6}\/porteur$/);
});
