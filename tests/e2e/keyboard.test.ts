import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "./support/accounts";
import { setupBrowser } from "./support/browser";
import { focusedElement } from "./support/focus";
import { errorSummary } from "./support/forms";

const browser = setupBrowser();

/** Presses Tab until the element with this id has the focus (at most `limit` times). */
async function tabTo(page: Page, id: string, limit = 40) {
  for (let presses = 0; presses < limit; presses++) {
    if ((await focusedElement(page))?.id === id) return presses;
    await page.keyboard.press("Tab");
  }
  throw new Error(`#${id} n'a pas reçu le focus après ${limit} tabulations.`);
}

/** The id of the field labelled `label` in the sign-in form, to follow the focus by id. */
async function fieldId(page: Page, label: RegExp) {
  const id = await page.locator("main").getByLabel(label).getAttribute("id");
  expect(id, `${label} a un id`).toBeTruthy();
  return id!;
}

test("la connexion se fait au clavier seul ; après un échec, le résumé des erreurs prend le focus", async () => {
  const page = await browser.newPage();
  await page.goto("/connexion");
  const emailId = await fieldId(page, /^Adresse électronique/);
  const passwordId = await fieldId(page, /^Mot de passe/);

  await tabTo(page, emailId);
  await page.keyboard.type(DEMO_ACCOUNTS.applicant);
  await page.keyboard.press("Tab");
  expect((await focusedElement(page))?.id).toBe(passwordId);
  await page.keyboard.type("pas-le-bon-mot-de-passe");
  await page.keyboard.press("Enter");

  await errorSummary(page).waitFor();
  const summaryId = await errorSummary(page).getAttribute("id");
  await expect.poll(async () => (await focusedElement(page))?.id).toBe(summaryId);
  expect(await errorSummary(page).innerText()).toContain("Adresse électronique ou mot de passe incorrect.");

  // From the summary, the keyboard goes on to the form and signs in.
  await tabTo(page, passwordId);
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press("Enter");
  await page.waitForURL("**/mon-espace");
  await page.getByRole("button", { name: "Se déconnecter" }).first().waitFor();
});
