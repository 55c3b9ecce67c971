import { execFileSync } from "node:child_process";
import path from "node:path";
import type { Page } from "playwright-core";
import { expect } from "vitest";
import type { Hands } from "./applicant-hands";
import { ARTIFACTS_DIR } from "./browser";

/**
 * The evaluation form (app/routes/instruction.dossiers.$reference.evaluations.$rubric.tsx) as an
 * evaluator fills it: each criterion's mark among the radios that read their descriptor, its
 * justification, the avis and the amount; and the evaluation sheet PDF, downloaded and read.
 */

export interface EvaluationAnswers {
  /** One mark per criterion, in the grid's order. */
  marks: readonly number[];
  avis: "Favorable" | "Réservé" | "Défavorable";
  /** As typed, the French way: « 60 000 ». */
  amount: string;
}

const main = (page: Page) => page.locator("main");

/** The criteria of the form, in the page's order: one section each, titled « 1. Besoin territorial ». */
export function criterionSections(page: Page) {
  return main(page).locator("form section[aria-labelledby^='critere-']");
}

/** Marks and justifies the first `count` criteria (all by default). */
export async function markCriteria(page: Page, hands: Hands, marks: readonly number[], count = marks.length) {
  const sections = criterionSections(page);
  expect(await sections.count()).toBe(marks.length);
  for (let index = 0; index < count; index++) {
    const section = sections.nth(index);
    const title = (await section.getByRole("heading").innerText()).replace(/^\d+\.\s*/, "");
    await hands.check(section.getByRole("radio", { name: new RegExp(`^${marks[index]} sur 5`) }));
    await hands.fill(section.getByRole("textbox"), `${title} : note ${marks[index]}, argumentée au vu des pièces et du territoire desservi.`);
  }
}

export async function fillAvisAndAmount(page: Page, hands: Hands, answers: Pick<EvaluationAnswers, "avis" | "amount">) {
  await hands.check(main(page).getByRole("radio", { name: answers.avis, exact: true }));
  await hands.fill(main(page).getByLabel(/^Montant de subvention recommandé/), answers.amount);
}

/** The live score panel's figure, as shown: « 74,00 / 100 ». */
export async function liveScore(page: Page) {
  return (await main(page).getByRole("status").filter({ hasText: "/ 100" }).locator("p").first().innerText()).replace(/\s+/g, " ").trim();
}

/**
 * Downloads the evaluation sheet from the link of the evaluation page, keeps it in
 * tests/.artifacts with a PNG of each page next to it, and returns its text as pdftotext reads it.
 */
export async function downloadEvaluationSheet(page: Page, reference: string) {
  const link = main(page).getByRole("link", { name: /Télécharger la fiche d'évaluation/ });
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  expect(download.suggestedFilename()).toBe(`fiche-evaluation-${reference}.pdf`);
  const file = path.join(ARTIFACTS_DIR, `fiche-evaluation-${reference}.pdf`);
  await download.saveAs(file);
  execFileSync("pdftoppm", ["-png", "-r", "60", file, file.replace(/\.pdf$/, "")]);
  return execFileSync("pdftotext", [file, "-"], { encoding: "utf8" });
}
