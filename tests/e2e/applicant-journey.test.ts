import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { expectAccessible } from "./support/accessibility";
import { attachRequiredPieces, createDossier, downloadReceipt, fillBudget, fillPorteur, fillProjet, fillTerritoire, fillVehicule, signAndSubmit } from "./support/applicant-dossier";
import { keyboardHands, pointerHands, type Hands } from "./support/applicant-hands";
import { announcedError, byLabel, communeCombobox, registerApplicant, signInWith, type Applicant } from "./support/applicant-steps";
import { browserErrors, setupBrowser, uniqueEmail } from "./support/browser";
import { focusedElement } from "./support/focus";
import { errorSummary } from "./support/forms";
import { lastMailLink } from "./support/mailbox";

const browser = setupBrowser();

/** A whole journey: registration, organisation, co-editor, six steps, pieces, submission, receipt. */
const JOURNEY_TIMEOUT = 600_000;

/**
 * Issue 3, end to end in Chromium: a porteur registers, creates the organisation (a wrong SIRET
 * first), invites a co-editor who creates her account from the mail, fills every step of the
 * dossier with the pieces, submits it and downloads the receipt; the co-editor then signs in and
 * finds the dossier. Every page is checked with axe and photographed (tests/.artifacts). The same
 * journey runs with the pointer and with the keyboard alone.
 */
