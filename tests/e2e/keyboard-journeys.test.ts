import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { expectAccessible } from "./support/accessibility";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "./support/accounts";
import { keyboardHands } from "./support/applicant-hands";
import { signInWith } from "./support/applicant-steps";
import { setupBrowser } from "./support/browser";
import { startDossierPortal, type DossierPortal } from "./support/dossier-portal";
import { fillAvisAndAmount, liveScore, markCriteria } from "./support/evaluation-steps";
import { focusedElement, focusIndicator } from "./support/focus";
import { rankingRows } from "./support/programme-simulator";

/**
 * Issue 6 « Accessibility »: the agent's and the programme manager's journeys with the keyboard
 * alone (support/applicant-hands keyboardHands: Tab to each control, checking the focus is drawn
 * on it, then type, arrows, Space or Enter; no click). The applicant's journey with the keyboard
 * alone — sign-in, dossier, every step, submission, receipt — is in applicant-journey.test.ts.
 * A portal of its own (support/dossier-portal, the demo call alone): wave 2 has dossiers of
 * Normandie waiting for their admissibility, and wave 1 is ranked, undecided.
 */

let portal: DossierPortal;
const browser = setupBrowser({ baseUrl: () => portal.baseUrl });

beforeAll(async () => {
  portal = await startDossierPortal({ scene: "demo-call" });
});

afterAll(async () => {
  await portal?.stop();
});

const main = (page: Page) => page.locator("main");
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

async function toast(page: Page, title: string) {
  const notice = page.getByRole("status").filter({ hasText: title }).first();
  await notice.waitFor();
  return plain(await notice.innerText());
}

/** After a key moved the focus (a link followed, a form shown), it is where expected and drawn. */
async function expectFocusOn(page: Page, text: string | RegExp) {
  await expect.poll(async () => (await focusedElement(page))?.text).toMatch(text);
  const indicator = await focusIndicator(page);
  expect(indicator.visible, `Focus invisible sur ${indicator.on}`).toBe(true);
}

test("l'agent de l'ARS au clavier seul : connexion, dossier trouvé dans la liste, recevabilité, grille confiée, évaluation soumise", async () => {
  const page = await browser.newPage();
  const keys = keyboardHands(page);
  let count = 0;
  const step = (label: string) => expectAccessible(page, `clavier-agent-${String(++count).padStart(2, "0")}-${label}`);

  await signInWith(page, keys, DEMO_ACCOUNTS.ars_agent, DEMO_PASSWORD);
  expect(new URL(page.url()).pathname).toBe("/instruction");

  // The first dossier of wave 2 waiting for its admissibility, found in the list.
  const waiting = main(page).locator("tbody tr", { hasText: "Vague 2" }).filter({ hasText: "Déposé" }).first();
  const link = waiting.locator("th a");
  const reference = (await link.innerText()).trim();
  await step("liste");
  await keys.press(link);
  await page.waitForURL(`**/instruction/dossiers/${reference}`);
  await main(page).getByRole("heading", { level: 1 }).waitFor();

  // Admissibility: the tab, the motivation, the button.
  await keys.press(main(page).getByRole("link", { name: "Recevabilité", exact: true }));
  await page.waitForURL(`**/instruction/dossiers/${reference}/recevabilite`);
  const motivation = main(page).locator("section[aria-labelledby='declarer-recevable']").getByLabel(/^Motivation/);
  await motivation.waitFor();
  await step("recevabilite");
  await keys.fill(motivation, "Dossier complet ; porteur éligible ; territoire de la région ; budget conforme au cahier des charges.");
  await keys.press(main(page).getByRole("button", { name: "Déclarer recevable" }));
  await main(page).locator("p.fr-badge", { hasText: "En instruction" }).waitFor();

  // The ARS grid given to itself, from the evaluations tab.
  await keys.press(main(page).getByRole("link", { name: "Évaluations", exact: true }));
  await page.waitForURL(`**/instruction/dossiers/${reference}/evaluations`);
  const evaluator = main(page).getByLabel(/^Évaluateur \(grille ARS\)/i);
  await evaluator.waitFor();
  const option = (await evaluator.locator("option").allTextContents()).find((text) => text.startsWith("Dominique Instructeur"));
  expect(option, "l'agent se trouve parmi les évaluateurs proposés").toBeTruthy();
  await keys.select(evaluator, option!);
  await keys.press(evaluator.locator("xpath=ancestor::form").getByRole("button", { name: "Confier l'évaluation" }));
  await toast(page, "Évaluation confiée");
  await step("grille-confiee");

  // The evaluation: five marks with their justification, the avis, the amount, submitted.
  await keys.press(main(page).getByRole("link", { name: /Évaluer le dossier/ }).first());
  await main(page).getByRole("heading", { name: "Grille ARS — votre évaluation" }).waitFor();
  await markCriteria(page, keys, [4, 4, 3, 3, 4]);
  await fillAvisAndAmount(page, keys, { avis: "Favorable", amount: "90000" });
  // Weights 30-25-15-15-15: (120 + 100 + 45 + 45 + 60) / 500 = 74 %.
  await expect.poll(() => liveScore(page)).toBe("74,00 / 100");
  await step("evaluation-remplie");
  await keys.press(main(page).getByRole("button", { name: "Soumettre l'évaluation" }));
  expect(await toast(page, "Évaluation soumise")).toContain("Note pondérée : 74,00 / 100");
  await step("evaluation-soumise");
  expect(browser.pageErrors()).toEqual([]);
}, 600_000);

