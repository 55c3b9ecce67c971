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

/**
 * Whether the focused element shows where the focus is: a drawn outline on the element itself,
 * on the label DSFR draws a radio or checkbox on (the input is hidden under it), or on the
 * enlarged block (« fr-enlarge-link ») that draws it for the link inside. Read from the computed
 * style after a key press, when :focus-visible applies.
 */
export function focusIndicator(page: Page) {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return { visible: false, on: "body" };
    const drawn = (node: Element | null, pseudo?: string) => {
      if (!node) return false;
      const style = getComputedStyle(node, pseudo);
      return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0 && style.outlineColor !== "rgba(0, 0, 0, 0)";
    };
    const label = element.id ? document.querySelector(`label[for="${CSS.escape(element.id)}"]`) : null;
    const candidates: Array<[Element | null, string | undefined]> = [
      [element, undefined],
      [label, "::before"],
      [label, undefined],
      [element.parentElement, undefined],
      [element.parentElement?.parentElement ?? null, undefined],
    ];
    const found = candidates.find(([node, pseudo]) => drawn(node, pseudo));
    const name = `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ""} « ${(element.textContent ?? "").trim().slice(0, 40)} »`;
    return { visible: Boolean(found), on: name };
  });
}
