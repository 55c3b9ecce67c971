import { expect, test } from "vitest";
import { expectAccessible } from "./support/accessibility";
import { logout, signIn } from "./support/accounts";
import { setupBrowser, uniqueEmail } from "./support/browser";
import { errorSummary, field } from "./support/forms";
import { lastMailLink } from "./support/mailbox";

const browser = setupBrowser();

/**
 * A porteur de projet from nothing to a working account, and back in after forgetting the
 * password — every page of the way checked with axe.
 */
test("un porteur crée son compte, le confirme, se connecte, réinitialise son mot de passe", async () => {
  const page = await browser.newPage();
  const email = uniqueEmail("porteur");
  const firstPassword = "Premier-mot-de-passe-2026";
  const newPassword = "Nouveau-mot-de-passe-2026";

  // Registration.
  await page.goto("/");
  await page.locator("main").getByRole("link", { name: /Créer mon compte/ }).click();
  await page.waitForURL("**/inscription");
  await expectAccessible(page, "parcours-porteur-01-inscription");
  await field(page, "Nom et prénom").fill("Marie Curie");
  await field(page, "Adresse électronique").fill(email);
  await field(page, "Mot de passe").fill(firstPassword);
  await field(page, "Confirmation du mot de passe").fill(firstPassword);
  await page.locator("main").getByRole("button", { name: "Créer mon compte" }).click();
  await page.waitForURL("**/verifier-email");
  await page.locator("main").getByText(`Un courriel de confirmation vient d'être envoyé à ${email}`).waitFor();
  await expectAccessible(page, "parcours-porteur-02-inscription-envoyee");

  // The account cannot be used before the address is confirmed.
  await signIn(page, email, firstPassword);
  await errorSummary(page).waitFor();
  expect(await errorSummary(page).innerText()).toMatch(/pas encore confirmée/);
  await expectAccessible(page, "parcours-porteur-03-connexion-avant-confirmation");

  // The confirmation mail, read in the development mailbox.
  const verifyLink = await lastMailLink(page, email, "/verifier-email", /Confirmez votre adresse/);
  await expectAccessible(page, "parcours-porteur-04-courriel-confirmation");
  await page.goto(verifyLink);
  await page.getByText(/adresse électronique est confirmée/i).first().waitFor();
  await expectAccessible(page, "parcours-porteur-05-adresse-confirmee");
  // Confirming does not sign in (a link forwarded by mail must not open the account): it says
  // so and points to the sign-in page.
  expect(await page.getByRole("button", { name: "Se déconnecter" }).count()).toBe(0);
  await page.locator("main").getByRole("link", { name: "Se connecter" }).click();
  await page.waitForURL("**/connexion");

  // Sign in with the chosen password: the applicant's area.
  await signIn(page, email, firstPassword);
  await page.waitForURL("**/mon-espace");
  await page.getByRole("button", { name: "Se déconnecter" }).first().waitFor();
  await expectAccessible(page, "parcours-porteur-06-mon-espace");
  await logout(page);

  // Forgotten password: the link on the sign-in page, the mail, the new password.
  await page.goto("/connexion");
  await expectAccessible(page, "parcours-porteur-07-connexion");
  await page.locator("main").getByRole("link", { name: /Mot de passe oublié/ }).click();
  await page.waitForURL("**/mot-de-passe-oublie");
  await expectAccessible(page, "parcours-porteur-08-mot-de-passe-oublie");
  await field(page, "Adresse électronique").fill(email);
  await page.locator("main").getByRole("button", { name: "Envoyer le lien" }).click();
  await page.getByText(/lien/i).and(page.getByText(email)).first().waitFor();
  await expectAccessible(page, "parcours-porteur-09-lien-envoye");

  const resetLink = await lastMailLink(page, email, "/reinitialiser-mot-de-passe");
  await page.goto(resetLink);
  await expectAccessible(page, "parcours-porteur-10-nouveau-mot-de-passe");
  await field(page, "Nouveau mot de passe").or(field(page, "Mot de passe")).first().fill(newPassword);
  await field(page, "Confirmation du mot de passe").fill(newPassword);
  await page.locator("main").getByRole("button", { name: "Enregistrer le mot de passe" }).click();
  // The new password is saved and every session ended: back to the sign-in page, signed out.
  await page.waitForURL("**/connexion");
  await page.getByText("Votre nouveau mot de passe est enregistré").first().waitFor();
  await expectAccessible(page, "parcours-porteur-11-mot-de-passe-enregistre");
  expect(await page.getByRole("button", { name: "Se déconnecter" }).count()).toBe(0);

  // The old password no longer opens the account; the new one does.
  await signIn(page, email, firstPassword);
  await errorSummary(page).waitFor();
  expect(await errorSummary(page).innerText()).toContain("Adresse électronique ou mot de passe incorrect.");
  expect(new URL(page.url()).pathname).toBe("/connexion");

  await signIn(page, email, newPassword);
  await page.waitForURL("**/mon-espace");
  await page.getByRole("button", { name: "Se déconnecter" }).first().waitFor();
});
