import type { Locator, Page } from "playwright-core";
import { expect } from "vitest";
import { tabUntil } from "./applicant-steps";
import { focusIndicator } from "./focus";

/**
 * How a person operates the page: with the pointer (click, type) or with the keyboard alone
 * (Tab to the control, then type, Space, arrows, Enter). The applicant's journey is written once
 * against this interface and walked both ways.
 */
export interface Hands {
  readonly name: "pointer" | "keyboard";
  fill(target: Locator, text: string): Promise<void>;
  /** Chooses the option of a <select> whose text is `label`. */
  select(target: Locator, label: string): Promise<void>;
  /** Checks a checkbox, or chooses a radio in its group. */
  check(target: Locator): Promise<void>;
  /** Activates a button or a link. */
  press(target: Locator): Promise<void>;
  /** Gives a file to a file input, through the file chooser the control opens. */
  upload(target: Locator, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void>;
}

/** DSFR draws radios and checkboxes on their label: the pointer clicks the label, as a person does. */
async function labelOf(target: Locator) {
  const id = await target.getAttribute("id");
  if (!id) throw new Error(`${target} n'a pas d'id : son libellé est introuvable.`);
  return target.page().locator(`label[for="${id}"]`);
}

export function pointerHands(): Hands {
  return {
    name: "pointer",
    fill: (target, text) => target.fill(text),
    async select(target, label) {
      await target.selectOption({ label });
    },
    async check(target) {
      await (await labelOf(target)).click();
      await expect.poll(() => target.isChecked()).toBe(true);
    },
    press: (target) => target.click(),
    upload: (target, file) => target.setInputFiles(file),
  };
}

/** Tabs to the control, then checks that a sighted keyboard user sees where the focus is. */
async function reach(page: Page, target: Locator, limit?: number, options?: { anyOf?: Locator }) {
  await tabUntil(page, target, limit, options);
  const indicator = await focusIndicator(page);
  expect(indicator.visible, `Focus invisible sur ${indicator.on}`).toBe(true);
}

export function keyboardHands(page: Page): Hands {
  // Playwright turns on the interception of file choosers when a listener is added, without
  // waiting: a listener from the start makes sure the chooser a key opens is caught.
  page.on("filechooser", () => {});
  return {
    name: "keyboard",
    async fill(target, text) {
      await reach(page, target);
      await page.keyboard.press("ControlOrMeta+a");
      // A date input is typed segment by segment (jj/mm/aaaa in French): digits only.
      const isDate = (await target.getAttribute("type")) === "date";
      await page.keyboard.type(isDate ? frenchDateDigits(text) : text);
    },
    async select(target, label) {
      await reach(page, target);
      // The arrows move the choice of a closed <select> (typing its letters would too, but accented
      // ones reach Chromium as inserted text, which a select ignores).
      const { current, wanted } = await target.evaluate((element, text) => {
        const select = element as HTMLSelectElement;
        return { current: select.selectedIndex, wanted: [...select.options].findIndex((option) => option.text === text) };
      }, label);
      if (wanted < 0) throw new Error(`${target} n'a pas d'option « ${label} ».`);
      for (let moves = 0; moves < Math.abs(wanted - current); moves++) await page.keyboard.press(wanted > current ? "ArrowDown" : "ArrowUp");
      await expect.poll(() => target.evaluate((element) => (element as HTMLSelectElement).selectedOptions[0]?.text)).toBe(label);
    },
    async check(target) {
      const type = await target.getAttribute("type");
      if (type === "radio") {
        // Tab enters a radio group once (on its checked radio, or the first); the arrows move and check.
        const name = await target.getAttribute("name");
        const group = page.locator(`input[type=radio][name="${name}"]`);
        await reach(page, group.first(), 300, { anyOf: group });
        for (let moves = 0; moves < 12 && !(await target.evaluate((element) => element === document.activeElement)); moves++) {
          await page.keyboard.press("ArrowDown");
        }
        if (!(await target.isChecked())) await page.keyboard.press("Space");
      } else {
        await reach(page, target);
        if (!(await target.isChecked())) await page.keyboard.press("Space");
      }
      await expect.poll(() => target.isChecked()).toBe(true);
    },
    async press(target) {
      await reach(page, target);
      await page.keyboard.press("Enter");
    },
    async upload(target, file) {
      await reach(page, target);
      const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.keyboard.press("Space")]);
      await chooser.setFiles(file);
    },
  };
}

/** « 2027-03-01 » → « 01032027 »: what a French date input expects from the keyboard. */
function frenchDateDigits(iso: string) {
  const [year, month, day] = iso.split("-");
  return `${day}${month}${year}`;
}
