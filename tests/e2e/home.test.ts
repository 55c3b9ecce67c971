import { describe, expect, test } from "vitest";
import { expectAccessible } from "./support/accessibility";
import { baseUrl, browserErrors, screenshot, setupBrowser } from "./support/browser";
import { focusedElement } from "./support/focus";

const browser = setupBrowser();

describe("page d'accueil et pages publiques", () => {
  test("présente l'appel, son enveloppe, ses vagues et invite à déposer", async () => {
    const page = await browser.newPage();
    const response = await page.goto("/");
    expect(response?.status()).toBe(200);
    const main = page.locator("main");

    expect(await main.getByRole("heading", { level: 1 }).innerText()).toBe("Médicobus — appel à projets");
    // Intl writes a narrow no-break space between thousands: compare on normalised text.
    const text = (await main.innerText()).replace(/\s/g, " ");
    expect(text).toContain("10 000 000 €");
    // Each wave's card carries its own state (the badge is upper-cased by CSS: read textContent).
    for (const [wave, state] of [
      ["Vague 1", "Close"],
      ["Vague 2", "Ouverte"],
    ]) {
      const card = main.locator(".fr-card").filter({ has: page.getByRole("heading", { name: wave }) });
      expect(await card.count(), wave).toBe(1);
      expect(await card.textContent(), wave).toContain(state);
    }
    const callToAction = main.getByRole("link", { name: /Créer mon compte/ });
    expect(await callToAction.getAttribute("href")).toBe("/inscription");

    await expectAccessible(page, "accueil");
  });

  test("porte l'en-tête et le pied de page de l'État, avec leurs liens", async () => {
    const page = await browser.newPage();
    await page.goto("/");
    const header = page.getByRole("banner");
    expect(await header.getByText("Portail Médicobus", { exact: true }).count()).toBeGreaterThan(0);
    const footer = page.getByRole("contentinfo");
    for (const [name, href] of [
      [/Accessibilité/, "/accessibilite"],
      [/Mentions légales/, "/mentions-legales"],
      [/Données personnelles/, "/donnees-personnelles"],
    ] as const) {
      expect(await footer.getByRole("link", { name }).first().getAttribute("href")).toBe(href);
    }
  });

  test("les liens d'évitement mènent au contenu, au menu et au pied de page", async () => {
    const page = await browser.newPage();
    await page.goto("/");
    // The first Tab of the page lands on the first skip link, as RGAA 12.7 asks.
    await page.keyboard.press("Tab");
    expect((await focusedElement(page))?.text).toBe("Contenu");
    const skipLinks = page.getByRole("navigation", { name: /Accès rapide/ }).getByRole("link");
    expect(await skipLinks.evaluateAll((links) => links.map((link) => link.getAttribute("href")))).toEqual([
      "#contenu",
      "#fr-header-main-navigation",
      "#fr-footer",
    ]);
    for (const id of ["contenu", "fr-header-main-navigation", "fr-footer"]) {
      expect(await page.locator(`#${id}`).count(), `cible #${id}`).toBe(1);
    }
    await page.keyboard.press("Enter");
    await page.waitForURL(/#contenu$/);
    expect((await focusedElement(page))?.id).toBe("contenu");
  });

  test.each([
    ["/accessibilite", "accessibilite"],
    ["/mentions-legales", "mentions-legales"],
    ["/donnees-personnelles", "donnees-personnelles"],
    ["/aide", "aide"],
  ])("la page %s existe et est accessible", async (path, label) => {
    const page = await browser.newPage();
    const response = await page.goto(path);
    expect(response?.status()).toBe(200);
    expect((await page.locator("main h1").innerText()).length).toBeGreaterThan(0);
    await expectAccessible(page, label);
  });

  test("une adresse inconnue répond 404 avec « Page non trouvée »", async () => {
    const page = await browser.newPage();
    const response = await page.goto("/cette-page-n-existe-pas");
    expect(response?.status()).toBe(404);
    expect(await page.locator("main h1").innerText()).toBe("Page non trouvée");
    await expectAccessible(page, "404");
  });

  // A page whose server HTML React cannot hydrate is thrown away and drawn again: slower, and
  // whatever was typed in the meantime is lost. Every public page must hydrate cleanly.
  test.each(["/", "/connexion", "/inscription", "/mot-de-passe-oublie", "/aide"])("%s s'hydrate sans erreur dans la console", async (path) => {
    const page = await browser.newPage();
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    const errors = browserErrors(page);
    expect(errors, errors.join("\n")).toEqual([]);
  });

  test("/healthz répond 200", async () => {
    const response = await fetch(`${baseUrl()}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });
});

// Kept for the report: what the home page looks like on a phone.
test("l'accueil tient sur un écran de téléphone", async () => {
  const page = await browser.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await screenshot(page, "accueil-mobile");
  expect(overflow).toBeLessThanOrEqual(0);
});
