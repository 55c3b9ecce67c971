import type { Page } from "playwright-core";

/**
 * The demo accounts seeded by `npm start` in demo mode. They mirror db/seed/demo.ts
 * (DEMO_ACCOUNTS, DEMO_PASSWORD): importing that module here would open the portal's database
 * in the test process, next to the server that owns it.
 */
export const DEMO_PASSWORD = "Medicobus-demo-2026";
export const DEMO_ACCOUNTS = {
  applicant: "porteur@demo.medicobus.fr",
  ars_agent: "ars.normandie@demo.medicobus.fr",
  anct_agent: "anct@demo.medicobus.fr",
  program_manager: "programme@demo.medicobus.fr",
  admin: "admin@demo.medicobus.fr",
} as const;
export type DemoRole = keyof typeof DEMO_ACCOUNTS;

/** Fills the sign-in form and submits it; resolves once the portal has left /connexion. */
export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/connexion");
  const form = page.locator("main");
  await form.getByLabel("Adresse électronique").fill(email);
  await form.getByLabel("Mot de passe", { exact: true }).fill(password);
  await form.getByRole("button", { name: "Se connecter" }).click();
}

/** Signs in with a demo account and waits until the portal shows it signed in. */
export async function login(page: Page, role: DemoRole) {
  await signIn(page, DEMO_ACCOUNTS[role], DEMO_PASSWORD);
  await page.waitForURL((url) => url.pathname !== "/connexion");
  await page.getByRole("button", { name: "Se déconnecter" }).first().waitFor();
}

/** Signs out with the header's « Se déconnecter » button (a POST). */
export async function logout(page: Page) {
  await page.getByRole("button", { name: "Se déconnecter" }).first().click();
  await page.getByRole("link", { name: "Se connecter" }).first().waitFor();
}
