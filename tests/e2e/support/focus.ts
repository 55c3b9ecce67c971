import type { Page } from "playwright-core";

/**
 * What has the keyboard focus, described for an assertion. Read from document.activeElement:
 * in a headless window that is not in the foreground, CSS `:focus` matches nothing.
 */
export function focusedElement(page: Page) {
  return page.evaluate(() => {
    const element = document.activeElement;
    return element ? { tag: element.tagName.toLowerCase(), id: element.id, text: (element.textContent ?? "").trim() } : null;
  });
}
