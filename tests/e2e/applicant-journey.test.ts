import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { expectAccessible } from "./support/accessibility";
import { announcedError, byLabel, chooseCommune, communeCombobox, registerApplicant, tabUntil, typeInto, type Applicant } from "./support/applicant-steps";
import { setupBrowser, uniqueEmail } from "./support/browser";
import { focusedElement } from "./support/focus";
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

test("au clavier seul : organisation créée (type, SIRET, commune), co-éditeur invité, invitation acceptée", async () => {
  const page = await browser.newPage();
  const owner: Applicant = { name: "Karim Clavier", email: uniqueEmail("clavier"), password: "Seulement-au-clavier-2026" };
  await registerApplicant(page, owner);

  await page.goto("/organisations/nouvelle");
  await communeReady(page);
  const main = page.locator("main");
  // The first radio of an unchecked group takes the focus; Space checks it.
  await tabUntil(page, main.getByRole("radio", { name: /^CPTS/ }));
  await page.keyboard.press("Space");
  expect(await main.getByRole("radio", { name: /^CPTS/ }).isChecked()).toBe(true);
  await typeInto(page, await byLabel(page, "Nom de la structure"), "CPTS du clavier");
  const siret = await byLabel(page, "SIRET");
  await typeInto(page, siret, "1234");
  // The commune: typed, the list announced, the arrow and Enter choose (Enter does not submit).
  const commune = communeCombobox(page, "Commune du siège");
  await typeInto(page, commune, "Mortagne-au");
  await page.getByRole("option", { name: /^Mortagne-au-Perche \(61\)/ }).waitFor();
  expect(await page.locator("main [role=status]").filter({ hasText: /trouvée/ }).count()).toBe(1);
  await page.keyboard.press("ArrowDown");
  expect(await commune.getAttribute("aria-activedescendant")).toBeTruthy();
  await page.keyboard.press("Enter");
  expect(await commune.inputValue()).toBe("Mortagne-au-Perche (61)");
  expect(new URL(page.url()).pathname).toBe("/organisations/nouvelle");

  // Refused: the summary takes the focus, its link leads to the SIRET field.
  await tabUntil(page, main.getByRole("button", { name: "Créer l'organisation" }));
  await page.keyboard.press("Enter");
  await errorSummary(page).waitFor();
  await expect.poll(async () => (await focusedElement(page))?.id).toBe(await errorSummary(page).getAttribute("id"));
  expect(await announcedError(siret)).toEqual({ message: expect.stringContaining("14 chiffres"), invalid: true });
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await expect.poll(async () => (await focusedElement(page))?.id).toBe(await siret.getAttribute("id"));
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("21610001600015");
  await tabUntil(page, main.getByRole("button", { name: "Créer l'organisation" }));
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/organisations\/[0-9a-f-]{36}$/);
  expect(await main.innerText()).toContain("Mortagne-au-Perche (61)");

  // The invitation, sent from the keyboard; the co-editor accepts it with the keyboard too.
  const coEditor = { name: "Inès Clavier", email: uniqueEmail("clavier-coeditrice"), password: "Coedition-au-clavier-2026" };
  await typeInto(page, await byLabel(page, "Adresse électronique"), coEditor.email);
  await page.keyboard.press("Enter");
  await main.getByText(`${coEditor.email} —`).waitFor();

  const guest = await browser.newPage();
  await guest.goto(await lastMailLink(guest, coEditor.email, "/organisations/invitation"));
  await typeInto(guest, await byLabel(guest, "Nom et prénom"), coEditor.name);
  await typeInto(guest, await byLabel(guest, "Mot de passe"), coEditor.password);
  await typeInto(guest, await byLabel(guest, "Confirmation du mot de passe"), coEditor.password);
  await guest.keyboard.press("Enter");
  await guest.waitForURL(/\/organisations\/[0-9a-f-]{36}$/);
  expect(await guest.locator("main").innerText()).toContain(`${coEditor.name} (vous)`);
});
