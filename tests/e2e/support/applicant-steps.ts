import type { Locator, Page } from "playwright-core";
import { expect } from "vitest";
import { signIn } from "./accounts";
import { focusedElement } from "./focus";
import { lastMailLink } from "./mailbox";

/**
 * Steps of the applicant's journey that several tests walk through: an account from the
 * registration form to the first sign-in, the commune picker, and keyboard-only moves.
 */

export interface Applicant {
  name: string;
  email: string;
  password: string;
}

/**
 * The input, select or textarea whose label reads exactly `label`, the DSFR hint left aside (a
 * DSFR label holds its hint in a span with no space before it: « Adresse électroniqueFormat
 * attendu… »). Exact, so « Adresse électronique » is not « Adresse électronique du contact ».
 */
export async function byLabel(page: Page, label: string): Promise<Locator> {
  const id = await page.locator("main").evaluate((main, wanted) => {
    for (const element of main.querySelectorAll("label[for]")) {
      const own = [...element.childNodes]
        .filter((node) => !(node instanceof HTMLElement && node.classList.contains("fr-hint-text")))
        .map((node) => node.textContent ?? "")
        .join("")
        .replace(/\s+/g, " ")
        .trim();
      if (own === wanted) return element.getAttribute("for");
    }
    return null;
  }, label);
  if (!id) throw new Error(`Aucun champ intitulé « ${label} » dans la page ${page.url()}.`);
  return page.locator(`[id="${id}"]`);
}

/** Registers, confirms the address from the development mailbox, signs in: lands on /mon-espace. */
export async function registerApplicant(page: Page, applicant: Applicant, onStep: (label: string) => Promise<void> = async () => {}) {
  await page.goto("/inscription");
  await onStep("inscription");
  await (await byLabel(page, "Nom et prénom")).fill(applicant.name);
  await (await byLabel(page, "Adresse électronique")).fill(applicant.email);
  await (await byLabel(page, "Mot de passe")).fill(applicant.password);
  await (await byLabel(page, "Confirmation du mot de passe")).fill(applicant.password);
  await page.locator("main").getByRole("button", { name: "Créer mon compte" }).click();
  await page.waitForURL((url) => url.pathname !== "/inscription");
  await page.goto(await lastMailLink(page, applicant.email, "/verifier-email"));
  await page.getByText(/adresse électronique est confirmée/i).first().waitFor();
  await signIn(page, applicant.email, applicant.password);
  await page.waitForURL("**/mon-espace");
  await page.getByRole("button", { name: "Se déconnecter" }).first().waitFor();
}

/**
 * The commune picker (app/components/organisation/CommuneCombobox.tsx) once the page has
 * hydrated: a combobox named by its label (the plain INSEE-code field before that).
 */
export function communeCombobox(page: Page, label: string): Locator {
  return page.locator("main").getByRole("combobox", { name: new RegExp(`^\\s*${label}`) });
}

/** Types a name into the commune picker and chooses the option that matches, with the pointer. */
export async function chooseCommune(page: Page, label: string, query: string, option: RegExp) {
  const input = communeCombobox(page, label);
  await input.fill(query);
  await page.getByRole("option", { name: option }).first().click();
  await expect.poll(() => input.inputValue()).toMatch(/\(\d[\dAB]\)$/);
}

/** Presses Tab until `target` has the focus, and says after how many presses (fails past `limit`). */
export async function tabUntil(page: Page, target: Locator, limit = 60) {
  const id = await target.getAttribute("id");
  for (let presses = 0; presses < limit; presses++) {
    const focused = await focusedElement(page);
    if (id ? focused?.id === id : await target.evaluate((element) => element === document.activeElement)) return presses;
    await page.keyboard.press("Tab");
  }
  throw new Error(`${target} n'a pas reçu le focus après ${limit} tabulations.`);
}

/** Focuses a field by tabbing to it, then types its value with the keyboard. */
export async function typeInto(page: Page, target: Locator, text: string) {
  await tabUntil(page, target);
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type(text);
}

/**
 * The error a field announces: the DSFR error message it names in aria-describedby (what a
 * screen reader reads with the field), and whether it is marked invalid.
 */
export function announcedError(input: Locator) {
  return input.evaluate((element) => {
    const messages = (element.getAttribute("aria-describedby") ?? "")
      .split(/\s+/)
      .map((id) => (id ? document.getElementById(id) : null))
      .filter((node): node is HTMLElement => Boolean(node?.matches(".fr-message--error, .fr-error-text")));
    return { message: messages.map((node) => node.textContent?.trim() ?? "").join(" "), invalid: element.getAttribute("aria-invalid") === "true" };
  });
}
