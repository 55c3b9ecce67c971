import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { expectAccessible } from "./support/accessibility";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, signIn, type DemoRole } from "./support/accounts";
import { keyboardHands, pointerHands } from "./support/applicant-hands";
import { setupBrowser } from "./support/browser";
import { startDossierPortal, type DossierPortal } from "./support/dossier-portal";
import { downloadEvaluationSheet, fillAvisAndAmount, liveScore, markCriteria } from "./support/evaluation-steps";
import { focusedElement } from "./support/focus";
import { errorSummary } from "./support/forms";

/**
 * Issue 4 (with issue 3's « answers a correction request, resubmits »), end to end in Chromium on
 * a portal of its own (support/dossier-portal: demo accounts, the demo applicant's complete
 * draft in Normandie). The applicant submits; the ARS agent of Normandie finds the dossier in
 * /instruction and requests corrections; the applicant corrects the reopened part and submits
 * again; the ARS agent admits it and assigns the ARS grid to itself, the programme team assigns
 * the ANCT grid to the national ANCT agent; each fills and submits its evaluation (the ANCT one
 * with the keyboard alone); the dossier is « Instruit » with its consolidated score, and the
 * evaluation sheet is downloaded and read. Every page is checked with axe and photographed.
 */

let portal: DossierPortal;
const browser = setupBrowser({ baseUrl: () => portal.baseUrl });

beforeAll(async () => {
  portal = await startDossierPortal();
});

afterAll(async () => {
  await portal?.stop();
});

const newPage = () => browser.newPage();

async function signedIn(role: DemoRole) {
  const page = await newPage();
  await signIn(page, DEMO_ACCOUNTS[role], DEMO_PASSWORD);
  await page.waitForURL((url) => url.pathname !== "/connexion");
  return page;
}

const main = (page: Page) => page.locator("main");
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");
const mainText = async (page: Page) => plain(await main(page).innerText());

let count = 0;
/** Each step is checked with axe (no serious or critical violation) and photographed. */
const step = (page: Page, label: string) => expectAccessible(page, `instruction-${String(++count).padStart(2, "0")}-${label}`);

/** The dossier's status badge in the header of its pages (the forms also name statuses in their text). */
const statusBadge = (page: Page, label: string) => main(page).locator("p.fr-badge", { hasText: label });

/** The toast of the last action (app/components/ToastNotice.tsx, role="status"), once it is shown. */
async function toast(page: Page, title: string) {
  const notice = page.getByRole("status").filter({ hasText: title }).first();
  await notice.waitFor();
  return plain(await notice.innerText());
}

