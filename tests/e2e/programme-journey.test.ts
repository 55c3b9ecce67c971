import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { expectAccessible } from "./support/accessibility";
import { DEMO_PASSWORD, login, signIn } from "./support/accounts";
import { pointerHands } from "./support/applicant-hands";
import { readDownloadedPdf, setupBrowser } from "./support/browser";
import { focusedElement } from "./support/focus";
import { cutLine, liveTotals, openOverride, rankingRows } from "./support/programme-simulator";

/**
 * Issue 5's decisions, end to end in Chromium on the demo data (db/seed/demo-dossiers.ts: wave 1
 * with about sixty reviewed dossiers and a real cut line). The manager opens the waves, then
 * wave 1; excludes a funded dossier and includes one below the cut, each with a written
 * justification, watching the totals change as the form is filled; applies the decision after
 * its summary; previews and sends the decision letters, following the sending to its end. The
 * applicant of the top-ranked dossier downloads its letter and reads it, then withdraws; the manager promotes the
 * first waitlisted dossier that fits; then closes wave 1, carrying its remainder and its reserve
 * list into wave 2. Every page is checked with axe and photographed.
 */

/**
 * The wave-1 applicant and the dossier ranked first, as db/seed/demo-dossiers.ts seeds them
 * (DEMO_WAVE1_APPLICANT_EMAIL, DEMO_TOP_DOSSIER_REFERENCE): importing that module would open the
 * portal's database in the test process, next to the server that owns it.
 */
const WAVE1_APPLICANT = "porteur.vague1@demo.medicobus.fr";
const TOP_DOSSIER = "MB-2024-V1TQP0";

const browser = setupBrowser();
const main = (page: Page) => page.locator("main");
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");
const mainText = async (page: Page) => plain(await main(page).innerText());

let count = 0;
const step = (page: Page, label: string) => expectAccessible(page, `programme-${String(++count).padStart(2, "0")}-${label}`);

async function toast(page: Page, title: string) {
  const notice = page.locator(".fr-notice, .fr-alert").filter({ hasText: title }).first();
  await notice.waitFor();
  return plain(await notice.innerText());
}

/**
 * The whole wave, letters sent by the job included, in one test: about a minute on a quiet machine,
 * over two on a loaded one (CI shares its cores), so the suite's two-minute default is too short.
 */
const JOURNEY_TIMEOUT_MS = 300_000;

