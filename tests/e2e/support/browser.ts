import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Download, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, inject } from "vitest";

export const ARTIFACTS_DIR = path.resolve("tests/.artifacts");

/** The portal started by the global setup (tests/e2e/global-setup.ts). */
export function baseUrl() {
  return inject("baseUrl");
}

/** Debian's Chromium: nothing is ever downloaded (no `npx playwright install`). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/**
 * One browser per test file; `newPage()` opens a fresh context (its own cookies) on the portal —
 * the global setup's, or the one `options.baseUrl` names (a journey that starts a portal of its
 * own). A failing test leaves a screenshot of each of its pages in tests/.artifacts/.
 */
export function setupBrowser(options: { baseUrl?: () => string } = {}) {
  let browser: Browser | null = null;
  let contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterEach(async ({ task }) => {
    if (task.result?.state === "fail") {
      const pages = contexts.flatMap((context) => context.pages());
      for (const [index, page] of pages.entries()) await screenshot(page, `echec-${task.name}-${index + 1}`).catch(() => {});
    }
    await Promise.all(contexts.map((context) => context.close().catch(() => {})));
    contexts = [];
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    async newPage(pageOptions: { timezoneId?: string } = {}): Promise<Page> {
      if (!browser) throw new Error("setupBrowser() : le navigateur n'est pas lancé (appelez newPage() dans un test).");
      const context = await browser.newContext({ baseURL: (options.baseUrl ?? baseUrl)(), locale: "fr-FR", timezoneId: pageOptions.timezoneId ?? "Europe/Paris", viewport: { width: 1280, height: 900 }, acceptDownloads: true });
      // Waiting, not timing: generous so a slow machine waits instead of failing.
      context.setDefaultTimeout(30_000);
      context.setDefaultNavigationTimeout(60_000);
      contexts.push(context);
      const page = await context.newPage();
      // Every page.goto waits for React to take over the page: a click on the server's HTML
      // before that is sent twice (the browser's own submit, then React replays it), which
      // uses a single-use link twice. What a test does next must be a user's action on the
      // hydrated page.
      const goto = page.goto.bind(page);
      page.goto = async (url, options) => {
        const response = await goto(url, options);
        await waitForHydration(page);
        return response;
      };
      const errors: string[] = [];
      const record = (error: string) => {
        errors.push(error);
        // A refused form answers 4xx, and a 403 page is one: Chromium logs them as failed resources, not page errors.
        if (!error.includes(" : Failed to load resource")) pageErrors.push(error);
      };
      page.on("console", (message) => {
        if (message.type() === "error") record(`${page.url()} : ${message.text().split("\n")[0]}`);
      });
      page.on("pageerror", (error) => record(`${page.url()} : ${error.message}`));
      consoleErrors.set(page, errors);
      return page;
    },
    /** What went wrong in the scripts of every page of the file so far (failed resources aside): a journey ends with none. */
    pageErrors: () => [...pageErrors],
  };
}

const consoleErrors = new WeakMap<Page, string[]>();

/**
 * The errors the page logged in its console so far (a failed hydration, a script that threw, a
 * resource that did not load). Expected refusals (a 4xx page) log « Failed to load resource ».
 */
export function browserErrors(page: Page) {
  return [...(consoleErrors.get(page) ?? [])];
}

/**
 * Waits until React has hydrated the page. React marks each element it has hydrated; <html>
 * is completed last, and the commit follows in the same task, so its mark means the whole page
 * is live. A response that is not a Remix page (JSON, a page without JavaScript) has nothing to
 * wait for.
 */
export async function waitForHydration(page: Page) {
  await page.waitForFunction(
    () =>
      !("__remixContext" in window) ||
      document.querySelector("script[type=module]") === null ||
      Object.keys(document.documentElement).some((key) => key.startsWith("__reactProps$")),
  );
}

/** A full-page PNG in tests/.artifacts/<name>.png (git-ignored), to look at the layout. */
export async function screenshot(page: Page, name: string) {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-zA-Z0-9_-]+/g, "-").toLowerCase()}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Saves a downloaded PDF in tests/.artifacts/<name>.pdf, renders its pages to PNG beside it (to
 * look at them) and returns its text as pdftotext reads it, spaces made plain.
 */
export async function readDownloadedPdf(download: Download, name: string) {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.pdf`);
  await download.saveAs(file);
  execFileSync("pdftoppm", ["-png", "-r", "60", file, file.replace(/\.pdf$/, "")]);
  return execFileSync("pdftotext", [file, "-"], { encoding: "utf8" }).replace(/[\u00a0\u202f]/g, " ");
}

/** A unique address per test run, so journeys never collide with earlier rows. */
export function uniqueEmail(prefix: string) {
  return `${prefix}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@exemple.fr`;
}