async function applicantJourney(page: Page, hands: Hands) {
  const prefix = hands.name === "pointer" ? "parcours-depot" : "parcours-depot-clavier";
  let count = 0;
  const step = (label: string) => expectAccessible(page, `${prefix}-${String(++count).padStart(2, "0")}-${label}`);
  const main = page.locator("main");
  const owner: Applicant = { name: "Claire Porteuse", email: uniqueEmail(`porteuse-${hands.name}`), password: "Perche-ornais-2026-dossier" };

  await registerApplicant(page, owner, hands);
  await step("mon-espace");

  // The organisation, from « Mon espace »: a wrong SIRET key first.
  await hands.press(main.getByRole("link", { name: "Créer une organisation" }).first());
  await page.waitForURL("**/organisations/nouvelle**");
  await main.getByRole("combobox").waitFor();
  await step("organisation-vide");
  await hands.check(main.getByRole("radio", { name: /^CPTS/ }));
  await hands.fill(await byLabel(page, "Nom de la structure"), "CPTS du Perche ornais");
  const siret = await byLabel(page, "SIRET");
  await hands.fill(siret, "732 829 320 00075");
  const commune = communeCombobox(page, "Commune du siège");
  await hands.fill(commune, "Alenç");
  const alencon = page.getByRole("option", { name: /^Alençon \(61\)/ });
  await alencon.waitFor();
  expect(await main.getByRole("status").filter({ hasText: /trouvée/ }).count()).toBe(1);
  await step("organisation-recherche-commune");
  if (hands.name === "keyboard") {
    // The arrows move in the list, Enter chooses (and does not submit the form).
    await page.keyboard.press("ArrowDown");
    expect(await commune.getAttribute("aria-activedescendant")).toBeTruthy();
    await page.keyboard.press("Enter");
  } else {
    await alencon.click();
  }
  await expect.poll(() => commune.inputValue()).toBe("Alençon (61)");
  await hands.fill(await byLabel(page, "Téléphone du contact (facultatif)"), "02 33 00 00 00");
  await hands.press(main.getByRole("button", { name: "Créer l'organisation" }));
  await errorSummary(page).waitFor();
  await expect.poll(async () => (await focusedElement(page))?.id).toBe(await errorSummary(page).getAttribute("id"));
  expect(await announcedError(siret)).toEqual({ message: "Ce SIRET n'est pas valide : vérifiez les 14 chiffres (clé de contrôle incorrecte).", invalid: true });
  await step("organisation-siret-refuse");
  if (hands.name === "keyboard") {
    // From the summary, its link leads to the field.
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await expect.poll(async () => (await focusedElement(page))?.id).toBe(await siret.getAttribute("id"));
  }
  await hands.fill(siret, "732 829 320 00074");
  await hands.press(main.getByRole("button", { name: "Créer l'organisation" }));
  await page.waitForURL("**/mon-espace");
  await hands.press(main.getByRole("link", { name: "CPTS du Perche ornais" }).first());
  await page.waitForURL(/\/organisations\/[0-9a-f-]{36}$/);
  // The URL changes with the data; the page renders an instant later.
  await main.getByText("732 829 320 00074").waitFor();
  await step("organisation-creee");

  // The only owner cannot leave: « Quitter » asks first (the focus goes to the question), then refuses.
  await hands.press(main.getByRole("link", { name: "Quitter l'organisation" }));
  const confirmation = main.getByRole("region", { name: "Quitter l'organisation ?" });
  await confirmation.waitFor();
  await expect.poll(() => confirmation.evaluate((element) => element === document.activeElement)).toBe(true);
  await hands.press(confirmation.getByRole("button", { name: "Quitter l'organisation" }));
  await confirmation.getByText("L'organisation doit garder au moins un responsable.").waitFor();
  await step("organisation-dernier-responsable");
  await hands.press(confirmation.getByRole("link", { name: "Annuler" }));
  await confirmation.waitFor({ state: "detached" });

  // The co-editor: invited by mail, she creates her account from the link.
  const coEditor: Applicant = { name: "Léa Coéditrice", email: uniqueEmail(`coeditrice-${hands.name}`), password: "Coedition-Perche-2026" };
  await hands.fill(await byLabel(page, "Adresse électronique"), coEditor.email);
  await hands.press(main.getByRole("button", { name: "Envoyer l'invitation" }));
  await main.getByText(`${coEditor.email} —`).waitFor();
  await step("invitation-envoyee");
  const guest = await browser.newPage();
  const guestHands = hands.name === "pointer" ? hands : keyboardHands(guest);
  await guest.goto(await lastMailLink(guest, coEditor.email, "/organisations/invitation"));
  await expectAccessible(guest, `${prefix}-invitation-recue`);
  await guestHands.fill(await byLabel(guest, "Nom et prénom"), coEditor.name);
  await guestHands.fill(await byLabel(guest, "Mot de passe"), coEditor.password);
  await guestHands.fill(await byLabel(guest, "Confirmation du mot de passe"), coEditor.password);
  await guestHands.press(guest.locator("main").getByRole("button", { name: "Créer mon compte et rejoindre" }));
  await guest.waitForURL(/\/organisations\/[0-9a-f-]{36}$/);
  await guest.locator("main").getByText(`${coEditor.name} (vous)`).waitFor();
  await expectAccessible(guest, `${prefix}-invitation-acceptee`);
  await guest.context().close();

  // The dossier, every step, the pieces, the engagement, the submission.
  const reference = await createDossier(page, hands, step);
  await fillPorteur(page, hands, step);
  await fillTerritoire(page, hands, step);
  await fillProjet(page, hands, step);
  await fillVehicule(page, hands, step);
  await fillBudget(page, hands, step);
  const pieces = await attachRequiredPieces(page, hands, step);
  expect(pieces).toEqual(expect.arrayContaining(["statuts", "devis_vehicule", "budget_previsionnel", "rib"]));
  await signAndSubmit(page, hands, step);

  const receipt = await downloadReceipt(page, hands, reference);
  expect(receipt).toContain(reference);
  expect(receipt).toContain("CPTS du Perche ornais");
  expect(receipt).toContain("Médicobus du Perche");

  // The co-editor signs in and finds the submitted dossier.
  const coEditorPage = await browser.newPage();
  const coEditorHands = hands.name === "pointer" ? hands : keyboardHands(coEditorPage);
  await signInWith(coEditorPage, coEditorHands, coEditor.email, coEditor.password);
  expect(new URL(coEditorPage.url()).pathname).toBe("/mon-espace");
  const dossierLink = coEditorPage.locator("main").getByRole("link", { name: reference }).first();
  await dossierLink.waitFor();
  await expectAccessible(coEditorPage, `${prefix}-coeditrice-mon-espace`);
  await coEditorHands.press(dossierLink);
  await coEditorPage.waitForURL((url) => url.pathname === `/dossiers/${reference}`);
  await coEditorPage.locator("main").getByRole("heading", { level: 1, name: "Médicobus du Perche" }).waitFor();
  const dossierPage = await coEditorPage.locator("main").innerText();
  expect(dossierPage).toContain("Déposé");
  expect(dossierPage).toContain("Médicobus du Perche");
  await expectAccessible(coEditorPage, `${prefix}-coeditrice-dossier`);

  // No page threw or failed to hydrate on the way (a refused form's 4xx is expected in the console).
  for (const visited of [page, coEditorPage]) expect(browserErrors(visited).filter((line) => !/Failed to load resource/.test(line))).toEqual([]);
  return { reference, receipt };
}

test("parcours du porteur à la souris : compte, organisation, co-éditrice, dossier complet, dépôt, récépissé", async () => {
  const page = await browser.newPage();
  await applicantJourney(page, pointerHands());
}, JOURNEY_TIMEOUT);

test("parcours du porteur au clavier seul, du compte au récépissé", async () => {
  const page = await browser.newPage();
  await applicantJourney(page, keyboardHands(page));
}, JOURNEY_TIMEOUT);
