import type { Locator, Page } from "playwright-core";

/**
 * Reading and driving the wave page (/programme/vagues/:n) the way a manager does: the totals in
 * their live region, the ranking's rows with their verdict, the inline override form.
 */

const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ").replace(/\s+/g, " ").trim();

/** The simulation's totals, as the live region reads them. */
export async function liveTotals(page: Page) {
  return plain(await page.locator("#totaux-simulation [role=status]").innerText());
}

export interface RankingRow {
  rank: number;
  reference: string;
  verdict: string;
}

/** The ranking's dossier rows (the cut line and the inline form rows aside), in order. */
export async function rankingRows(page: Page): Promise<RankingRow[]> {
  const rows = page.locator("#classement tbody tr:has(th[scope=row])");
  const count = await rows.count();
  const result: RankingRow[] = [];
  for (let index = 0; index < count; index++) {
    const row = rows.nth(index);
    result.push({
      rank: Number(await row.locator("th").innerText()),
      reference: plain(await row.locator("td").nth(0).locator("a").first().innerText()),
      verdict: plain((await row.locator("td").nth(3).locator(".fr-badge").textContent()) ?? ""),
    });
  }
  return result;
}

/** The text of the cut line's row. */
export async function cutLine(page: Page) {
  return plain(await page.locator("#classement tr.mb-cut-line").innerText());
}

/** Opens the override form of a dossier from its row's « Ajuster » link; resolves with the form's container once it is shown. */
export async function openOverride(page: Page, reference: string): Promise<Locator> {
  await page.locator("#classement").getByRole("link", { name: `Ajuster ${reference}` }).click();
  const form = page.locator(".mb-override", { has: page.getByRole("heading", { name: `Dérogation pour ${reference}` }) });
  await form.waitFor();
  return form;
}
