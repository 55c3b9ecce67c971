import { execFileSync } from "node:child_process";
import path from "node:path";
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { samplePdf } from "../../fixtures/files";
import type { Hands } from "./applicant-hands";
import { ARTIFACTS_DIR } from "./browser";

/**
 * The dossier part of the applicant's journey, through the pages as a person fills them: every
 * step of the form, the required pieces, the engagement and the submission, then the receipt.
 * Field ids are the form's contract (fieldId in app/modules/applications/form.ts).
 */

type Step = (label: string) => Promise<void>;

const main = (page: Page) => page.locator("main");
const byId = (page: Page, id: string) => page.locator(`[id="${id}"]`);

/** The steps after the first, by the end of their path and the title of their page. */
const STEP_TITLES = {
  "/territoire": "Territoire",
  "/projet": "Projet médical",
  "/vehicule": "Véhicule",
  "/budget": "Budget",
  "/pieces": "Pièces justificatives",
  "/recapitulatif": "Récapitulatif",
} as const;

/** Goes to the next step with « Étape suivante » (which saves first) and waits for its page to show. */
async function nextStep(page: Page, hands: Hands, pathEnd: keyof typeof STEP_TITLES) {
  await hands.press(main(page).getByRole("button", { name: "Étape suivante" }).or(main(page).getByRole("link", { name: "Étape suivante" })).first());
  await page.waitForURL((url) => url.pathname.endsWith(pathEnd));
  // The URL changes with the data; the page renders an instant later.
  await main(page).getByRole("heading", { level: 2, name: STEP_TITLES[pathEnd], exact: true }).waitFor();
}

/** From the organisation's page: « Créer un dossier », the organisation (the only one) already chosen. */
export async function createDossier(page: Page, hands: Hands, step: Step) {
  await hands.press(main(page).getByRole("link", { name: "Créer un dossier" }));
  await page.waitForURL("**/dossiers/nouveau");
  await step("nouveau-dossier");
  await hands.press(main(page).getByRole("button", { name: "Créer le dossier" }));
  await page.waitForURL(/\/dossiers\/[^/]+\/porteur$/);
  return decodeURIComponent(new URL(page.url()).pathname.split("/")[2]);
}

export async function fillPorteur(page: Page, hands: Hands, step: Step) {
  await hands.fill(byId(page, "porteur-projectTitle"), "Médicobus du Perche");
  await hands.fill(byId(page, "porteur-summary"), "Un cabinet médical itinérant pour les communes du Perche ornais, cinq jours par semaine.");
  await hands.press(main(page).getByRole("button", { name: "Ajouter un partenaire" }));
  await hands.fill(byId(page, "porteur-partners-0-name"), "Communauté de communes des Collines du Perche");
  await hands.select(byId(page, "porteur-partners-0-kind"), "Collectivité");
  await hands.fill(byId(page, "porteur-partners-0-role"), "Co-financeur");
  await hands.fill(byId(page, "porteur-partners-0-commitment"), "Met à disposition une salle d'attente dans chaque commune.");
  await step("etape-1-porteur");
  await nextStep(page, hands, "/territoire");
}

async function addCommune(page: Page, hands: Hands, query: string, button: RegExp) {
  await hands.fill(byId(page, "commune-recherche"), query);
  const add = main(page).getByRole("button", { name: button });
  await add.first().waitFor();
  await hands.press(add.first());
  await main(page).getByText(/ajoutée au territoire/).waitFor();
}

export async function fillTerritoire(page: Page, hands: Hands, step: Step) {
  await addCommune(page, hands, "Alençon", /^Ajouter Alençon \(61000\)/);
  await hands.select(byId(page, "territoire-communes-0-zoning"), "Zone d'intervention prioritaire (ZIP)");
  await addCommune(page, hands, "Mortagne-au-Perche", /^Ajouter Mortagne-au-Perche/);
  await hands.select(byId(page, "territoire-communes-1-zoning"), "Zone d'action complémentaire (ZAC)");
  await hands.fill(byId(page, "territoire-patientsWithoutDoctor"), "1200");
  await hands.fill(byId(page, "territoire-ofWhichAld"), "300");
  await step("etape-2-territoire");
  await nextStep(page, hands, "/projet");
}

export async function fillProjet(page: Page, hands: Hands, step: Step) {
  await hands.check(byId(page, "projet-specialties-0"));
  await hands.fill(byId(page, "projet-doctors"), "12");
  await hands.fill(byId(page, "projet-doctorsFte"), "3,5");
  await hands.fill(byId(page, "projet-medicalAssistants"), "3");
  await hands.check(byId(page, "projet-coordinator-0"));
  const slots = [
    ["Lundi", "Matin", /^Alençon/],
    ["Mardi", "Après-midi", /^Mortagne-au-Perche/],
  ] as const;
  for (const [index, [day, halfDay, commune]] of slots.entries()) {
    await hands.press(main(page).getByRole("button", { name: "Ajouter une demi-journée de tournée" }));
    await hands.select(byId(page, `projet-tourPlan-${index}-day`), day);
    await hands.select(byId(page, `projet-tourPlan-${index}-halfDay`), halfDay);
    const communeSelect = byId(page, `projet-tourPlan-${index}-communeCode`);
    const label = (await communeSelect.locator("option").allTextContents()).find((text) => commune.test(text));
    await hands.select(communeSelect, label!);
  }
  for (const [year, count] of ["5000", "9000", "9000"].entries()) await hands.fill(byId(page, `projet-consultations-${year}`), count);
  await hands.fill(byId(page, "projet-cptsCoordination"), "Réunions mensuelles avec la CPTS du Perche ; dossier patient partagé.");
  await hands.fill(byId(page, "projet-emergencyReferral"), "Orientation vers le SAMU 61 et les urgences du centre hospitalier d'Alençon.");
  await step("etape-3-projet");
  await nextStep(page, hands, "/vehicule");
}

