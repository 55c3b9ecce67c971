import type { Page } from "playwright-core";
import { CHECKED_PAGES } from "~/modules/accessibility/declaration";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { expectAccessible } from "./support/accessibility";
import { login } from "./support/accounts";
import { setupBrowser } from "./support/browser";
import { startDossierPortal, type DossierPortal } from "./support/dossier-portal";
import { errorSummary } from "./support/forms";
import { fillPlaceholders, forbiddenVisitOf, NOT_PAGES, PAGES, rendersPage, routeFiles, VISITORS, visitsOf, type Visitor } from "./support/pages";

/**
 * Issue 6 « Accessibility »: every page of the portal (the list derived from app/routes, see
 * support/pages.ts), opened by every demo role its policy lets in, is checked with axe (no serious
 * or critical violation) and photographed; so are the 403 and 404 pages, and the forms' error
 * summaries after an empty submit. The portal is one of its own (support/dossier-portal, scene
 * « every-page »): the demo applicant's dossiers, wave 1 decided with its letters sent, so that
 * every placeholder of a URL names something real.
 */

let portal: DossierPortal;
const browser = setupBrowser({ baseUrl: () => portal.baseUrl });

beforeAll(async () => {
  portal = await startDossierPortal({ scene: "every-page" });
});

afterAll(async () => {
  await portal?.stop();
});

test("chaque fichier de app/routes est une page vérifiée, ou déclaré autre chose avec sa raison", () => {
  const files = routeFiles();
  const unknown = files.filter((file) => !(file in PAGES) && !(file in NOT_PAGES));
  expect(unknown, "Route sans vérification d'accessibilité : ajoutez-la à PAGES (ou à NOT_PAGES avec sa raison) dans tests/e2e/support/pages.ts").toEqual([]);
  const both = files.filter((file) => file in PAGES && file in NOT_PAGES);
  expect(both).toEqual([]);
  const gone = [...Object.keys(PAGES), ...Object.keys(NOT_PAGES)].filter((file) => !files.includes(file));
  expect(gone, "Entrées sans fichier dans app/routes").toEqual([]);
  // A « resource » renders nothing; a page renders something. A layout renders around its pages.
  const misfiled = files.filter((file) => (file in PAGES || NOT_PAGES[file]?.kind === "layout") !== rendersPage(file));
  expect(misfiled, "Page sans rendu, ou route de ressource qui rend une page").toEqual([]);
  for (const visitor of VISITORS) expect(visitsOf(visitor).length, visitor).toBeGreaterThan(0);
});

test("les pages que la déclaration d'accessibilité dit vérifiées sont des pages de cette vérification", () => {
  const pattern = (url: string) => url.replace(/:[a-zA-Z]+/g, ":");
  const checkedHere = new Set(Object.values(PAGES).flatMap((visits) => visits.map((visit) => pattern(visit.url))));
  const declared = CHECKED_PAGES.map((page) => pattern(page.path));
  expect(declared.filter((url) => !checkedHere.has(url))).toEqual([]);
});

/** Placeholder values of the URLs, from the portal's scene. */
function placeholders(): Record<string, string> {
  const { scene } = portal;
  return {
    draft: portal.complete,
    corrected: portal.corrected,
    organisationId: portal.organisationId,
    evaluated: scene.evaluated ?? "",
    selected: scene.selected ?? "",
    batchId: scene.batchId ?? "",
    userId: scene.userId ?? "",
    mailId: scene.mailId ?? "",
  };
}

const label = (visitor: Visitor, url: string) => `toutes-pages-${visitor}-${url.replace(/^\//, "") || "accueil"}`;

/**
 * Opens each URL in turn (one signed-in context for the visitor), checks the status and axe, and
 * the empty-submit state of the forms. Failures are collected so one run lists them all.
 */
async function visitAll(page: Page, visitor: Visitor) {
  const values = placeholders();
  const failures: string[] = [];
  const checked = new Set<string>();
  const forbidden = forbiddenVisitOf(visitor);
  const visits = [...visitsOf(visitor), ...(forbidden ? [forbidden] : [])];
  for (const visit of visits) {
    const url = fillPlaceholders(visit.url, values);
    try {
      const response = await page.goto(url);
      expect(response?.status(), `${url} (${visit.file})`).toBe(visit.status ?? 200);
      // A redirect (a signed-in visitor on /connexion) lands on a page already checked: once is enough.
      const landed = new URL(page.url()).pathname + new URL(page.url()).search;
      if (checked.has(landed)) continue;
      checked.add(landed);
      await page.locator("main").waitFor();
      await expectAccessible(page, label(visitor, url));
      if (visit.emptySubmit && landed === new URL(url, portal.baseUrl).pathname) {
        await page.locator("main").getByRole("button", { name: visit.emptySubmit, exact: true }).click();
        await errorSummary(page).waitFor({ timeout: 15_000 });
        await expectAccessible(page, `${label(visitor, url)}-erreurs`);
      }
    } catch (error) {
      const failure = `${visitor} ${url} : ${error instanceof Error ? error.message : String(error)}`;
      // Said at once: the run is long, and the list at the end comes only when the visitor is done.
      console.error(failure);
      failures.push(failure);
    }
  }
  return { failures, checked: checked.size };
}

describe("chaque page, pour chaque rôle qui peut la voir, sans violation grave d'accessibilité", () => {
  test.each(VISITORS)("%s", async (visitor) => {
    const page = await browser.newPage();
    if (visitor !== "anonymous") await login(page, visitor);
    const { failures, checked } = await visitAll(page, visitor);
    expect(failures.join("\n\n")).toBe("");
    expect(checked).toBeGreaterThan(3);
  }, 900_000);
});