test("décision de la vague 1 : dérogations justifiées, décision appliquée, retrait, promotion, clôture et report sur la vague 2", async () => {
  const manager = await browser.newPage();
  await login(manager, "program_manager");

  // The waves, with their money; then wave 1's configuration page, looked at.
  await manager.goto("/programme/vagues");
  await main(manager).getByRole("heading", { level: 1, name: "Vagues, classement et décisions" }).waitFor();
  expect(await mainText(manager)).toContain("enveloppe de 10 000 000 € pour 100 médicobus");
  await step(manager, "vagues");
  await manager.goto("/programme/vagues/1/configuration");
  await main(manager).getByLabel("Budget de la vague (€)").waitFor();
  expect(await main(manager).getByLabel("Budget de la vague (€)").inputValue()).toBe("5 000 000");
  await step(manager, "configuration-vague-1");

  // Wave 1 ranked: the top dossier first, a cut line with words.
  await manager.goto("/programme/vagues");
  await main(manager).getByRole("link", { name: "Classement de la vague 1" }).click();
  await main(manager).getByRole("heading", { level: 1, name: "Vague 1 : classement et décisions" }).waitFor();
  let rows = await rankingRows(manager);
  expect(rows.length).toBeGreaterThan(20);
  expect(rows[0]).toMatchObject({ rank: 1, reference: TOP_DOSSIER, verdict: "Financé" });
  expect(rows.some((row) => row.verdict === "Sous la ligne de coupure")).toBe(true);
  expect(await cutLine(manager)).toMatch(/^Ligne de coupure — au-dessus : \d+ dossiers financés pour/);
  await step(manager, "classement-vague-1");
  const initialTotals = await liveTotals(manager);

  // Exclude the second funded dossier: the totals change as soon as the form shows the choice.
  const excluded = rows.filter((row) => row.verdict === "Financé")[1].reference;
  const exclusion = await openOverride(manager, excluded);
  await expect.poll(() => liveTotals(manager)).not.toBe(initialTotals);
  expect(await exclusion.getByLabel("Exclure le dossier du financement").isChecked()).toBe(true);
  await step(manager, "derogation-exclusion");
  // Without its justification, the override is refused next to the field.
  await exclusion.getByRole("button", { name: "Enregistrer la dérogation" }).click();
  await exclusion.locator(".mb-error-summary").waitFor();
  expect(plain(await exclusion.locator(".mb-error-summary").innerText())).toContain("Justification écrite : Justifiez la dérogation par écrit.");
  await exclusion.getByLabel(/^Justification écrite/).fill("Projet déjà financé par le conseil départemental pour la même tournée.");
  await exclusion.getByRole("button", { name: "Enregistrer la dérogation" }).click();
  await toast(manager, "Dérogation enregistrée");
  rows = await rankingRows(manager);
  expect(rows.find((row) => row.reference === excluded)?.verdict).toBe("Exclu par dérogation");
  const afterExclusion = await liveTotals(manager);

  // Include the last dossier below the cut, with the keyboard alone: the link, then the form
  // (the focus goes to its title), its checked choice, the amount, the justification, the button.
  // The cut moves up as the dossier takes its place.
  const below = rows.filter((row) => row.verdict === "Sous la ligne de coupure");
  const included = below[below.length - 1].reference;
  await main(manager).locator("#classement").getByRole("link", { name: `Ajuster ${included}` }).focus();
  await manager.keyboard.press("Enter");
  const inclusion = main(manager).locator(".mb-override", { has: manager.getByRole("heading", { name: `Dérogation pour ${included}` }) });
  await inclusion.waitFor();
  await expect.poll(async () => (await focusedElement(manager))?.text).toBe(`Dérogation pour ${included}`);
  expect(await inclusion.getByLabel("Inclure le dossier (au-dessus de la ligne de coupure)").isChecked()).toBe(true);
  await expect.poll(() => liveTotals(manager)).not.toBe(afterExclusion);
  expect(await inclusion.locator("p.fr-text--bold").innerText()).toMatch(/^Simulation avec cette saisie : \d+ dossiers financés/);
  await manager.keyboard.press("Tab");
  expect((await focusedElement(manager))?.tag).toBe("input");
  await manager.keyboard.press("Tab");
  await manager.keyboard.press("Tab");
  await manager.keyboard.type("Équilibre territorial : seul projet de la région dans cette vague.");
  await manager.keyboard.press("Tab");
  expect((await focusedElement(manager))?.text).toBe("Enregistrer la dérogation");
  await manager.keyboard.press("Enter");
  await toast(manager, "Dérogation enregistrée");
  rows = await rankingRows(manager);
  expect(rows.find((row) => row.reference === included)?.verdict).toBe("Inclus par dérogation");
  await step(manager, "classement-avec-derogations");

  // Apply: the summary first, then the decision.
  await main(manager).getByRole("link", { name: "Appliquer la décision" }).click();
  await main(manager).getByRole("heading", { level: 1, name: "Appliquer la décision de la vague 1" }).waitFor();
  const summary = await mainText(manager);
  expect(summary).toMatch(/\d+ dossiers retenus pour [\d ]+ €/);
  expect(summary).toMatch(/\d+ dossiers? en liste complémentaire/);
  expect(summary).toMatch(/\d+ dossiers? non retenus?/);
  await step(manager, "confirmation-decision");
  await main(manager).getByLabel("Motivation commune des refus").fill("Le projet n'a pas été classé en rang utile au regard de l'enveloppe de la vague 1 et des seuils de notation de l'appel.");
  await main(manager).getByRole("button", { name: "Confirmer et appliquer la décision" }).click();
  expect(await toast(manager, "Décision appliquée")).toMatch(/\d+ retenus pour [\d ]+ € engagés/);
  await main(manager).getByRole("table", { name: "Décisions en vigueur sur la vague" }).waitFor();
  await step(manager, "decision-appliquee");

  // A selected dossier's advance: the form proposes the call's 30 %, the ledger records it.
  const paymentLinks = main(manager).getByRole("link", { name: /^Versements du dossier MB-/ });
  const paidReference = ((await paymentLinks.last().innerText()).match(/MB-[\w-]+/) ?? [""])[0];
  expect(paidReference).not.toBe(TOP_DOSSIER);
  await paymentLinks.last().click();
  await main(manager).getByRole("heading", { level: 1, name: `Versements du dossier ${paidReference}` }).waitFor();
  const proposed = await main(manager).getByLabel(/^Montant versé/).inputValue();
  expect(proposed).toMatch(/^\d[\d ]*$/);
  await main(manager).getByLabel(/^Référence ou commentaire/).fill("Ordre de paiement 2026-0412");
  await main(manager).getByRole("button", { name: "Enregistrer le versement" }).click();
  expect(await toast(manager, "Versement enregistré")).toContain(`${proposed} € versés au titre de l'avance`);
  const history = main(manager).getByRole("table", { name: "Versements enregistrés" });
  expect(plain(await history.innerText())).toMatch(/Avance\s+[\d ]+ €\s+Alex Programme\s+Ordre de paiement 2026-0412/);
  // The form now proposes the balance: the advance is used up.
  expect(await main(manager).getByLabel("Tranche").inputValue()).toBe("balance");
  await step(manager, "versement-avance");

  // The letters: the outbox shows them, the mails are previewed, the sending runs to its end.
  await manager.goto("/programme/courriers");
  await main(manager).getByRole("heading", { level: 2, name: /^Vague 1 : \d+ courriers à envoyer$/ }).waitFor();
  await main(manager).getByRole("button", { name: "Prévisualiser les courriels" }).click();
  // One mail per outcome, as a real recipient reads it: every placeholder filled in.
  const previews = main(manager).getByRole("region", { name: "Aperçu des courriels" });
  await previews.waitFor();
  const previewText = plain(await previews.innerText());
  for (const outcome of ["Retenu", "Liste complémentaire", "Non retenu"]) expect(previewText).toMatch(new RegExp(`${outcome} — dossier MB-`));
  expect(previewText).not.toContain("{{");
  await step(manager, "courriers-apercu");
  await pointerHands().check(main(manager).getByLabel(/^J'ai relu les courriels et je confirme l'envoi/));
  await main(manager).getByRole("button", { name: /^Envoyer les \d+ courriers$/ }).click();
  await main(manager).getByRole("heading", { level: 1, name: "Envoi des courriers de décision" }).waitFor();
  // The page follows the job by itself: no reload, the figures move until « terminé ».
  const progress = main(manager).getByRole("status").filter({ hasText: "courriers préparés" });
  await progress.filter({ hasText: "terminé" }).waitFor({ timeout: 180_000 });
  const [, prepared, total] = /(\d+) \/ (\d+) courriers préparés/.exec(plain(await progress.innerText())) ?? [];
  expect(Number(prepared)).toBe(Number(total));
  await step(manager, "courriers-envoyes");

  // The applicant of the top-ranked dossier finds its letter on the dossier, then withdraws it.
  const applicant = await browser.newPage();
  await signIn(applicant, WAVE1_APPLICANT, DEMO_PASSWORD);
  await applicant.waitForURL((url) => url.pathname !== "/connexion");
  await applicant.goto(`/dossiers/${TOP_DOSSIER}`);
  const letterLink = main(applicant).getByRole("link", { name: /^Courrier de décision \(PDF\)/ });
  const [download] = await Promise.all([applicant.waitForEvent("download"), letterLink.click()]);
  const letter = await readDownloadedPdf(download, `courrier-decision-${TOP_DOSSIER}`);
  expect(letter).toContain(TOP_DOSSIER);
  expect(letter).toMatch(/subvention/i);
  expect(letter).toMatch(/Télérecours/);
  await step(applicant, "porteur-courrier-decision");
  await applicant.goto(`/dossiers/${TOP_DOSSIER}/retrait`);
  await main(applicant).getByLabel(/^Motif du retrait/).fill("Le conseil régional finance finalement le véhicule en totalité.");
  await pointerHands().check(main(applicant).getByLabel(/^Je confirme le retrait/));
  await main(applicant).getByRole("button", { name: "Retirer le dossier" }).click();
  await toast(applicant, "Dossier retiré");

  // The manager sees the withdrawal and promotes the first waitlisted dossier that fits.
  await manager.goto("/programme/vagues/1");
  const retraits = main(manager).locator("section", { has: manager.getByRole("heading", { name: "Retraits après décision" }) });
  await retraits.waitFor();
  expect(plain(await retraits.innerText())).toContain(`${TOP_DOSSIER} (`);
  const promote = retraits.getByRole("button", { name: /^Promouvoir MB-/ });
  const promoted = (await promote.innerText()).replace("Promouvoir ", "").trim();
  await step(manager, "retrait-et-promotion");
  await promote.click();
  expect(await toast(manager, "Dossier promu")).toContain(`${promoted} est retenu`);

  // Closing wave 1: the remainder and the reserve list go to wave 2.
  await main(manager).getByRole("link", { name: "Clôturer la vague et reporter" }).click();
  await main(manager).getByRole("heading", { level: 1, name: "Clôturer la vague 1 et reporter" }).waitFor();
  const outlook = await mainText(manager);
  expect(outlook).toMatch(/Le reste de la vague 1, [\d ]+ € et \d+ médicobus, est reporté sur la vague 2/);
  await step(manager, "confirmation-cloture");
  await main(manager).getByRole("button", { name: "Confirmer la clôture et le report" }).click();
  expect(await toast(manager, "Vague 1 clôturée")).toMatch(/reportés sur la vague 2, avec \d+ dossiers? de la liste complémentaire/);
  await main(manager).getByRole("heading", { level: 1, name: "Vague 2 : classement et décisions" }).waitFor();
  await step(manager, "vague-2-apres-report");

  expect(browser.pageErrors()).toEqual([]);
}, JOURNEY_TIMEOUT_MS);
