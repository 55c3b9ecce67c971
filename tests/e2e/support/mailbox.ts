import type { Page } from "playwright-core";

export interface MailboxMail {
  subject: string;
  /** The links of the mail, as listed on its page of the development mailbox. */
  links: string[];
}

/**
 * Opens, in the browser, the most recent mail to `address` in the development mailbox
 * (/dev/courriels, newest first) whose subject matches, and returns its links. The mail is
 * written with the change that sends it, so it is normally there at once; a few reloads absorb
 * a slow machine.
 */
export async function openLastMail(page: Page, address: string, subject: RegExp = /./): Promise<MailboxMail> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    await page.goto(`/dev/courriels?adresse=${encodeURIComponent(address)}`);
    // The filter matches part of the address: keep the rows sent to exactly this one.
    const rows = page
      .locator("main table tbody tr")
      .filter({ has: page.locator("td", { hasText: new RegExp(`^\\s*${escapeRegExp(address)}\\s*$`, "i") }) })
      .filter({ has: page.getByRole("link", { name: subject }) });
    if ((await rows.count()) > 0) {
      await rows.first().getByRole("link").first().click();
      // The URL changes a moment before the page is drawn: wait for the mail's own heading.
      const linksHeading = page.locator("main h2", { hasText: "Liens du courriel" });
      await linksHeading.waitFor();
      const title = (await page.locator("main h1").innerText()).trim();
      const links = await linksHeading
        .locator("xpath=following-sibling::ul[1]//a")
        .evaluateAll((anchors) => anchors.map((anchor) => (anchor as HTMLAnchorElement).href));
      return { subject: title, links };
    }
    if (Date.now() > deadline) throw new Error(`Aucun courriel pour ${address} (objet ${subject}) dans /dev/courriels.`);
    await page.waitForTimeout(500);
  }
}

/** The one link of the last matching mail whose path starts with `pathname` (e.g. /verifier-email). */
export async function lastMailLink(page: Page, address: string, pathname: string, subject?: RegExp) {
  const mail = await openLastMail(page, address, subject);
  const link = mail.links.find((href) => new URL(href).pathname === pathname);
  if (!link) throw new Error(`Le courriel « ${mail.subject} » à ${address} n'a pas de lien vers ${pathname} : ${mail.links.join(", ") || "aucun lien"}.`);
  return link;
}

/** How many mails to exactly `address` the mailbox lists (to check that a refusal sent none). */
export async function countMailsTo(page: Page, address: string) {
  await page.goto(`/dev/courriels?adresse=${encodeURIComponent(address)}`);
  return page
    .locator("main table tbody tr")
    .filter({ has: page.locator("td", { hasText: new RegExp(`^\\s*${escapeRegExp(address)}\\s*$`, "i") }) })
    .count();
}

function escapeRegExp(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
