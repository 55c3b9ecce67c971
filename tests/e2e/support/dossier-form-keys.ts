import type { Locator, Page } from "playwright-core";
import { expect } from "vitest";
import { focusedElement } from "./focus";

/**
 * The keyboard alone, for the dossier steps: Tab until the control has the focus (never a click),
 * then type, choose or press Enter as a person would.
 */
export function keyboard(page: Page) {
  async function tabTo(target: Locator, limit = 300) {
    for (let presses = 0; presses < limit; presses++) {
      if (await target.evaluate((element) => element === document.activeElement)) return presses;
      await page.keyboard.press("Tab");
    }
    throw new Error(`${target} n'a pas reçu le focus après ${limit} tabulations (focus sur ${JSON.stringify(await focusedElement(page))}).`);
  }
  return {
    tabTo,
    async fill(target: Locator, text: string) {
      await tabTo(target);
      await page.keyboard.press("ControlOrMeta+a");
      await page.keyboard.type(text);
    },
    /** A closed <select> takes typed letters as a search among its options. */
    async select(target: Locator, label: string) {
      await tabTo(target);
      await page.keyboard.type(label);
      await expect.poll(() => target.evaluate((element) => (element as HTMLSelectElement).selectedOptions[0]?.text)).toBe(label);
    },
    async press(target: Locator) {
      await tabTo(target);
      await page.keyboard.press("Enter");
    },
  };
}
