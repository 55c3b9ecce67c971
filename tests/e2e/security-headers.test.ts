import type { Page, Response } from "playwright-core";
import { describe, expect, test } from "vitest";
import { login } from "./support/accounts";
import { baseUrl, browserErrors, screenshot, setupBrowser } from "./support/browser";

/**
 * The Content-Security-Policy as Chromium enforces it on the production build: a fresh nonce per
 * response, carried by every script the portal writes, no violation on real pages
 * (anonymous, signed in, with forms, the development mailbox, a PDF preview), pages that still
 * hydrate, and an inline script without the nonce refused.
 */

const browser = setupBrowser();

declare global {
  interface Window {
    /** The `securitypolicyviolation` events of the page, recorded from its very first script. */
    cspViolations?: string[];
    sameDocumentMarker?: boolean;
    injectedScriptRan?: boolean;
  }
}

/** A page that records every CSP violation, in every frame, from before the portal's own scripts. */
async function watchedPage() {
  const page = await browser.newPage();
  await page.context().addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener("securitypolicyviolation", (event) => {
      window.cspViolations!.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`.trim());
    });
  });
  return page;
}

function directives(header: string) {
  return new Map(header.split(";").map((directive) => {
    const [name, ...sources] = directive.trim().split(/\s+/);
    return [name, sources] as const;
  }));
}

/**
 * The nonce of a response's policy, after checking that the policy forbids inline scripts.
 * (allHeaders: for a PDF shown in the viewer, Chromium reports the headers it received only there.)
 */
async function policyNonce(response: Response | null) {
  const header = (await response?.allHeaders())?.["content-security-policy"];
  expect(header, "en-tête Content-Security-Policy").toBeTruthy();
  const scripts = directives(header!).get("script-src") ?? [];
  expect(scripts).not.toContain("'unsafe-inline'");
  expect(scripts).not.toContain("'unsafe-eval'");
  expect(directives(header!).get("frame-ancestors")).toEqual(["'none'"]);
  const nonce = scripts.map((source) => /^'nonce-(.+)'$/.exec(source)?.[1]).find(Boolean);
  expect(nonce, "nonce dans script-src").toMatch(/^[A-Za-z0-9+/]{22}==$/);
  return nonce!;
}

/**
 * Every <script> of the page carries the response's nonce (read from the `nonce` property: the
 * browser empties the attribute so that the page's own markup cannot read it), no violation was
 * reported and nothing was logged about the policy.
 */
async function expectCleanPage(page: Page, response: Response | null) {
  const nonce = await policyNonce(response);
  const scripts = await page.evaluate(() =>
    [...document.scripts].map((script) => ({ nonce: script.nonce, what: script.src || script.textContent!.slice(0, 60) })),
  );
  expect(scripts.length).toBeGreaterThan(0);
  for (const script of scripts) expect(script.nonce, script.what).toBe(nonce);
  expect(await page.locator("script:not([nonce])").count()).toBe(0);
  expect(await page.evaluate(() => window.cspViolations)).toEqual([]);
  expect(browserErrors(page).filter((error) => /Content Security Policy|Refused to/i.test(error))).toEqual([]);
  return nonce;
}

/** A client-side navigation by a link: only a hydrated page keeps its window (and this marker). */
async function expectClientNavigation(page: Page, link: string | RegExp, pathname: string | RegExp) {
  await page.evaluate(() => (window.sameDocumentMarker = true));
  await page.getByRole("link", { name: link, exact: typeof link === "string" }).first().click();
  await page.waitForURL((url) => (typeof pathname === "string" ? url.pathname === pathname : pathname.test(url.pathname)));
  expect(await page.evaluate(() => window.sameDocumentMarker)).toBe(true);
}

describe("Content-Security-Policy avec nonce", () => {
  test("page d'accueil : un nonce neuf par réponse, porté par chaque script, et la page s'hydrate", async () => {
    const page = await watchedPage();
    const first = await expectCleanPage(page, await page.goto("/"));
    const second = await expectCleanPage(page, await page.reload());
    expect(second).not.toBe(first);
    // react-dsfr's colour-scheme script ran (it carries the nonce) and added its <style>.
    expect(await page.locator("style#dsfr-root-color-scheme").count()).toBe(1);

    await expectClientNavigation(page, "Se connecter", "/connexion");
    expect(await page.evaluate(() => window.cspViolations)).toEqual([]);
  });

  test("un script en ligne ajouté sans le nonce est refusé et signalé", async () => {
    const page = await watchedPage();
    await expectCleanPage(page, await page.goto("/"));
    const ran = await page.evaluate(async () => {
      const script = document.createElement("script");
      script.textContent = "window.injectedScriptRan = true;";
      document.body.append(script);
      // The violation event is queued as a task: let it be dispatched.
      await new Promise((resolve) => setTimeout(resolve, 0));
      return window.injectedScriptRan ?? false;
    });
    expect(ran).toBe(false);
    const violations = await page.evaluate(() => window.cspViolations);
    expect(violations).toHaveLength(1);
    expect(violations![0]).toMatch(/^script-src-elem inline/);
  });

  test("formulaire et boîte de développement : le courriel s'affiche, mis en forme, dans son cadre isolé", async () => {
    const page = await watchedPage();
    await expectCleanPage(page, await page.goto("/mot-de-passe-oublie"));
    await page.locator("main").getByLabel("Adresse électronique").fill("porteur@demo.medicobus.fr");
    await page.locator("main").getByRole("button", { name: "Envoyer le lien" }).click();
    await page.getByText("Demande enregistrée").waitFor();
    expect(await page.evaluate(() => window.cspViolations)).toEqual([]);

    await expectCleanPage(page, await page.goto("/dev/courriels?adresse=porteur%40demo.medicobus.fr"));
    await expectClientNavigation(page, /Réinitialisation de votre mot de passe/, /^\/dev\/courriels\/.+/);
    await page.locator("main h2", { hasText: "Version HTML" }).waitFor();
    await expectCleanPage(page, await page.reload());

    // The mail's HTML, in its sandboxed srcdoc frame: shown, with its inline styles (the DSFR
    // blue of its button), although the frame inherits the page's policy.
    const mail = page.frames().find((frame) => frame.url() === "about:srcdoc");
    expect(mail, "cadre du courriel").toBeTruthy();
    const button = mail!.locator("a", { hasText: "Choisir un nouveau mot de passe" });
    expect(await button.evaluate((element) => getComputedStyle(element).backgroundColor)).toBe("rgb(0, 0, 145)");
    expect(await page.evaluate(() => window.cspViolations)).toEqual([]);
    await screenshot(page, "csp-boite-de-developpement");
  });
});

describe("Content-Security-Policy en session", () => {
  test("page d'un dossier d'un agent, puis l'aperçu PDF d'une pièce dans le lecteur du navigateur", async () => {
    const page = await watchedPage();
    await login(page, "ars_agent");
    await page.goto("/instruction");
    const dossierPath = await page.locator("main a[href^='/instruction/dossiers/']").first().getAttribute("href");
    const response = await page.goto(dossierPath!);
    expect(response?.status()).toBe(200);
    await expectCleanPage(page, response);
    await expectClientNavigation(page, "Historique", `${dossierPath}/historique`);
    expect(await page.evaluate(() => window.cspViolations)).toEqual([]);

    await page.goBack();
    const previewHref = await page.locator("main a[href*='?apercu=1']").first().getAttribute("href");
    const preview = await page.context().newPage();
    const pdf = await preview.goto(previewHref!);
    expect(pdf?.status()).toBe(200);
    expect(pdf?.headers()["content-type"]).toBe("application/pdf");
    expect(pdf?.headers()["content-disposition"]).toMatch(/^inline/);
    await policyNonce(pdf);
    // Chromium shows an inline PDF in its viewer, an extension frame inside the tab: the policy
    // (object-src 'none', frame-ancestors 'none') does not keep it from opening.
    await preview.waitForFunction(() => document.contentType === "application/pdf");
    const viewer = () => preview.frames().find((frame) => frame.url().startsWith("chrome-extension://"));
    for (let tries = 0; !viewer() && tries < 60; tries++) await preview.waitForTimeout(500);
    expect(viewer(), "lecteur PDF de Chromium").toBeTruthy();
    // The viewer's toolbar names the document once it has loaded it.
    const title = viewer()!.locator("#title");
    await title.waitFor();
    for (let tries = 0; !(await title.textContent())?.trim() && tries < 60; tries++) await preview.waitForTimeout(500);
    expect((await title.textContent())?.trim()).toBeTruthy();
    await screenshot(preview, "csp-apercu-pdf");
  });
});

describe("Content-Security-Policy sur les pages de chaque rôle", () => {
  const PAGES = {
    applicant: ["/mon-espace", "/compte"],
    ars_agent: ["/instruction"],
    program_manager: ["/programme", "/programme/vagues", "/programme/exports", "/programme/journal"],
    admin: ["/admin"],
  } as const;

  for (const [role, paths] of Object.entries(PAGES) as Array<[keyof typeof PAGES, readonly string[]]>) {
    test(`${role} : ${paths.join(", ")} sans violation`, async () => {
      const page = await watchedPage();
      await login(page, role);
      for (const path of paths) {
        const response = await page.goto(path);
        expect(response?.status(), path).toBe(200);
        await expectCleanPage(page, response);
      }
    });
  }
});

describe("en-têtes de sécurité de chaque type de réponse", () => {
  const EXPECTED = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
  };

  /** The stylesheet of the build that the home page links to. */
  async function assetPath() {
    const html = await (await fetch(`${baseUrl()}/`)).text();
    return /<link rel="stylesheet" href="(\/assets\/[^"]+\.css)"/.exec(html)![1];
  }

  for (const [kind, path, status] of [
    ["page HTML", "/", 200],
    ["JSON", "/healthz", 200],
    ["page 404", "/page-qui-n-existe-pas", 404],
    ["fichier du build", assetPath, 200],
  ] as const) {
    test(`${kind} : ${status} avec les en-têtes, sans HSTS en mode démo`, async () => {
      const response = await fetch(`${baseUrl()}${typeof path === "string" ? path : await path()}`);
      expect(response.status).toBe(status);
      for (const [name, value] of Object.entries(EXPECTED)) expect(response.headers.get(name), name).toBe(value);
      expect(response.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
      expect(response.headers.get("strict-transport-security")).toBeNull();
      if (response.headers.get("content-type")?.startsWith("text/html")) {
        const nonce = /'nonce-([^']+)'/.exec(response.headers.get("content-security-policy")!)![1];
        const html = await response.text();
        const scripts = html.match(/<script\b[^>]*>/g) ?? [];
        expect(scripts.length).toBeGreaterThan(0);
        for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
      }
    });
  }
});
