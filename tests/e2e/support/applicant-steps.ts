import type { Locator, Page } from "playwright-core";
import { expect } from "vitest";
import type { Hands } from "./applicant-hands";
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

/** Fills the sign-in form with these hands; resolves on the page the portal sends to. */
export async function signInWith(page: Page, hands: Hands, email: string, password: string) {
  await page.goto("/connexion");
  await hands.fill(await byLabel(page, "Adresse électronique"), email);
  await hands.fill(await byLabel(page, "Mot de passe"), password);
  await hands.press(page.locator("main").getByRole("button", { name: "Se connecter" }));
  await page.waitForURL((url) => url.pathname !== "/connexion");
  await page.getByRole("button", { name: "Se déconnecter" }).first().waitFor();
}

/** Registers, confirms the address from the development mailbox, signs in: lands on /mon-espace. */
export async function registerApplicant(page: Page, applicant: Applicant, hands: Hands) {
  await page.goto("/inscription");
  await hands.fill(await byLabel(page, "Nom et prénom"), applicant.name);
  await hands.fill(await byLabel(page, "Adresse électronique"), applicant.email);
  await hands.fill(await byLabel(page, "Mot de passe"), applicant.password);
  await hands.fill(await byLabel(page, "Confirmation du mot de passe"), applicant.password);
  await hands.press(page.locator("main").getByRole("button", { name: "Créer mon compte" }));
  await page.waitForURL((url) => url.pathname !== "/inscription");
  await page.goto(await lastMailLink(page, applicant.email, "/verifier-email"));
  await page.getByText(/adresse électronique est confirmée/i).first().waitFor();
  await signInWith(page, hands, applicant.email, applicant.password);
  expect(new URL(page.url()).pathname).toBe("/mon-espace");
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

/**
 * Presses Tab until `target` (or, with `anyOf`, any element of that group) has the focus, and
 * says after how many presses. Past the end of the page the focus comes back to its start, so a
 * target above the focus is reached too; more than `limit` presses is a failure.
 */
export async function tabUntil(page: Page, target: Locator, limit = 300, options: { anyOf?: Locator } = {}) {
  const wanted = options.anyOf ?? target;
  for (let presses = 0; presses < limit; presses++) {
    const focused = await wanted.evaluateAll((elements) => elements.some((element) => element === document.activeElement));
    if (focused) return presses;
    await page.keyboard.press("Tab");
  }
  throw new Error(`${target} n'a pas reçu le focus après ${limit} tabulations (focus sur ${JSON.stringify(await focusedElement(page))}).`);
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
