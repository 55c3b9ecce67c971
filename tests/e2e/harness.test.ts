import { expect, test } from "vitest";
import { expectAccessible } from "./support/accessibility";
import { setupBrowser } from "./support/browser";

const browser = setupBrowser();

// The journeys trust expectAccessible to fail on a real problem: check that it does.
test("expectAccessible refuse une page avec des violations graves et les nomme", async () => {
  const page = await browser.newPage();
  await page.setContent(`<!doctype html><html lang="fr"><head><title>t</title></head><body><main><h1>Essai</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><button></button></main></body></html>`);
  await expect(expectAccessible(page, "harnais-violations")).rejects.toThrow(/image-alt[\s\S]*|button-name/);
  const error = await expectAccessible(page, "harnais-violations").catch((caught: Error) => caught.message);
  expect(error).toContain("image-alt");
  expect(error).toContain("button-name");
});
