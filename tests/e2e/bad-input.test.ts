import { describe, expect, test } from "vitest";
import { expectAccessible } from "./support/accessibility";
import { DEMO_ACCOUNTS, login } from "./support/accounts";
import { baseUrl, setupBrowser, uniqueEmail } from "./support/browser";
import { focusedElement } from "./support/focus";
import { errorSummary, field, fieldError, postForm } from "./support/forms";
import { countMailsTo, lastMailLink } from "./support/mailbox";

const browser = setupBrowser();

const GOOD_PASSWORD = "Un-mot-de-passe-solide-2026";

function registration(overrides: Partial<Record<"name" | "email" | "password" | "confirmation", string>>) {
  return { name: "Jean Moulin", email: uniqueEmail("refus"), password: GOOD_PASSWORD, confirmation: GOOD_PASSWORD, ...overrides };
}

/** Each refused registration: its field, what the user types, the French message expected. */
const REFUSED_REGISTRATIONS = [
  { label: "Adresse électronique", name: "email", value: "marie.curie@", message: "Saisissez une adresse électronique valide" },
  { label: "Mot de passe", name: "password", value: "court", message: "au moins 12 caractères" },
  { label: "Confirmation du mot de passe", name: "confirmation", value: "Autre-mot-de-passe-2026", message: "ne sont pas identiques" },
] as const;

describe("saisies refusées à l'inscription", () => {
  const refusedEmails: string[] = [];

  test.each(REFUSED_REGISTRATIONS)("HTTP : $label refusé avec un 400 et un message en français", async ({ name, value, message }) => {
    const fields = registration({ [name]: value });
    if (name !== "email") refusedEmails.push(fields.email);
    const response = await postForm("/inscription", fields);
    expect(response.status).toBe(400);
    expect(response.text).toContain(message);
  });

  test.each(REFUSED_REGISTRATIONS)("navigateur : $label — message à côté du champ, résumé focalisé", async ({ label, name, value, message }) => {
    const page = await browser.newPage();
    const fields = registration({ [name]: value });
    if (name !== "email") refusedEmails.push(fields.email);
    await page.goto("/inscription");
    await field(page, "Nom et prénom").fill(fields.name);
    await field(page, "Adresse électronique").fill(fields.email);
    await field(page, "Mot de passe").fill(fields.password);
    await field(page, "Confirmation du mot de passe").fill(fields.confirmation);
    // Leave the field before clicking: its check on blur may add a message that pushes the
    // button down between mouse down and mouse up, and the click would be lost (reported).
    await page.keyboard.press("Tab");
    await page.locator("main").getByRole("button", { name: "Créer mon compte" }).click();

    await errorSummary(page).waitFor();
    const error = await fieldError(page, label);
    expect(error.message).toContain(message);
    expect(error.announced).toBe(true);
    expect(error.invalid).toBe(true);
    const summaryId = await errorSummary(page).getAttribute("id");
    await expect.poll(async () => (await focusedElement(page))?.id).toBe(summaryId);
    expect(await errorSummary(page).innerText()).toContain(message);
    expect(new URL(page.url()).pathname).toBe("/inscription");
    await expectAccessible(page, `refus-inscription-${name}`);
  });

  test("aucun compte à moitié créé : ni dans la liste des comptes, ni courriel envoyé", async () => {
    expect(refusedEmails.length).toBe(4);
    const page = await browser.newPage();
    for (const email of refusedEmails) expect(await countMailsTo(page, email), email).toBe(0);
    await login(page, "admin");
    await page.goto("/admin");
    const accounts = await page.locator("main").innerText();
    // The list does show accounts (the demo ones), just not the refused ones.
    expect(accounts).toContain(DEMO_ACCOUNTS.ars_agent);
    for (const email of refusedEmails) expect(accounts).not.toContain(email);
  });

  test("HTTP : une adresse déjà inscrite est refusée (409) sans second compte", async () => {
    const response = await postForm("/inscription", registration({ email: DEMO_ACCOUNTS.applicant }));
    expect(response.status).toBe(409);
    expect(response.text).toContain("Un compte existe déjà avec cette adresse électronique");
  });
});

