import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { expectAccessible } from "./support/accessibility";
import { announcedError, byLabel, chooseCommune, registerApplicant, type Applicant } from "./support/applicant-steps";
import { setupBrowser, uniqueEmail } from "./support/browser";
import { errorSummary } from "./support/forms";
import { lastMailLink } from "./support/mailbox";

const browser = setupBrowser();

test("un porteur crée son organisation et invite un co-éditeur", async () => {
  const page = await browser.newPage();
  const owner: Applicant = { name: "Claire Porteuse", email: uniqueEmail("porteuse"), password: "Perche-ornais-2026-dossier" };
  const step = (label: string) => expectAccessible(page, `parcours-depot-${label}`);

  await registerApplicant(page, owner);
  await step("01-mon-espace");

  await page.goto("/organisations/nouvelle");
  await communeReady(page);
  await step("02-organisation-vide");
  await page.locator("main label", { hasText: /^CPTS/ }).click();
  expect(await page.locator("main").getByRole("radio", { name: /^CPTS/ }).isChecked()).toBe(true);
  await (await byLabel(page, "Nom de la structure")).fill("CPTS du Perche ornais");
  const siret = await byLabel(page, "SIRET");
  await siret.fill("732 829 320 00075");
  await chooseCommune(page, "Commune du siège", "Alenç", /^Alençon \(61\)/);
  await page.locator("main").getByRole("button", { name: "Créer l'organisation" }).click();
  await errorSummary(page).waitFor();
  expect(await announcedError(siret)).toEqual({ message: expect.stringContaining("clé de contrôle"), invalid: true });
  await step("03-organisation-siret-refuse");
  await siret.fill("732 829 320 00074");
  await page.locator("main").getByRole("button", { name: "Créer l'organisation" }).click();
  await page.waitForURL(/\/organisations\/[0-9a-f-]{36}$/);
  await page.getByRole("heading", { level: 1, name: "CPTS du Perche ornais" }).waitFor();
  expect(await page.locator("main").innerText()).toContain("732 829 320 00074");
  await step("04-organisation-creee");

  const coEditor = { name: "Léa Coéditrice", email: uniqueEmail("coeditrice"), password: "Coedition-Perche-2026" };
  await (await byLabel(page, "Adresse électronique")).fill(coEditor.email);
  await page.locator("main").getByRole("button", { name: "Envoyer l'invitation" }).click();
  await page.getByText(coEditor.email).first().waitFor();
  await step("05-invitation-envoyee");

  const guest = await browser.newPage();
  const link = await lastMailLink(guest, coEditor.email, "/organisations/invitation");
  await guest.goto(link);
  await expectAccessible(guest, "parcours-depot-06-invitation");
  await (await byLabel(guest, "Nom et prénom")).fill(coEditor.name);
  await (await byLabel(guest, "Mot de passe")).fill(coEditor.password);
  await (await byLabel(guest, "Confirmation du mot de passe")).fill(coEditor.password);
  await guest.locator("main").getByRole("button", { name: "Créer mon compte et rejoindre" }).click();
  await guest.waitForURL(/\/organisations\/[0-9a-f-]{36}$/);
  await expectAccessible(guest, "parcours-depot-07-coeditrice-membre");
});

/** The commune picker replaces the plain INSEE field once the page has hydrated. */
async function communeReady(page: Page) {
  await page.locator("main").getByRole("combobox").waitFor();
}
