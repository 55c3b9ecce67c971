import { AxeBuilder } from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { screenshot } from "./browser";

const BLOCKING = new Set(["serious", "critical"]);

/**
 * Runs axe-core on the page as it is and fails on any serious or critical violation, listing
 * each rule with the elements it found, so the failure reads without opening a report.
 * Every page is also photographed under the same label.
 */
export async function expectAccessible(page: Page, label: string) {
  await page.waitForLoadState("load");
  await screenshot(page, label);
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
    // A sandboxed frame (the mail preview of /dev/courriels) runs no script: axe cannot be
    // injected there, and trying leaves the analysis hanging. Its content is a mail, not a page.
    .exclude("iframe[sandbox]")
    .analyze();
  const blocking = results.violations.filter((violation) => BLOCKING.has(violation.impact ?? ""));
  const report = blocking.map(
    (violation) =>
      `- [${violation.impact}] ${violation.id} : ${violation.help}\n${violation.nodes
        .slice(0, 5)
        .map((node) => `    ${node.target.join(" ")} — ${node.failureSummary?.replace(/\s+/g, " ") ?? ""}`)
        .join("\n")}`,
  );
  expect(report, `Accessibilité (${label}, ${page.url()}) : ${blocking.length} violation(s) grave(s)\n${report.join("\n")}`).toEqual([]);
}