export async function fillVehicule(page: Page, hands: Hands, step: Step) {
  await hands.check(byId(page, "vehicule-acquisition-0"));
  await hands.fill(byId(page, "vehicule-vehicleType"), "Camping-car aménagé en cabinet médical");
  await hands.check(byId(page, "vehicule-accessiblePmr-0"));
  await hands.fill(byId(page, "vehicule-equipment"), "Table d'examen, électrocardiographe, télémédecine.");
  await hands.fill(byId(page, "vehicule-deliveryDate"), "2027-03-01");
  await step("etape-4-vehicule");
  await nextStep(page, hands, "/budget");
}

export async function fillBudget(page: Page, hands: Hands, step: Step) {
  await hands.press(main(page).getByRole("button", { name: "Ajouter une ligne de dépense" }));
  await hands.select(byId(page, "budget-costs-0-kind"), "Investissement");
  await hands.fill(byId(page, "budget-costs-0-label"), "Véhicule aménagé");
  for (const [year, amount] of ["200 000", "0", "0"].entries()) await hands.fill(byId(page, `budget-costs-0-amounts-${year}`), amount);
  await hands.press(main(page).getByRole("button", { name: "Ajouter un cofinancement" }));
  await hands.fill(byId(page, "budget-cofinancing-0-funder"), "CPAM de l'Orne");
  await hands.select(byId(page, "budget-cofinancing-0-kind"), "Assurance Maladie (CPAM, ARS hors appel)");
  await hands.fill(byId(page, "budget-cofinancing-0-amount"), "120 000");
  await hands.fill(byId(page, "budget-requested"), "80 000");
  await step("etape-5-budget");
  await nextStep(page, hands, "/pieces");
}

/** Each required piece gets a small real PDF, sent by the page's upload form. */
export async function attachRequiredPieces(page: Page, hands: Hands, step: Step) {
  const required = main(page).locator("section[id^=pieces-]").filter({ hasText: "obligatoire" });
  const codes = await required.evaluateAll((sections) => sections.map((section) => section.id.slice("pieces-".length)));
  expect(codes.length).toBeGreaterThan(0);
  for (const code of codes) {
    const section = byId(page, `pieces-${code}`);
    const name = `${code}.pdf`;
    await hands.upload(byId(page, `pieces-${code}-fichier`), { name, mimeType: "application/pdf", buffer: Buffer.from(samplePdf(code)) });
    await hands.press(section.getByRole("button", { name: "Déposer le fichier" }));
    await section.getByRole("link", { name: new RegExp(`^${name}`) }).waitFor();
  }
  await step("etape-6-pieces");
  await nextStep(page, hands, "/recapitulatif");
  return codes;
}

/** The engagement, then « Déposer le dossier »: lands on the dossier's page, submitted. */
export async function signAndSubmit(page: Page, hands: Hands, step: Step) {
  // Only the engagement is left: its three fields.
  await main(page).getByRole("heading", { name: "3 points restent à compléter" }).waitFor();
  expect(await main(page).locator(".fr-alert--warning a").allInnerTexts()).toEqual([
    expect.stringMatching(/nom du signataire/),
    expect.stringMatching(/qualité du signataire/),
    expect.stringMatching(/attestation sur l'honneur/),
  ]);
  await hands.fill(byId(page, "engagement-signatoryName"), "Claire Porteuse");
  await hands.fill(byId(page, "engagement-signatoryCapacity"), "Présidente de la CPTS");
  await hands.check(byId(page, "engagement-attests"));
  await hands.press(main(page).getByRole("button", { name: "Enregistrer l'engagement" }));
  await page.getByText("Engagement enregistré.").waitFor();
  await main(page).getByRole("heading", { name: "Le dossier est complet" }).waitFor();
  await step("etape-7-recapitulatif");
  await hands.press(byId(page, "deposer-dossier"));
  await page.waitForURL((url) => /^\/dossiers\/[^/]+$/.test(url.pathname));
  await main(page).getByText("Déposé").first().waitFor();
  await step("depose");
}

/** Downloads the receipt from the dossier's page and returns its text, as pdftotext reads it. */
export async function downloadReceipt(page: Page, hands: Hands, reference: string) {
  const link = main(page).getByRole("link", { name: /Télécharger le récépissé de dépôt/ });
  const [download] = await Promise.all([page.waitForEvent("download"), hands.press(link)]);
  const file = path.join(ARTIFACTS_DIR, `recepisse-${hands.name}-${reference}.pdf`);
  await download.saveAs(file);
  expect(download.suggestedFilename()).toMatch(/\.pdf$/);
  // A picture of the first page next to it, to look at.
  execFileSync("pdftoppm", ["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", file, file.replace(/\.pdf$/, "")]);
  return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
}