describe("liens à usage unique", () => {
  const email = uniqueEmail("liens");

  test("un lien de confirmation déjà utilisé est refusé", async () => {
    const registered = await postForm("/inscription", registration({ email }));
    expect(registered.status).toBeLessThan(400);
    const page = await browser.newPage();
    const link = await lastMailLink(page, email, "/verifier-email");

    const first = await page.goto(link);
    expect(first?.status()).toBe(200);
    await page.getByText(/adresse électronique est confirmée/i).first().waitFor();

    const again = await page.goto(link);
    expect(again?.status()).toBeGreaterThanOrEqual(400);
    expect(again?.status()).toBeLessThan(500);
    expect(await page.locator("main").innerText()).toMatch(/lien.*(déjà été utilisé|n'est plus valable|invalide|expiré)/i);
    await expectAccessible(page, "refus-lien-confirmation-reutilise");
  });

  test("un lien de réinitialisation déjà utilisé est refusé", async () => {
    const requested = await postForm("/mot-de-passe-oublie", { email });
    expect(requested.status).toBeLessThan(400);
    const page = await browser.newPage();
    const link = await lastMailLink(page, email, "/reinitialiser-mot-de-passe");
    const token = new URL(link).searchParams.get("token")!;
    const path = `${new URL(link).pathname}${new URL(link).search}`;

    const first = await postForm(path, { token, password: "Reinitialise-une-fois-2026", confirmation: "Reinitialise-une-fois-2026" });
    expect(first.status).toBeLessThan(400);
    const second = await postForm(path, { token, password: "Reinitialise-deux-fois-2026", confirmation: "Reinitialise-deux-fois-2026" });
    expect(second.status).toBeGreaterThanOrEqual(400);
    expect(second.status).toBeLessThan(500);
    expect(second.text).toMatch(/lien.*(déjà été utilisé|n'est plus valable|invalide|expiré)/i);

    // In the browser, the same link now says so instead of offering the form.
    await page.goto(link);
    expect(await page.locator("main").innerText()).toMatch(/lien.*(déjà été utilisé|n'est plus valable|invalide|expiré)/i);
    await expectAccessible(page, "refus-lien-reinitialisation-reutilise");
  });
});

describe("connexion", () => {
  test("trop d'échecs sur un compte : 429 et un message en français, dans le navigateur aussi", async () => {
    const email = uniqueEmail("insistant");
    // A wrong password is refused the same way whether the account exists or not.
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const response = await postForm("/connexion", { email, password: "pas-le-bon-mot-de-passe" });
      statuses.push(response.status);
      expect(response.text).toContain("Adresse électronique ou mot de passe incorrect.");
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const blocked = await postForm("/connexion", { email, password: "pas-le-bon-mot-de-passe" });
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain("Trop de tentatives");

    const page = await browser.newPage();
    await page.goto("/connexion");
    await field(page, "Adresse électronique").fill(email);
    await field(page, "Mot de passe").fill("encore-un-essai-2026");
    await page.locator("main").getByRole("button", { name: "Se connecter" }).click();
    await errorSummary(page).waitFor();
    expect(await errorSummary(page).innerText()).toMatch(/Trop de tentatives.*réessayez dans \d+ minutes?/);
    await expectAccessible(page, "refus-connexion-trop-de-tentatives");
  });

  test("HTTP : une adresse malformée à la connexion est refusée (400) avec un message", async () => {
    const response = await postForm("/connexion", { email: "pas-une-adresse", password: "peu-importe-2026" });
    expect(response.status).toBe(400);
    expect(response.text).toContain("Saisissez une adresse électronique valide");
  });
});

describe("garde d'origine", () => {
  test.each(["/inscription", "/connexion", "/mot-de-passe-oublie"])("un POST sur %s sans Origin est refusé (403)", async (path) => {
    const response = await postForm(path, registration({}), { origin: false });
    expect(response.status).toBe(403);
    expect(response.text).toBe("Requête refusée : elle ne provient pas du Portail Médicobus.");
  });

  test("un POST venant d'un autre site est refusé (403)", async () => {
    const response = await fetch(`${baseUrl()}/connexion`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://site-malveillant.example" },
      body: new URLSearchParams({ email: DEMO_ACCOUNTS.admin, password: "x" }),
      redirect: "manual",
    });
    expect(response.status).toBe(403);
  });
});
