import type { Page } from "playwright-core";
import { expect } from "vitest";
import { login } from "./accounts";

/** The field whose label starts with `label` (a DSFR label also holds its hint). */
function fieldStartingWith(page: Page, label: string) {
  return page.locator("main").getByLabel(new RegExp(`^\\s*${label}`));
}

/**
 * A fresh draft for the demo applicant (porteur@demo.medicobus.fr), made through the pages as a
 * person would: « Créer une organisation » (the demo seed creates none), then « Nouveau dossier »
 * for it. Each call makes its own organisation, so tests never share a dossier.
 */
export async function openDemoDraft(page: Page) {
  const organisationName = `CPTS du Perche ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  await login(page, "applicant");
  await page.goto("/organisations/nouvelle?retour=/dossiers/nouveau");
  const main = page.locator("main");
  // The seat's commune is a combobox once the page has hydrated (a plain INSEE code field before).
  const seat = main.getByRole("combobox", { name: /^\s*Commune du siège/ });
  await seat.waitFor();
  await page.locator(`label[for="${await main.getByRole("radio", { name: /^CPTS/ }).getAttribute("id")}"]`).click();
  await fieldStartingWith(page, "Nom de la structure").fill(organisationName);
  await fieldStartingWith(page, "SIRET").fill("732 829 320 00074");
  await seat.fill("Alenç");
  await page.getByRole("option", { name: /^Alençon \(61\)/ }).first().click();
  await expect.poll(() => seat.inputValue()).toBe("Alençon (61)");
  await main.getByRole("button", { name: "Créer l'organisation" }).click();
  await page.waitForURL("**/dossiers/nouveau");

  const radio = main.getByRole("radio", { name: new RegExp(`^${organisationName}`) });
  await page.locator(`label[for="${await radio.getAttribute("id")}"]`).click();
  await main.getByRole("button", { name: "Créer le dossier" }).click();
  await page.waitForURL(/\/dossiers\/[^/]+\/porteur$/);
  return { reference: decodeURIComponent(new URL(page.url()).pathname.split("/")[2]), organisationName };
}
