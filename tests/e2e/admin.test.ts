import { expect, test } from "vitest";
import { expectAccessible } from "./support/accessibility";
import { login, logout } from "./support/accounts";
import { setupBrowser, uniqueEmail } from "./support/browser";
import { field } from "./support/forms";
import { lastMailLink } from "./support/mailbox";

const browser = setupBrowser();

/** Agents never register: an administrator invites them, they choose a password from the mail. */
test("l'administrateur invite un agent ARS de Normandie, qui arrive dans l'espace instruction de sa région", async () => {
  const page = await browser.newPage();
  const email = uniqueEmail("agent.ars");
  const password = "Mot-de-passe-agent-2026";

  await login(page, "admin");
  await page.goto("/admin");
  expect(await page.locator("main h1").innerText()).toMatch(/Administration/);
  await expectAccessible(page, "parcours-admin-01-administration");

  await field(page, "Adresse électronique").fill(email);
  await field(page, "Nom et prénom").fill("Agathe Instructrice");
  await field(page, "Rôle").selectOption("ars_agent");
  await field(page, "Région").selectOption({ label: "Normandie" });
  await page.locator("main").getByRole("button", { name: "Inviter" }).click();
  // The new account appears in the list, invited but without a password yet.
  const row = page.locator("main table tbody tr", { hasText: email });
  await row.waitFor();
  expect(await row.innerText()).toMatch(/Normandie/);
  await expectAccessible(page, "parcours-admin-02-agent-invite");
  await logout(page);

  const invitationLink = await lastMailLink(page, email, "/invitation");
  await page.goto(invitationLink);
  await expectAccessible(page, "parcours-admin-03-invitation");
  await field(page, "Mot de passe").first().fill(password);
  await field(page, "Confirmation du mot de passe").fill(password);
  await page.locator("main").getByRole("button", { name: /Enregistrer le mot de passe|Activer/ }).click();

  // Signed in by the invitation, straight into the agent area, scoped to its région.
  await page.waitForURL("**/instruction");
  await page.locator("main h1", { hasText: "Dossiers à instruire" }).waitFor();
  expect(await page.locator("main").innerText()).toMatch(/Votre périmètre : Région Normandie/);
  expect(await page.getByRole("banner").innerText()).toContain("Agathe Instructrice (Agent ARS");
  await expectAccessible(page, "parcours-admin-04-espace-instruction");
});