test("l'équipe du programme au clavier seul : connexion, classement de la vague 1, dérogation justifiée, récapitulatif de la décision", async () => {
  const page = await browser.newPage();
  const keys = keyboardHands(page);
  let count = 0;
  const step = (label: string) => expectAccessible(page, `clavier-programme-${String(++count).padStart(2, "0")}-${label}`);

  await signInWith(page, keys, DEMO_ACCOUNTS.program_manager, DEMO_PASSWORD);
  await page.goto("/programme/vagues");
  await keys.press(main(page).getByRole("link", { name: "Classement de la vague 1" }));
  await main(page).getByRole("heading", { level: 1, name: "Vague 1 : classement et décisions" }).waitFor();
  const rows = await rankingRows(page);
  await step("classement");

  // Exclude the first funded dossier: its « Ajuster » link opens the form and the focus goes to its title.
  const excluded = rows.find((row) => row.verdict === "Financé")!.reference;
  await keys.press(main(page).locator("#classement").getByRole("link", { name: `Ajuster ${excluded}` }));
  const form = main(page).locator(".mb-override", { has: page.getByRole("heading", { name: `Dérogation pour ${excluded}` }) });
  await form.waitFor();
  await expectFocusOn(page, `Dérogation pour ${excluded}`);
  await keys.check(form.getByLabel("Exclure le dossier du financement"));
  // Without its justification the override is refused, and the error summary takes the focus.
  await keys.press(form.getByRole("button", { name: "Enregistrer la dérogation" }));
  const summary = form.locator(".mb-error-summary");
  await summary.waitFor();
  await expect.poll(async () => (await focusedElement(page))?.id).toBe(await summary.getAttribute("id"));
  await step("derogation-refusee");
  await keys.fill(form.getByLabel(/^Justification écrite/), "Projet déjà financé par le conseil départemental pour la même tournée.");
  await keys.press(form.getByRole("button", { name: "Enregistrer la dérogation" }));
  await toast(page, "Dérogation enregistrée");
  await expect.poll(async () => (await rankingRows(page)).find((row) => row.reference === excluded)?.verdict).toBe("Exclu par dérogation");
  await step("derogation-enregistree");

  // The decision's summary, before anything is applied.
  await keys.press(main(page).getByRole("link", { name: "Appliquer la décision" }));
  await main(page).getByRole("heading", { level: 1, name: "Appliquer la décision de la vague 1" }).waitFor();
  const text = plain(await main(page).innerText());
  expect(text).toMatch(/\d+ dossiers retenus pour [\d ]+ €/);
  expect(text).toContain(excluded);
  await step("recapitulatif-decision");
  expect(browser.pageErrors()).toEqual([]);
}, 600_000);