test("instruction d'un dossier : corrections, nouveau dépôt, recevabilité, affectation, deux évaluations, dossier instruit, fiche d'évaluation", async () => {
  const reference = portal.complete;
  const dossierPath = `/instruction/dossiers/${reference}`;

  // The applicant submits the complete draft.
  const applicant = await signedIn("applicant");
  await applicant.goto(`/dossiers/${reference}/recapitulatif`);
  await applicant.locator("#deposer-dossier").click();
  await applicant.waitForURL((url) => url.pathname === `/dossiers/${reference}`);
  await main(applicant).getByText("Déposé").first().waitFor();
  await step(applicant, "porteur-depose");

  // The ARS agent of Normandie finds it in its list and opens it.
  const ars = await signedIn("ars_agent");
  await ars.goto("/instruction");
  const listed = main(ars).getByRole("link", { name: reference });
  await listed.waitFor();
  await step(ars, "ars-liste");
  await listed.click();
  await main(ars).getByRole("heading", { level: 1, name: "Médicobus du Perche" }).waitFor();
  await step(ars, "ars-dossier");

  // Corrections: the budget reopens, with a message.
  await main(ars).getByRole("link", { name: "Recevabilité", exact: true }).click();
  await main(ars).getByRole("button", { name: "Demander des corrections" }).waitFor();
  await step(ars, "ars-recevabilite");
  const hands = pointerHands();
  await hands.check(main(ars).getByRole("checkbox", { name: "Budget", exact: true }));
  await main(ars).getByLabel(/^Message au porteur de projet/).fill("Le libellé de la ligne d'investissement doit reprendre celui du devis actualisé du véhicule.");
  await main(ars).getByRole("button", { name: "Demander des corrections" }).click();
  await statusBadge(ars, "En correction").waitFor();
  await step(ars, "ars-corrections-demandees");

  // The applicant sees the request, corrects the budget and submits again.
  await applicant.goto(`/dossiers/${reference}`);
  const banner = main(applicant).locator(".fr-alert", { has: applicant.getByRole("heading", { name: "Des corrections sont demandées" }) });
  expect(plain(await banner.innerText())).toContain("Le libellé de la ligne d'investissement doit reprendre celui du devis actualisé du véhicule.");
  await step(applicant, "porteur-bandeau-corrections");
  await banner.getByRole("link", { name: "Budget" }).click();
  await applicant.waitForURL(`**/dossiers/${reference}/budget`);
  await applicant.locator('[id="budget-costs-0-label"]').fill("Véhicule aménagé — devis actualisé");
  await step(applicant, "porteur-budget-corrige");
  await main(applicant).getByRole("button", { name: "Étape suivante" }).or(main(applicant).getByRole("link", { name: "Étape suivante" })).first().click();
  await applicant.waitForURL(`**/dossiers/${reference}/pieces`);
  await applicant.goto(`/dossiers/${reference}/recapitulatif`);
  expect(await mainText(applicant)).toContain("Véhicule aménagé — devis actualisé");
  await main(applicant).getByRole("button", { name: "Déposer à nouveau le dossier" }).click();
  await applicant.waitForURL((url) => url.pathname === `/dossiers/${reference}`);
  await statusBadge(applicant, "Déposé").waitFor();
  expect(await main(applicant).locator(".fr-alert", { has: applicant.getByRole("heading", { name: "Des corrections sont demandées" }) }).count()).toBe(0);
  await step(applicant, "porteur-depose-a-nouveau");

  // The ARS agent admits it, then gives itself the ARS grid.
  await ars.goto(`${dossierPath}/recevabilite`);
  await main(ars).getByLabel(/^Motivation/).first().fill("Dossier complet après corrections ; territoire et budget conformes au cahier des charges.");
  await main(ars).getByRole("button", { name: "Déclarer recevable" }).click();
  await statusBadge(ars, "En instruction").waitFor();
  await step(ars, "ars-recevable");
  await main(ars).getByRole("link", { name: "Évaluations", exact: true }).click();
  await ars.waitForURL(`**${dossierPath}/evaluations`);
  await chooseEvaluator(ars, "ARS", "Dominique Instructeur");
  await step(ars, "ars-grille-ars-confiee");

  // The programme team gives the ANCT grid to the national ANCT agent.
  const manager = await signedIn("program_manager");
  await manager.goto(`${dossierPath}/evaluations`);
  await chooseEvaluator(manager, "ANCT", "Claude Évaluateur");
  await step(manager, "programme-grille-anct-confiee");

  // The ARS evaluation: refused while empty, a draft, then submitted.
  await ars.reload();
  await main(ars).getByRole("link", { name: /Évaluer le dossier/ }).first().click();
  // A client-side navigation changes the URL before the page is drawn: wait for the page itself.
  await main(ars).getByRole("heading", { name: "Grille ARS — votre évaluation" }).waitFor();
  expect(await mainText(ars)).toContain("Montant demandé par le porteur : 80 000 €");
  await step(ars, "ars-evaluation-vide");
  await main(ars).getByRole("button", { name: "Soumettre l'évaluation" }).click();
  await errorSummary(ars).waitFor();
  await expect.poll(async () => (await focusedElement(ars))?.id).toBe(await errorSummary(ars).getAttribute("id"));
  expect(plain(await errorSummary(ars).innerText())).toMatch(/Besoin territorial — note : Notez ce critère de 0 à 5\./);
  expect(plain(await errorSummary(ars).innerText())).toMatch(/Avis : Choisissez un avis/);
  await step(ars, "ars-evaluation-refusee");

  const arsMarks = [4, 4, 3, 3, 4];
  await markCriteria(ars, hands, arsMarks, 2);
  // Weights 30-25-15-15-15, the other three count 0 for now: (120 + 100) / 500 = 44 %.
  await expect.poll(() => liveScore(ars)).toBe("44,00 / 100");
  await main(ars).getByRole("button", { name: "Enregistrer le brouillon" }).click();
  expect(await toast(ars, "Brouillon enregistré")).toContain("Brouillon enregistré");
  await ars.reload();
  await expect.poll(() => liveScore(ars)).toBe("44,00 / 100");
  await markCriteria(ars, hands, arsMarks);
  await fillAvisAndAmount(ars, hands, { avis: "Favorable", amount: "70 000" });
  // (120 + 100 + 45 + 45 + 60) / 500 = 74 %.
  await expect.poll(() => liveScore(ars)).toBe("74,00 / 100");
  await step(ars, "ars-evaluation-remplie");
  await main(ars).getByRole("button", { name: "Soumettre l'évaluation" }).click();
  expect(await toast(ars, "Évaluation soumise")).toMatch(/Note pondérée : 74,00 \/ 100\. Le dossier sera instruit quand toutes les évaluations attendues seront soumises\./);
  expect(await mainText(ars)).toContain("4 sur 5");
  expect(await main(ars).getByRole("button", { name: "Soumettre l'évaluation" }).count()).toBe(0);
  await step(ars, "ars-evaluation-soumise");

  // An amendment needs its reason, and stays in the history.
  await main(ars).getByRole("link", { name: "Amender" }).click();
  await ars.waitForURL(/\/evaluations\/ars\?amender/);
  const partenariats = main(ars).locator("form section[aria-labelledby='critere-partenariats']");
  await hands.check(partenariats.getByRole("radio", { name: /^4 sur 5/ }));
  await main(ars).getByRole("button", { name: "Enregistrer l'amendement" }).click();
  await errorSummary(ars).waitFor();
  expect(plain(await errorSummary(ars).innerText())).toContain("Motif de l'amendement : Indiquez pourquoi vous modifiez une évaluation déjà soumise.");
  await step(ars, "ars-amendement-sans-motif");
  await main(ars).getByLabel(/^Motif de l'amendement/).fill("Lettre d'engagement de la CPAM reçue depuis la soumission.");
  await main(ars).getByRole("button", { name: "Enregistrer l'amendement" }).click();
  expect(await toast(ars, "Amendement enregistré")).toContain("Nouvelle note pondérée : 77,00 / 100");
  const amendments = main(ars).locator("section", { has: ars.getByRole("heading", { name: /^Amendements/ }) });
  expect(plain(await amendments.innerText())).toMatch(/Motif : Lettre d'engagement de la CPAM reçue depuis la soumission\.\s+Avant : note 74,00 \/ 100, avis favorable, montant recommandé 70 000 €\./);
  await step(ars, "ars-evaluation-amendee");

  // The ANCT evaluation, with the keyboard alone.
  const anct = await signedIn("anct_agent");
  await anct.goto(`${dossierPath}/evaluations/anct`);
  const keys = keyboardHands(anct);
  const anctMarks = [3, 4, 3, 3];
  await markCriteria(anct, keys, anctMarks);
  await fillAvisAndAmount(anct, keys, { avis: "Réservé", amount: "65000" });
  // (105 + 100 + 60 + 60) / 500 = 65 %.
  await expect.poll(() => liveScore(anct)).toBe("65,00 / 100");
  await step(anct, "anct-evaluation-remplie");
  await keys.press(main(anct).getByRole("button", { name: "Soumettre l'évaluation" }));
  // ARS 77 × 60 % + ANCT 65 × 40 % = 72,2.
  expect(await toast(anct, "Évaluation soumise")).toMatch(/le dossier est instruit, avec une note consolidée de 72,20 \/ 100\./);
  expect(await mainText(anct)).toContain("65 000 €");
  await step(anct, "anct-evaluation-soumise");

  // The dossier is « Instruit », with its scores, for the programme team.
  await manager.goto(dossierPath);
  await statusBadge(manager, "Instruit").waitFor();
  const header = await mainText(manager);
  expect(header).toMatch(/Note ARS\s+77,00 \/ 100/);
  expect(header).toMatch(/Note ANCT\s+65,00 \/ 100/);
  expect(header).toMatch(/Note consolidée\s+72,20 \/ 100/);
  await step(manager, "programme-dossier-instruit");

  // The evaluation sheet, read back.
  const sheet = plain(await downloadEvaluationSheet(anct, reference)).replace(/\s+/g, " ");
  expect(sheet).toContain(`Fiche d'évaluation ${reference}`);
  expect(sheet).toContain("Médicobus du Perche");
  expect(sheet).toContain("Statut Instruit");
  expect(sheet).toContain("Note consolidée 72,20 / 100");
  expect(sheet).toContain("Évaluation de Dominique Instructeur — 77,00 / 100");
  expect(sheet).toContain("Évaluation de Claude Évaluateur — 65,00 / 100");
  expect(sheet).toContain("Avis : Réservé · Montant recommandé : 65 000 €");
  expect(sheet).toContain("amendée le");
  expect(sheet).toContain("Écart entre les grilles 12,00 points (seuil de signalement : 20 points)");

  // The applicant never reaches the instruction pages.
  const refused = await applicant.goto(`${dossierPath}/evaluations/ars`);
  expect(refused?.status()).toBe(403);
  expect(browser.pageErrors()).toEqual([]);
}, 600_000);

/** « Confier l'évaluation » on the evaluations tab: picks the agent whose option starts with `name`. */
async function chooseEvaluator(page: Page, grid: "ARS" | "ANCT", name: string) {
  const select = main(page).getByLabel(new RegExp(`^Évaluateur \\(grille ${grid}\\)`, "i"));
  // The options are read at once, not waited for: wait for the tab to be drawn first.
  await select.waitFor();
  const option = (await select.locator("option").allTextContents()).find((text) => text.startsWith(name));
  expect(option, `${name} parmi les évaluateurs proposés (grille ${grid}) : ${plain(await main(page).innerText())}`).toBeTruthy();
  await select.selectOption({ label: option! });
  const form = select.locator("xpath=ancestor::form");
  await form.getByRole("button", { name: "Confier l'évaluation" }).click();
  await main(page).locator("table", { has: page.getByRole("cell", { name: new RegExp(`^${name}`) }) }).first().waitFor();
}
