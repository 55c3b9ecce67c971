import type { Locator, Page } from "playwright-core";
import { baseUrl } from "./browser";

/**
 * A form field found by the start of its label: a DSFR label also holds its hint
 * (« Mot de passe  Au moins 12 caractères »), so an exact match would miss it.
 */
export function field(page: Page, label: string): Locator {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return page.locator("main").getByLabel(new RegExp(`^\\s*${escaped}(?=$|\\s|[A-ZÀ-Ý])`));
}

/**
 * The error shown next to a field: the DSFR error text inside the field's group, whether the
 * input names it in aria-describedby (so a screen reader reads it with the field), and aria-invalid.
 */
export async function fieldError(page: Page, label: string) {
  return field(page, label).evaluate((input) => {
    const group = input.closest(".fr-input-group, .fr-select-group, .fr-fieldset__element");
    const message = group?.querySelector(".fr-error-text, .fr-message--error");
    const describedBy = (input.getAttribute("aria-describedby") ?? "").split(/\s+/).filter(Boolean);
    return {
      message: message?.textContent?.trim() ?? "",
      announced: Boolean(message?.id && describedBy.includes(message.id)),
      invalid: input.getAttribute("aria-invalid") === "true",
    };
  });
}

/** The error summary at the top of a refused form (app/components/forms.tsx). */
export function errorSummary(page: Page) {
  return page.locator("main .mb-error-summary");
}

/**
 * Posts a form to the running portal the way a script would, past the browser-side checks.
 * `origin: false` leaves out the Origin header, as a forged cross-site request would.
 */
export async function postForm(path: string, fields: Record<string, string>, options: { origin?: boolean; cookie?: string } = {}) {
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
  if (options.origin !== false) headers.Origin = baseUrl();
  if (options.cookie) headers.Cookie = options.cookie;
  const response = await fetch(`${baseUrl()}${path}`, { method: "POST", headers, body: new URLSearchParams(fields), redirect: "manual" });
  return { status: response.status, location: response.headers.get("location"), text: await response.text(), headers: response.headers };
}
